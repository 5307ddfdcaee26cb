"""`make run` depends on the demo data: it must load, cover every role and state, and be idempotent."""

from werkcentrum.accounts.models import Role, User
from werkcentrum.core.demo import DEMO_USERS, RESIDENT_LOGIN, demo_logins, load_demo
from werkcentrum.frontdoor.models import Contact, Handover
from werkcentrum.matching.services import reset_indexes
from werkcentrum.vacancies.models import Vacancy


def test_demo_loads_every_role_and_state_once(twente, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
    reset_indexes()
    first = load_demo()
    assert first["created"] is True
    assert {u.role for u in User.objects.all()} >= {r.value for r in Role}
    assert set(Handover.objects.values_list("status", flat=True)) >= {
        "pending",
        "accepted",
        "returned",
    }
    assert set(Contact.objects.values_list("status", flat=True)) >= {
        "open",
        "handover_pending",
        "handed_over",
        "in_trajectory",
        "answered",
    }
    assert Handover.objects.overdue().exists()
    # two years of synthetic history for the monitoring and the reports
    from werkcentrum.candidates.models import Placement
    from werkcentrum.core.demo import DEMO_HISTORY

    assert Contact.objects.count() >= DEMO_HISTORY["contacts"]
    assert Placement.objects.count() >= DEMO_HISTORY["placements"]
    assert Vacancy.objects.filter(
        title="Junior softwareontwikkelaar", proposals__isnull=False
    ).exists()
    counts = (Contact.objects.count(), Vacancy.objects.count())
    assert load_demo()["created"] is False
    assert (Contact.objects.count(), Vacancy.objects.count()) == counts
    assert [row[0] for row in demo_logins()] == [row[0] for row in DEMO_USERS] + [RESIDENT_LOGIN]
    resident = User.objects.get(email=RESIDENT_LOGIN)
    assert resident.is_resident and resident.person.contacts.exists()
    assert resident.person.appointments.exists()
    reset_indexes()
