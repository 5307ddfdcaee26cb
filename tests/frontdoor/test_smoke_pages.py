"""Every main screen answers for its role (a quick guard; detailed tests live beside it)."""

import pytest
from django.urls import reverse

from tests.factories import contact, handover


@pytest.mark.parametrize(
    "name", ["home", "frontdoor:ask", "frontdoor:walk_in_points", "accounts:login"]
)
def test_public_pages(client, twente, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b'lang="nl"' in response.content


def test_guide_pages(client, twente, guide):
    c = contact(twente, guide)
    client.force_login(guide)
    for url in [
        reverse("frontdoor:guide_queue"),
        reverse("frontdoor:intake"),
        reverse("frontdoor:contact_detail", args=[c.pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_partner_pages(client, twente, guide, uwv, uwv_employee):
    c = contact(twente, guide)
    h = handover(c, guide, uwv)
    client.force_login(uwv_employee)
    assert client.get(reverse("frontdoor:partner_inbox")).status_code == 200
    assert client.get(reverse("frontdoor:partner_handover", args=[h.pk])).status_code == 200


def test_coordinator_pages(client, twente, coordinator):
    client.force_login(coordinator)
    for name in ["frontdoor:escalations", "frontdoor:insights", "frontdoor:rules"]:
        assert client.get(reverse(name)).status_code == 200, name


def test_manager_sees_aggregates_with_labels_but_no_names_or_questions(
    client, twente, guide, manager
):
    c = contact(twente, guide, question="Ik heb een WW-uitkering en zoek werk als kok.")
    client.force_login(manager)
    response = client.get(reverse("frontdoor:manager_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Inloop" in html and "Specialistisch" in html  # Dutch labels, not codes
    assert c.person.last_name not in html and "als kok" not in html
