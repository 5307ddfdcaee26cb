"""BSN (burgerservicenummer): validation with the eleven-test and encryption at rest.

A BSN is stored only encrypted (Fernet) plus a keyed hash for finding duplicates;
it is never put in a URL, a list or a log line.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def is_valid_bsn(value: str) -> bool:
    """The eleven-test: 9 digits, weights 9..2 and -1 for the last digit, sum divisible by 11."""
    digits = value.strip()
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not (digits.isascii() and digits.isdigit()) or digits == "000000000":
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(
        digits[8]
    )
    return total % 11 == 0


def normalise_bsn(value: str) -> str:
    digits = "".join(ch for ch in value if ch in "0123456789")
    return digits.zfill(9) if len(digits) == 8 else digits


def _key_material() -> bytes:
    configured = settings.FIELD_ENCRYPTION_KEY
    if configured:
        return configured.encode()
    digest = hashlib.sha256(
        ("werkcentrum-field-encryption:" + settings.SECRET_KEY).encode()
    ).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> Fernet:
    return Fernet(_key_material())


def encrypt_bsn(bsn: str) -> str:
    return _fernet().encrypt(normalise_bsn(bsn).encode()).decode()


def decrypt_bsn(token: str) -> str | None:
    if not token:
        return None
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def bsn_lookup_hash(bsn: str) -> str:
    return hmac.new(_key_material(), normalise_bsn(bsn).encode(), hashlib.sha256).hexdigest()


def mask_bsn(bsn: str | None) -> str:
    return f"*****{bsn[-4:]}" if bsn else ""
