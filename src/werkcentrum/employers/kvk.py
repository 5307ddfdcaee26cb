"""KvK (Chamber of Commerce) numbers: eight digits, never all zeros (pure)."""

import re

_KVK = re.compile(r"^\d{8}$")


def normalise_kvk(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def is_valid_kvk(value: str) -> bool:
    number = normalise_kvk(value)
    return bool(_KVK.match(number)) and number != "00000000"
