"""Retention runs against the database, with frozen time: every rule's cut-off (a record just
before it changes, one just after it stays), dry runs change nothing, runs are idempotent,
monitoring figures stay the same, the audit trail gets counts only, the command and the
scheduled task."""

from __future__ import annotations

import io
import json
import logging
import re
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model

from tests.conftest import make_user
from tests.privacy import builders
from tests.privacy.builders import NOW, at, years_before
from werkcentrum.accounts.models import Role
from werkcentrum.candidates.models import Placement
from werkcentrum.frontdoor import services as frontdoor
from werkcentrum.frontdoor.models import Consent, Contact, ContactEvent, Handover, Person
from werkcentrum.monitoring import indicators
from werkcentrum.monitoring.figures import year_period
from werkcentrum.privacy.models import AuditEvent
from werkcentrum.privacy.retention import RECORD_TYPES, RETENTION_FILE, RetentionFileError, load
from werkcentrum.privacy.retention_runner import check_policy, handlers, load_policy, run
from werkcentrum.trajectories.models import TrajectoryNote


@dataclass
class World:
    region: object
    guide: object
    adviser: object
    partner: object
    partner_employee: object
    employer: object
    employer_user: object


@pytest.fixture
def world(twente, guide, uwv, uwv_employee):
    adviser = make_user("adviser", Role.COORDINATOR, twente, walk_in_point=guide.walk_in_point)
    employer = builders.employer(twente)
    employer_user = make_user("werkgever", Role.EMPLOYER, twente, employer=employer)
    return World(twente, guide, adviser, uwv, uwv_employee, employer, employer_user)


def snapshot() -> dict:
    """Every row of every retained model, as values (to prove that nothing changed)."""
    from django.apps import apps

    rows = {}
    for kind in RECORD_TYPES.values():
        model: type[Model] = apps.get_model(kind.model)
        rows[kind.model] = sorted(map(repr, model.objects.order_by("pk").values()))
    for model in (ContactEvent, Handover, TrajectoryNote, Placement):
        rows[model._meta.label] = sorted(map(repr, model.objects.order_by("pk").values()))
    return rows


# -- the file against the models ----------------------------------------------------------------


def test_the_bundled_file_fits_the_models():
    check_policy(load_policy())


def test_every_record_type_has_a_handler_for_all_its_choices():
    from django.apps import apps

    for record, kind in RECORD_TYPES.items():
        handler = handlers()[record]
        apps.get_model(kind.model)  # installed
        assert set(kind.only) == set(handler.qualifiers), record
        model = apps.get_model(kind.model)
        for name in kind.counts_from:
            fields = {f.name for f in model._meta.get_fields()}
            assert name in handler.computed or name in fields, (record, name)


def test_a_rule_that_does_not_fit_the_installed_models_is_a_clear_error():
    """What the pure core cannot know: the model is installed and the date is a date field."""
    policy = load()
    session = policy.rule("session")
    for change, message in (
        ({"counts_from": "last_seen"}, "sessions.Session has no field 'last_seen'"),
        ({"counts_from": "session_data"}, "sessions.Session.session_data is not a date"),
        ({"model": "sessions.Gone"}, "no such model 'sessions.Gone' is installed"),
    ):
        broken = replace(policy, rules=(replace(session, **change),))
        with pytest.raises(RetentionFileError, match=re.escape(message)) as info:
            check_policy(broken)
        assert "rule 1 (session)" in str(info.value)


# -- every rule at its cut-off ------------------------------------------------------------------


@pytest.mark.parametrize("record", sorted(RECORD_TYPES))
def test_a_record_just_before_the_cutoff_goes_and_one_just_after_stays(record, world):
    case = builders.CASES[record](world)
    before = snapshot()
    with at(NOW):
        dry = run(dry_run=True, records=[record])
        assert snapshot() == before, "a dry run changes nothing"
        applied = run(records=[record])
    assert [r.count for r in dry.results] == [len(case.expired)]
    assert [r.count for r in applied.results] == [len(case.expired)]
    assert all(case.changed(r) for r in case.expired), record
    assert not any(case.changed(r) for r in case.kept), record
    with at(NOW):
        assert run(records=[record]).results[0].count == 0, "a second run finds nothing"
    if record == "candidate_profile":
        placement = Placement.objects.get(pk=case.extra["placement"].pk)
        assert placement.candidate is None, "the placement stays, without the person"


