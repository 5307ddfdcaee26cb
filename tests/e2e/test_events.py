"""Events in the browser: a coordinator plans and publishes a Meet & Greet, a resident finds it
on the public events page and registers with one click; the pages pass axe (WCAG 2.1 AA)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.e2e.conftest import PHONE, expect, has_horizontal_scroll, login, widest_elements
from tests.e2e.test_accessibility import check
from werkcentrum.events.models import Event, Registration
from werkcentrum.residents.accounts import register_by_email

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Meet & Greet zorg en welzijn"


def test_coordinator_publishes_an_event_and_a_resident_registers(
    new_context, axe, twente, coordinator, live_server
):
    # The coordinator plans the event and publishes it.
    desk = new_context().new_page()
    login(desk, "coordinator", PASSWORD)
    desk.get_by_role("link", name="Events").first.click()
    desk.get_by_role("link", name="New event").click()
    desk.locator("#id_kind").select_option("meet_and_greet")
    desk.locator("#id_title").fill(TITLE)
    desk.locator("#id_description").fill("Kennismaken met zorgorganisaties, bij een kop koffie.")
    day = timezone.localdate() + timedelta(days=9)
    desk.locator("#id_day").fill(day.isoformat())
    desk.locator("#id_start").fill("10:00")
    desk.locator("#id_end").fill("12:00")
    desk.locator("#id_walk_in_point").select_option(label="Inlooppunt Werkplein Hengelo")
    desk.locator("#id_capacity").fill("12")
    desk.get_by_role("button", name="Save event").click()
    expect(desk.locator(".alert--success")).to_contain_text("It is not public yet")
    desk.get_by_role("button", name="Publish").click()
    expect(desk.locator(".alert--success")).to_contain_text("published")
    event = Event.objects.get(title=TITLE)
    assert event.published and event.city == "Hengelo"

    # A resident, on a phone, finds it and registers with one click.
    user, _created = register_by_email(
        twente, first_name="Yvonne", last_name="Jansen", email="yvonne.jansen@example.org"
    )
    user.set_password(PASSWORD)
    user.save()
    me = new_context(viewport=PHONE).new_page()
    me.goto("/mijn/inloggen/")
    form = me.locator("form", has=me.locator("input[name=password]"))
    form.locator("input[name=email]").fill(user.email)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    me.wait_for_url("**/mijn/")
    me.get_by_role("link", name="Events: job fairs, workshops, Meet & Greets").click()
    me.locator("#kind").select_option("meet_and_greet")
    me.get_by_role("button", name="Show events").click()
    assert "kind=meet_and_greet" in me.url  # a shareable address
    check(axe, me, "events list")
    me.get_by_role("link", name=TITLE).click()
    expect(me.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(me.locator("main")).to_contain_text("12 places left")
    assert not has_horizontal_scroll(me), widest_elements(me)
    check(axe, me, "event page")
    me.get_by_role("button", name="Register").click()
    expect(me.locator(".alert--success")).to_contain_text("You are registered")
    expect(me.locator("main")).to_contain_text("11 places left")
    registration = Registration.objects.get(event=event)
    assert registration.person == user.person and registration.status == "registered"

    # The coordinator sees the registration on the attendance list.
    desk.reload()
    desk.get_by_role("link", name="Registrations (1 of 12)").click()
    expect(desk.locator("table")).to_contain_text("Yvonne Jansen")
    check(axe, desk, "attendance")
