"""A logging filter that removes BSN-like numbers and secrets from log records."""

import logging
import re

_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")
_SECRETS = re.compile(r"(?i)(password|passwd|secret|token|otp)(['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+")


def redact(text: str) -> str:
    text = _NINE_DIGITS.sub("[redacted]", text)
    return _SECRETS.sub(r"\1\2[redacted]", text)


class RedactSensitiveFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - never let logging break a request
            return True
        record.msg = redact(message)
        record.args = ()
        return True