def test_cutoffs_are_the_moment_of_the_run_minus_the_period(world):
    with at(NOW):
        summary = run(dry_run=True)
    cutoffs = {r.record: r.cutoff for r in summary.results}
    assert cutoffs["contact"] == years_before(2)
    assert cutoffs["consent"] == years_before(5)
    assert cutoffs["voucher_application"] == years_before(7)
    assert cutoffs["outbound_email"] == NOW - timedelta(days=90)


# -- what anonymising a question clears and keeps -----------------------------------------------


def _old_question_with_everything(w):
    """A question of 2023 with a handover, an accepted pick-up and an advice trajectory."""
    moment = years_before(3)
    p = builders.person(w.region, moment)
    with at(moment):
        contact = frontdoor.register_contact(
            region=w.region,
            channel="walk_in",
            walk_in_point=w.guide.walk_in_point,
            asker_type="resident",
            question="Ik ben Yvonne Jansen en heb schulden bij de bank.",
            created_by=w.guide,
            person=p,
            municipality=p.municipality,
            age=41,
            benefit="bijstand",
        )
        consent = frontdoor.record_consent(
            contact, w.guide, partner=w.partner, categories=["contact_details", "question"]
        )
        handover = frontdoor.create_handover(
            contact, w.guide, partner=w.partner, consent=consent, message="Bel haar na 17 uur."
        )
        frontdoor.accept_handover(handover, w.partner_employee)
        frontdoor.answer_contact(contact, w.guide, "Schuldhulp gestart bij de gemeente.")
    return Contact.objects.get(pk=contact.pk), p


def test_anonymising_a_question_clears_its_texts_and_keeps_what_is_counted(world):
    contact, p = _old_question_with_everything(world)
    kept = {
        f: getattr(contact, f)
        for f in (
            "channel",
            "walk_in_point_id",
            "municipality_id",
            "asker_type",
            "topics",
            "benefit",
            "service_level",
            "responsible_partner_id",
            "status",
            "created_at",
            "answered_at",
            "person_id",
            "region_id",
        )
    }
    with at(NOW):
        run(records=["contact"])
    contact = Contact.objects.get(pk=contact.pk)
    assert (contact.question, contact.outcome, contact.organisation_name, contact.age) == (
        "",
        "",
        "",
        None,
    )
    assert {f: getattr(contact, f) for f in kept} == kept
    assert not contact.events.exclude(note="").exists()
    handover = contact.handovers.get()
    assert (handover.message, handover.status) == ("", "accepted")
    assert contact.events.count() > 3, "the steps stay, without their notes"


# -- the whole policy: dry run, idempotence, audit, monitoring -----------------------------------


def _mixed_world(w):
    """Old and recent questions, returning and anonymous askers, consents, vouchers."""
    old = years_before(3)
    returning = builders.person(w.region, old)
    builders.answered_contact(w.region, w.guide, old, person=returning)
    builders.answered_contact(w.region, w.guide, NOW - timedelta(days=200), person=returning)
    gone_person = builders.person(w.region, old)
    builders.answered_contact(w.region, w.guide, old, person=gone_person)
    builders.answered_contact(w.region, w.guide, old + timedelta(days=3), person=gone_person)
    builders.answered_contact(w.region, w.guide, old)  # anonymous
    recent = builders.person(w.region, NOW - timedelta(days=30))
    builders.answered_contact(w.region, w.guide, NOW - timedelta(days=30), person=recent)
    _old_question_with_everything(w)
    for record in ("portal_search", "outbound_email", "voucher_application", "session"):
        builders.CASES[record](w)
    return {"returning": returning, "gone": gone_person, "recent": recent}


def _figures(region):
    return {
        year: {
            "reach": indicators.reach(indicators.Filters(region, year_period(year))),
            "handovers": indicators.handovers(
                indicators.Filters(region, year_period(year)), now=NOW
            ),
            "vouchers": indicators.vouchers(indicators.Filters(region, year_period(year))),
        }
        for year in (2018, 2019, 2023, 2025)
    }


