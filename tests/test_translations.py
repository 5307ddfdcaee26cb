"""The translation catalogues: complete, consistent and compiled.

Source strings (msgids) are English; Dutch is the default UI language, so every msgid must
have a Dutch translation. English uses the msgids as they are (empty msgstr).

After adding or changing a translatable string, run ``make messages`` (``makemessages``
for nl and en, then ``compilemessages``), fill the new Dutch msgstr entries, remove any
``#, fuzzy`` flag after checking the suggestion, compile again and commit both the ``.po``
and the ``.mo`` files. These tests fail when one of those steps was skipped:

* ``test_dutch_catalogue_is_complete``: an empty or fuzzy Dutch entry (fuzzy entries are
  ignored at run time, so the UI would silently show English);
* ``test_placeholders_and_markup_survive_translation``: a lost or misspelled ``%(name)s``
  placeholder or HTML tag;
* ``test_compiled_catalogues_match_the_po_files``: a ``.po`` edited without
  ``compilemessages`` (the ``.mo`` is what Django reads; mtimes are useless in a checkout);
* ``test_every_source_string_is_in_the_catalogue``: a string added to code or templates
  without ``makemessages``. It is a fast static approximation of ``makemessages`` (Python
  via ``ast``, templates via the ``translate``/``blocktranslate`` tags); the real command
  stays the reference.

No database is needed.
"""

from __future__ import annotations

import ast
import gettext as stdlib_gettext
import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

import werkcentrum

PACKAGE_DIR = Path(werkcentrum.__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
LANGUAGES = ("nl", "en")
# Same exclusions as the makemessages call in the Makefile / docs.
IGNORED_TEMPLATES = {"styleguide.html"}

PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_][A-Za-z0-9_]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")
HTML_TAG = re.compile(r"</?[A-Za-z][^>]*>")


# --- a tiny PO parser (no extra dependency) ------------------------------------------------


