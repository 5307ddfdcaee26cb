"""Processing-log completeness (issue 7, part 3): every view that shows a person's data to
someone else writes a processing-log entry.

Not a list of views to remember: every page and API read of the access matrix is fetched as
every role that may see it, and when the answer shows any person's name, e-mail address or
phone number (a person of the test world other than the resident who asks), the same request
must have written to the processing log. A new view that shows personal data without logging
fails here without anyone having to add it.
"""

from __future__ import annotations

import pytest

from . import ANONYMOUS, RESIDENT, call, world_fixture
from .access import API, URLS
from .test_access_matrix import _shown, _url, _value, schema_operations

world = pytest.fixture(scope="module")(world_fixture)

LOG_TABLE = "privacy_processinglogentry"


@pytest.fixture(autouse=True)
def _no_second_factor_required(settings):
    settings.WERKCENTRUM_REQUIRE_STAFF_2FA = False


def person_marks(world) -> dict[str, set[str]]:
    """Person id -> the texts that identify them (full name, e-mail, phone)."""
    from werkcentrum.frontdoor.models import Person

    marks: dict[str, set[str]] = {}
    for person in Person.objects.all():
        texts = {f"{person.first_name} {person.last_name}".strip(), person.email, person.phone}
        marks[person.pk] = {t for t in texts if t and len(t) > 5}
    return marks


def own_person(world, role):
    user = world.users.get(role)
    return getattr(user, "person_id", None) if user is not None else None


def _check(world, url: str, allowed, problems: list, marks) -> int:
    checked = 0
    for role in sorted(allowed - {ANONYMOUS}):
        outcome = call(world, role, "GET", url)
        if outcome.status != 200:
            continue
        checked += 1
        text = outcome.text()
        mine = own_person(world, role) if role == RESIDENT else None
        shown = sorted(
            mark
            for pk, texts in marks.items()
            if pk != mine
            for mark in texts
            if _shown(mark, text)
        )
        if shown and LOG_TABLE not in outcome.writes:
            problems.append(
                f"{role:>16} GET {url}: shows {shown[:3]} without a processing-log entry"
            )
    return checked


@pytest.mark.parametrize("name", sorted(n for n, e in URLS.items() if e.method == "GET"))
def test_pages_that_show_personal_data_log_it(world, db, name):
    entry = URLS[name]
    problems: list[str] = []
    _check(world, _url(world, name, entry), entry.allow, problems, person_marks(world))
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.parametrize("op_id", sorted(o for o, e in API.items() if e.method == "GET"))
def test_api_reads_of_personal_data_log_them(world, db, op_id):
    entry = API[op_id]
    _method, path = schema_operations()[op_id]
    url = path.format(**{k: _value(world, v) for k, v in entry.kwargs.items()})
    problems: list[str] = []
    _check(world, url, entry.allow, problems, person_marks(world))
    assert not problems, "\n" + "\n".join(problems)


def test_the_check_sees_personal_data(world, db):
    """Not vacuous: the guide's contact page shows a person, and logs it."""
    from django.urls import reverse

    url = reverse("frontdoor:contact_detail", args=[world.objects["contact"].pk])
    outcome = call(world, "guide", "GET", url)
    text = outcome.text()
    assert any(_shown(m, text) for texts in person_marks(world).values() for m in texts)
    assert LOG_TABLE in outcome.writes