def test_a_run_changes_exactly_the_expired_records_and_a_second_run_nothing(world):
    people = _mixed_world(world)
    with at(NOW):
        figures = _figures(world.region)
        before = snapshot()
        dry = run(dry_run=True)
        assert snapshot() == before
        first = run()
        after_first = snapshot()
        second = run()
    assert [r.count for r in first.results] == [r.count for r in dry.results]
    counts = {r.record: r.count for r in first.results}
    # Five questions of 2023; the persons: the asker of 2023, the one handed over (name kept for
    # the consent) and four voucher learners; not the returning or the recent one.
    assert counts["contact"] == 5 and counts["person"] == 6
    assert all(r.count == 0 for r in second.results)
    assert snapshot() == after_first, "running twice is idempotent"
    returning = Person.objects.get(pk=people["returning"].pk)
    assert returning.email and returning.last_name, "a person who came back stays"
    assert Person.objects.get(pk=people["recent"].pk).email
    gone = Person.objects.get(pk=people["gone"].pk)
    assert (gone.first_name, gone.last_name, gone.email) == ("", "", "")
    with at(NOW):
        assert _figures(world.region) == figures, "monitoring figures stay the same"


def test_an_applied_run_writes_counts_only_to_the_audit_trail_and_the_log(world, caplog):
    contact, p = _old_question_with_everything(world)
    secrets = [p.first_name, p.last_name, p.email, "schulden", "Yvonne"]
    with at(NOW), caplog.at_level(logging.INFO, logger="werkcentrum.privacy.retention_runner"):
        run(dry_run=True)
        assert not AuditEvent.objects.filter(action="retention_run").exists()
        summary = run()
    event = AuditEvent.objects.get(action="retention_run")
    assert event.user is None
    assert event.detail["rules"] == summary.as_json()["rules"]
    assert event.detail["completed"] is True and event.detail["dry_run"] is False
    assert {r["record"]: r["count"] for r in event.detail["rules"]}["contact"] == 1
    text = json.dumps(event.detail) + caplog.text
    for secret in secrets:
        assert secret not in text
    assert "retention run" in caplog.text and "contact anonymise 1" in caplog.text


def test_an_interrupted_run_still_writes_what_it_did(world, monkeypatch):
    builders.CASES["portal_search"](world)
    from werkcentrum.privacy import retention_runner

    original = retention_runner._apply

    def apply(handler, rule, cutoff, ctx, batch_size):
        if rule.record == "processing_log":
            raise RuntimeError("worker killed")
        return original(handler, rule, cutoff, ctx, batch_size)

    monkeypatch.setattr(retention_runner, "_apply", apply)
    with at(NOW), pytest.raises(RuntimeError):
        run()
    event = AuditEvent.objects.get(action="retention_run")
    assert event.detail["completed"] is False
    counts = {r["record"]: r["count"] for r in event.detail["rules"]}
    assert counts["portal_search"] == 1 and "processing_log" not in counts


def test_batches_are_small_transactions_that_add_up(world):
    for _ in range(7):
        builders.outbound(NOW - timedelta(days=100))
    with at(NOW):
        summary = run(records=["outbound_email"], batch_size=3)
    assert summary.results[0].count == 7


# -- the person rule: identity kept while a retained record needs it ---------------------------


def test_a_person_keeps_name_but_not_contact_details_while_a_consent_is_retained(world):
    moment = years_before(3)
    consent = builders.consent(world.region, world.guide, world.partner, moment)
    p = consent.person
    with at(NOW):
        run()
    p.refresh_from_db()
    assert (p.email, p.phone, p.postcode) == ("", "", "")
    assert p.last_name, "the consent of 2023 is kept five years, with the name"
    assert Consent.objects.get(pk=consent.pk).purpose, "the consent itself is not yet expired"
    later = NOW.replace(year=NOW.year + 3)  # the consent's five years have passed
    with at(later):
        summary = run()
    p.refresh_from_db()
    assert (p.first_name, p.last_name) == ("", "")
    counts = {r.record: r.count for r in summary.results}
    assert counts["consent"] == 1 and counts["person"] == 1


def test_a_paid_voucher_keeps_the_name_for_seven_years(world):
    application = builders.application(world.region, world.adviser, years_before(3))
    p = application.person
    with at(NOW):
        run()
    p.refresh_from_db()
    assert p.last_name and not p.email
    with at(NOW.replace(year=NOW.year + 5)):
        run()
    p.refresh_from_db()
    application.refresh_from_db()
    assert p.last_name == "" and application.motivation == ""
    assert application.amount_granted == 1000, "the amounts stay for the fund's accounts"


def test_a_resident_account_goes_with_the_person(world):
    from werkcentrum.accounts.models import User
    from werkcentrum.residents.accounts import register_by_email

    with at(years_before(3)):
        user, _created = register_by_email(
            world.region, first_name="Karel", last_name="de Boer", email="karel@example.org"
        )
    with at(NOW):
        run(records=["person"])
    assert not User.objects.filter(pk=user.pk).exists()
    assert Person.objects.get(pk=user.person_id).email == ""