def _unquote(token: str) -> str:
    token = token.strip()
    assert token.startswith('"') and token.endswith('"'), token
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    body, out, i = token[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\":
            out.append(escapes[body[i + 1]])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def parse_po(path: Path) -> list[dict]:
    """Entries as dicts: msgctxt, msgid, msgid_plural, msgstr, msgstr_plural {n: str}, flags."""
    entries: list[dict] = []

    def new() -> dict:
        return {
            "msgctxt": None,
            "msgid": None,
            "msgid_plural": None,
            "msgstr": None,
            "msgstr_plural": {},
            "flags": set(),
            "obsolete": False,
        }

    entry, key = new(), None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry["msgid"] is not None and not entry["obsolete"]:
                entries.append(entry)
            entry, key = new(), None
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if isinstance(key, int):
                entry["msgstr_plural"][key] += _unquote(line)
            else:
                entry[key] += _unquote(line)
        else:
            match = re.match(
                r"^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line
            )
            assert match, f"{path}: cannot parse line {line!r}"
            keyword, index, value = match.group(1), match.group(2), _unquote(match.group(3))
            if index is not None:
                key = int(index)
                entry["msgstr_plural"][key] = value
            else:
                key = keyword
                entry[keyword] = value
    return entries


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def catalogue(lang: str) -> list[dict]:
    """All entries except the header."""
    return [e for e in parse_po(po_path(lang)) if e["msgid"] != ""]


def header(lang: str) -> dict:
    return next(e for e in parse_po(po_path(lang)) if e["msgid"] == "")


def label(entry: dict) -> str:
    return repr(
        entry["msgid"] if entry["msgid_plural"] is None else (entry["msgid"], entry["msgid_plural"])
    )


def translations(entry: dict) -> list[str]:
    if entry["msgid_plural"] is None:
        return [entry["msgstr"]]
    return [entry["msgstr_plural"][n] for n in sorted(entry["msgstr_plural"])]


# --- (a) the catalogues themselves ------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_files_exist(lang):
    assert po_path(lang).is_file(), f"run `make messages`: {po_path(lang)} is missing"
    assert po_path(lang).with_suffix(".mo").is_file(), f"run compilemessages for {lang}"


def test_dutch_catalogue_is_complete():
    entries = catalogue("nl")
    assert len(entries) > 100, "the Dutch catalogue looks truncated"
    assert "fuzzy" not in header("nl")["flags"]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header("nl")["msgstr"]
    fuzzy = [label(e) for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries are ignored at run time; check and unflag: {fuzzy}"
    empty = [label(e) for e in entries if not all(t.strip() for t in translations(e))]
    assert not empty, f"untranslated Dutch entries: {empty}"
    wrong_plurals = [
        label(e) for e in entries if e["msgid_plural"] is not None and len(e["msgstr_plural"]) != 2
    ]
    assert not wrong_plurals, f"Dutch has two plural forms: {wrong_plurals}"


def test_english_catalogue_has_no_fuzzy_guesses():
    """English shows the msgids; a fuzzy or stray msgstr would only hide a mistake."""
    assert "fuzzy" not in header("en")["flags"]
    fuzzy = [label(e) for e in catalogue("en") if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries in the English catalogue: {fuzzy}"


def test_both_catalogues_hold_the_same_msgids():
    def keys(lang):
        return {(e["msgctxt"], e["msgid"], e["msgid_plural"]) for e in catalogue(lang)}

    assert keys("nl") == keys("en"), "run `make messages` so both catalogues are regenerated"


def test_placeholders_and_markup_survive_translation():
    problems = []
    for entry in catalogue("nl"):
        sources = (
            [entry["msgid"]]
            if entry["msgid_plural"] is None
            else [entry["msgid"], entry["msgid_plural"]]
        )
        for n, text in enumerate(translations(entry)):
            source = sources[min(n, len(sources) - 1)]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                problems.append(f"{label(entry)} [{n}]: placeholders {PLACEHOLDER.findall(text)}")
            if sorted(HTML_TAG.findall(source)) != sorted(HTML_TAG.findall(text)):
                problems.append(f"{label(entry)} [{n}]: HTML {HTML_TAG.findall(text)}")
    assert not problems, "\n".join(problems)


# --- (b) the compiled catalogues are what the .po files say -----------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogues_match_the_po_files(lang):
    with po_path(lang).with_suffix(".mo").open("rb") as handle:
        compiled = stdlib_gettext.GNUTranslations(handle)
    stale = []
    for entry in catalogue(lang):
        if entry["msgctxt"] is not None:
            continue  # none at the moment; contexts are stored as "ctxt\x04msgid"
        if entry["msgid_plural"] is None:
            expected = entry["msgstr"] or entry["msgid"]
            if compiled.gettext(entry["msgid"]) != expected:
                stale.append(label(entry))
        else:
            for n, form in ((1, 0), (2, 1)):
                expected = entry["msgstr_plural"].get(form) or (
                    entry["msgid"] if n == 1 else entry["msgid_plural"]
                )
                if compiled.ngettext(entry["msgid"], entry["msgid_plural"], n) != expected:
                    stale.append(f"{label(entry)} (n={n})")
    assert not stale, f"the .mo is out of date, run compilemessages: {stale}"


@pytest.mark.parametrize(
    ("msgid", "dutch"),
    [
        ("Log in", "Inloggen"),
        ("Log out", "Uitloggen"),
        ("Staff login", "Inloggen medewerkers"),
        ("Two-factor", "Tweestapsverificatie"),
        ("Guide", "Gids"),
        ("Walk-in points", "Inlooppunten"),
        ("Escalation list", "Escalatielijst"),
        ("Triage proposal", "Triagevoorstel"),
        ("Pick up before", "Oppakken vóór"),
        ("Unemployment benefit (WW)", "WW-uitkering"),
        ("Training fund", "Opleidingsfonds"),
    ],
)
def test_django_serves_the_dutch_translation(msgid, dutch):
    with translation.override("nl"):
        assert translation.gettext(msgid) == dutch
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_dutch_plural_forms_and_placeholders_at_run_time():
    singular = "There is %(n)s walk-in point in the region."
    plural = "There are %(n)s walk-in points in the region, at least one in every municipality."
    with translation.override("nl"):
        assert (
            translation.ngettext(singular, plural, 1) % {"n": 1}
            == "Er is 1 inlooppunt in de regio."
        )
        assert translation.ngettext(singular, plural, 12) % {"n": 12} == (
            "Er zijn 12 inlooppunten in de regio, in elke gemeente minstens één."
        )
        assert translation.gettext("Question %(ref)s registered.") % {"ref": "V000042"} == (
            "Vraag V000042 is geregistreerd."
        )


def test_templates_render_dutch_and_english():
    template = Template(
        "{% load i18n %}{% translate 'Log out' %}|"
        "{% blocktranslate with ref=ref %}Question {{ ref }}{% endblocktranslate %}|"
        "{% blocktranslate count n=n %}There is {{ n }} walk-in point in the region.{% plural %}"
        "There are {{ n }} walk-in points in the region, at least one in every municipality.{% endblocktranslate %}"
    )
    context = Context({"ref": "V000007", "n": 1})
    with translation.override("nl"):
        assert template.render(context) == "Uitloggen|Vraag V000007|Er is 1 inlooppunt in de regio."
    with translation.override("en"):
        assert (
            template.render(context)
            == "Log out|Question V000007|There is 1 walk-in point in the region."
        )


def test_lazy_model_labels_are_translated():
    from werkcentrum.frontdoor.states import ContactStatus, HandoverStatus

    with translation.override("nl"):
        assert str(HandoverStatus.RETURNED.label) == "Teruggestuurd"
        assert str(ContactStatus.HANDOVER_PENDING.label) == "Overgedragen, wacht op oppakken"


# --- (c) nothing in the source is missing from the catalogue ----------------------------------

# xgettext keywords as makemessages passes them: name -> (singular index, plural index or None)
GETTEXT_CALLS = {
    "_": (0, None),
    "gettext": (0, None),
    "gettext_lazy": (0, None),
    "gettext_noop": (0, None),
    "ngettext": (0, 1),
    "ngettext_lazy": (0, 1),
}
TRANSLATE_TAG = re.compile(r"""\{%\s*(?:translate|trans)\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')""")
BLOCK_TAG = re.compile(
    r"\{%\s*(?:blocktranslate|blocktrans)\b(?P<args>[^%]*)%\}(?P<body>.*?)\{%\s*(?:endblocktranslate|endblocktrans)\s*%\}",
    re.S,
)
PLURAL_TAG = re.compile(r"\{%\s*plural\s*%\}")
VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


def _python_msgids():
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in GETTEXT_CALLS:
                continue
            one, many = GETTEXT_CALLS[name]
            args = node.args
            if len(args) <= one or not (
                isinstance(args[one], ast.Constant) and isinstance(args[one].value, str)
            ):
                continue
            plural = None
            if many is not None and len(args) > many and isinstance(args[many], ast.Constant):
                plural = args[many].value
            yield path.relative_to(PACKAGE_DIR), args[one].value, plural


def _template_msgids():
    for path in sorted((PACKAGE_DIR / "templates").rglob("*.html")):
        if path.name in IGNORED_TEMPLATES:
            continue
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(PACKAGE_DIR)
        for match in TRANSLATE_TAG.finditer(text):
            literal = match.group(1)[1:-1]
            yield where, literal.replace("\\" + match.group(1)[0], match.group(1)[0]), None
        for match in BLOCK_TAG.finditer(text):
            body = match.group("body")
            if "trimmed" in match.group("args").split():
                body = " ".join(line.strip() for line in body.strip().splitlines())
            parts = [VARIABLE.sub(r"%(\1)s", part) for part in PLURAL_TAG.split(body)]
            yield where, parts[0], parts[1] if len(parts) > 1 else None


def test_every_source_string_is_in_the_catalogue():
    known = {(e["msgid"], e["msgid_plural"]) for e in catalogue("nl")}
    known_singulars = {e["msgid"] for e in catalogue("nl")}
    missing = []
    for where, msgid, plural in [*_python_msgids(), *_template_msgids()]:
        if not msgid:
            continue
        found = (msgid, plural) in known if plural is not None else msgid in known_singulars
        if not found:
            missing.append(f"{where}: {msgid!r}")
    assert not missing, "run `make messages` and translate:\n" + "\n".join(sorted(set(missing)))
