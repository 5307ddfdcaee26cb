"""Career-advice trajectories: started from a question, notes per organisation, closed only
with an outcome, and the question never without an owner meanwhile."""

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.factories import contact
from werkcentrum.accounts.models import Role
from werkcentrum.frontdoor import services as frontdoor
from werkcentrum.frontdoor.errors import Conflict, NotAllowed, ServiceError
from werkcentrum.frontdoor.states import ContactStatus
from werkcentrum.regions.models import Partner
from werkcentrum.trajectories import services
from werkcentrum.trajectories.models import Trajectory


@pytest.fixture
def adviser(twente):
    return make_user("loopbaan", Role.GUIDE, twente)


def test_guide_starts_advice_with_an_adviser_and_goal_from_the_contact_screen(
    client, twente, guide, adviser
):
    c = contact(twente, guide, question="Ik wil weten welke opleiding bij mij past.")
    client.force_login(guide)
    response = client.post(
        reverse("frontdoor:contact_advice", args=[c.pk]),
        {"adviser": adviser.pk, "goal": "Opleidingskeuze zorg", "note": "Afspraak dinsdag"},
    )
    assert response.status_code == 302
    trajectory = Trajectory.objects.get(contact=c)
    assert trajectory.adviser == adviser and trajectory.goal == "Opleidingskeuze zorg"
    c.refresh_from_db()
    assert (c.status, c.owner_user) == (ContactStatus.IN_TRAJECTORY, adviser)
    page = client.get(reverse("frontdoor:contact_detail", args=[c.pk])).content.decode()
    assert reverse("trajectories:detail", args=[trajectory.pk]) in page


def test_closing_needs_an_outcome_and_a_reason_when_stopped(twente, guide):
    c = contact(twente, guide)
    frontdoor.start_advice(c, guide)
    trajectory = c.trajectories.get()
    with pytest.raises(ServiceError):
        services.close(trajectory, guide, outcome="")
    with pytest.raises(ServiceError):
        services.close(trajectory, guide, outcome="stopped", note=" ")
    trajectory.refresh_from_db()
    assert trajectory.is_open
    with pytest.raises(Conflict):  # a question in advice is not "answered" around the trajectory
        frontdoor.answer_contact(c, guide, "klaar")
    services.close(trajectory, guide, outcome="training", note="Start mbo-3 verzorgende IG")
    c.refresh_from_db()
    assert c.status == ContactStatus.ANSWERED and "Start mbo-3" in c.outcome
    with pytest.raises(Conflict):
        services.close(trajectory, guide, outcome="work")


def test_notes_are_visible_only_within_the_authors_organisation(twente, guide):
    c = contact(twente, guide)
    frontdoor.start_advice(c, guide)
    trajectory = c.trajectories.get()
    services.add_note(trajectory, guide, "Werkcentrum-notitie")
    uwv_adviser = make_user(
        "uwv_adviser", Role.GUIDE, twente, partner=Partner.objects.get(code="uwv-twente")
    )
    services.add_note(trajectory, uwv_adviser, "UWV-notitie")
    assert [n.text for n in services.notes_for(trajectory, guide)] == ["Werkcentrum-notitie"]
    assert [n.text for n in services.notes_for(trajectory, uwv_adviser)] == ["UWV-notitie"]


def test_reassign_keeps_one_owner_and_only_coordinator_or_adviser_may(
    twente, guide, other_guide, coordinator
):
    c = contact(twente, guide)
    frontdoor.start_advice(c, guide)
    trajectory = c.trajectories.get()
    with pytest.raises(NotAllowed):
        services.reassign(trajectory, other_guide, other_guide)
    services.reassign(trajectory, coordinator, other_guide)
    c.refresh_from_db()
    assert c.owner_user == other_guide and c.trajectories.get().adviser == other_guide


def test_screens_are_scoped(client, twente, guide, achterhoek_guide, manager):
    c = contact(twente, guide)
    frontdoor.start_advice(c, guide)
    trajectory = c.trajectories.get()
    url = reverse("trajectories:detail", args=[trajectory.pk])
    client.force_login(achterhoek_guide)
    assert client.get(url).status_code == 404
    client.force_login(manager)
    assert client.get(url).status_code == 403
    client.force_login(guide)
    assert client.get(url).status_code == 200
    assert (
        client.post(
            reverse("trajectories:close", args=[trajectory.pk]), {"outcome": "stopped"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            reverse("trajectories:close", args=[trajectory.pk]),
            {"outcome": "work", "note": "Baan bij Cevdet ICT"},
        ).status_code
        == 302
    )
    assert client.get(reverse("trajectories:list")).status_code == 200