def test_a_resident_who_logged_in_recently_stays(world):
    from werkcentrum.residents.accounts import register_by_email

    with at(years_before(3)):
        user, _created = register_by_email(
            world.region, first_name="Karel", last_name="de Boer", email="karel@example.org"
        )
    user.last_login = NOW - timedelta(days=10)
    user.save(update_fields=["last_login"])
    with at(NOW):
        assert run(dry_run=True, records=["person"]).results[0].count == 0


# -- the command and the scheduled task ---------------------------------------------------------


def test_the_command_dry_run_prints_json_and_changes_nothing(world):
    builders.CASES["outbound_email"](world)
    before = snapshot()
    out = io.StringIO()
    with at(NOW):
        call_command("retention", "--dry-run", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["dry_run"] is True
    assert [r["record"] for r in data["rules"]] == [r.record for r in load().rules]
    assert set(data["rules"][0]) == {"record", "action", "cutoff", "count"}
    counts = {r["record"]: r["count"] for r in data["rules"]}
    assert counts["outbound_email"] == 2
    assert snapshot() == before


def test_the_command_applies_and_prints_a_table(world):
    builders.CASES["outbound_email"](world)
    out = io.StringIO()
    with at(NOW):
        call_command("retention", stdout=out)
        again = io.StringIO()
        call_command("retention", "--json", "--record", "outbound_email", stdout=again)
    assert "outbound_email" in out.getvalue() and "delete" in out.getvalue()
    assert json.loads(again.getvalue()) == {
        "rules": [
            {
                "record": "outbound_email",
                "action": "delete",
                "cutoff": (NOW - timedelta(days=90)).isoformat(),
                "count": 0,
            }
        ],
        "dry_run": False,
    }


def as_from_the_command_line(command, *argv):
    """What ``run_from_argv`` does, without closing the test's database connections."""
    command._called_from_command_line = True
    options = vars(command.create_parser("werkcentrum", "retention").parse_args(argv))
    args = options.pop("args", ())
    command.execute(*args, **options)


def test_a_broken_retention_file_is_one_error_line_with_exit_2(world, tmp_path, capsys):
    from werkcentrum.privacy.management.commands.retention import Command

    bad = tmp_path / "retention.toml"
    text = RETENTION_FILE.read_text(encoding="utf-8")
    bad.write_text(text.replace('period = "90 days"', 'period = "ninety days"', 1), "utf-8")
    builders.CASES["outbound_email"](world)
    before = snapshot()
    with pytest.raises(CommandError, match="outbound_email.*period.*must look like"):
        call_command("retention", "--file", str(bad))
    with pytest.raises(SystemExit) as exit_info:
        as_from_the_command_line(Command(), "--file", str(bad))
    assert exit_info.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: ")
    assert "rule 13 (outbound_email): period" in captured.err
    with pytest.raises(SystemExit):
        as_from_the_command_line(Command(), "--record", "nonsense")
    assert "no retention rule for nonsense" in capsys.readouterr().err
    assert snapshot() == before


def test_the_task_runs_the_rules_and_beat_runs_it_every_night(world):
    from celery.schedules import crontab
    from django.conf import settings

    from werkcentrum.privacy.tasks import run_retention

    builders.CASES["portal_search"](world)
    with at(NOW):
        result = run_retention.delay().result
    assert {r["record"]: r["count"] for r in result["rules"]}["portal_search"] == 1
    assert AuditEvent.objects.filter(action="retention_run").count() == 1
    entry = settings.CELERY_BEAT_SCHEDULE["retention"]
    assert entry["task"] == "werkcentrum.privacy.tasks.run_retention"
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"] == crontab(hour=3, minute=30)


def test_no_rule_ever_touches_a_record_of_today(world):
    """Whatever the periods, what was made just now is never expired."""
    for record in sorted(RECORD_TYPES):
        builders.CASES[record](world)
    with at(NOW):
        run()
    p = builders.person(world.region, NOW)
    contact = builders.answered_contact(world.region, world.guide, NOW, person=p)
    email = builders.outbound(NOW)
    with at(NOW):
        assert run().total == 0
    assert Person.objects.get(pk=p.pk).email
    assert Contact.objects.get(pk=contact.pk).question
    assert type(email).objects.filter(pk=email.pk).exists()
