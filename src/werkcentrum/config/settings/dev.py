"""Local development and the embedded default (``make run``)."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", False)
WHITENOISE_AUTOREFRESH = True  # pick up CSS/JS edits without a restart
