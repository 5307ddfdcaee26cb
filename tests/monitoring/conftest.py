import pytest
from django.conf import settings
from django.utils import translation

from werkcentrum.monitoring.loader import load_targets


@pytest.fixture
def targets(twente):
    return load_targets("twente")


@pytest.fixture(autouse=True)
def english(client):
    """Texts are checked in English (the msgids), whatever the default language."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
