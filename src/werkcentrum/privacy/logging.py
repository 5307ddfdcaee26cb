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
        if record.exc_info and not record.exc_text:
            # A traceback can carry a BSN or a secret in an exception's message or in a
            # formatted SQL parameter: format it here, redacted; handlers then reuse exc_text.
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
