"""What every configuration data file (trainings, service menu, budget) needs when it is read:
one error type naming file, entry and field, UTF-8 and TOML reading with the line of a syntax
error, and typed getters that fail with a clear one-line message. Pure Python, no Django."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

_TOML_LINE_RE = re.compile(r"line (\d+)")
MISSING = object()


class DataFileError(Exception):
    """A data file is unreadable, not valid TOML, or violates its schema."""

    def __init__(self, file: str, entry: str, field: str, message: str):
        self.file = str(file)
        self.entry = entry
        self.field = field
        self.message = message
        super().__init__(f"{self.file}: {entry}: {field}: {message}")

    def __reduce__(self):  # keep the four-argument constructor picklable
        return (type(self), (self.file, self.entry, self.field, self.message))


def read_text(path: str | Path, error: type[DataFileError]) -> str:
    """The file's text, or ``error`` when it cannot be read or is not UTF-8."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise error(source, "file", "read", exc.strerror or str(exc)) from exc
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(source, "file", "encoding", f"not UTF-8 (byte offset {exc.start})") from exc


def parse_toml(text: str, source: str, error: type[DataFileError]) -> dict[str, Any]:
    """The TOML document, or ``error`` naming the line of the syntax error."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = " ".join(str(exc).split())
        if not _TOML_LINE_RE.search(message):
            lineno = getattr(exc, "lineno", None)
            message = f"{message} (at line {lineno})" if lineno else message
        raise error(str(source), "file", "syntax", message) from exc
    reject_nul(document, str(source), error)
    return document


def nul_path(value: Any, path: str = "") -> str | None:
    """Where the first NUL character is in a parsed document (TOML allows it as ``\\u0000``;
    no database stores it in text), or None."""
    if isinstance(value, str):
        return (path or "value") if "\x00" in value else None
    if isinstance(value, dict):
        items = [(f"{path}.{key}" if path else str(key), key, item) for key, item in value.items()]
    elif isinstance(value, list):
        items = [(f"{path}[{index}]", "", item) for index, item in enumerate(value)]
    else:
        return None
    for where, key, item in items:
        found = where if "\x00" in str(key) else nul_path(item, where)
        if found:
            return found
    return None


def reject_nul(document: Any, source: str, error: type[DataFileError]) -> None:
    where = nul_path(document)
    if where:
        raise error(source, "file", where.replace("\x00", "\\u0000"), "contains a NUL character")


def type_name(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
        date: "a date",
    }.get(type(value), type(value).__name__)


class FieldReader:
    """Base of a file's parser: ``fail`` raises the file's own error type."""

    error: type[DataFileError] = DataFileError

    def __init__(self, source: str):
        self.source = source

    def fail(self, entry: str, field: str, message: str):
        raise self.error(self.source, entry, field, message)

    def check_keys(self, entry: str, table: dict, allowed: set[str]) -> None:
        for key in table:
            if key not in allowed:
                self.fail(entry, str(key), f"unknown key (allowed: {', '.join(sorted(allowed))})")

    def get_str(
        self,
        entry: str,
        table: dict,
        key: str,
        *,
        required: bool = True,
        max_length: int = 0,
        collapse_spaces: bool = False,
    ) -> str:
        value = table.get(key, MISSING)
        if value is MISSING:
            if required:
                self.fail(entry, key, "missing (required)")
            return ""
        if not isinstance(value, str):
            self.fail(entry, key, f"must be a string, not {type_name(value)}")
        value = " ".join(value.split()) if collapse_spaces else value.strip()
        if required and not value:
            self.fail(entry, key, "must not be empty")
        if max_length and len(value) > max_length:
            self.fail(entry, key, f"longer than {max_length} characters")
        return value
