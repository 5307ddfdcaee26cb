"""The resident's own data as JSON (machine-readable, AVG art. 20) and as PDF (art. 15)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from werkcentrum.accounts.models import Role
from werkcentrum.core.pdf import Document
from werkcentrum.frontdoor.models import ConsentCategory
from werkcentrum.privacy.bsn import decrypt_bsn, mask_bsn

from . import selectors

FORMAT_VERSION = 1


def _dt(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _d(value) -> str | None:
    return value.isoformat() if value else None


def _categories(codes) -> list[str]:
    labels = dict(ConsentCategory.choices)
    return [str(labels.get(code, code)) for code in codes]


def collect(user) -> dict:
    """Everything the Werkcentrum holds about the person, in one structure."""
    person = user.person
    questions = []
    for contact in selectors.my_questions(user).prefetch_related("events"):
        questions.append(
            {
                "reference": contact.reference,
                "received_at": _dt(contact.created_at),
                "channel": contact.get_channel_display(),
                "question": contact.question,
                "status": contact.get_status_display(),
                "answer": contact.outcome,
                "handovers": [
                    {
                        "partner": h.partner.name,
                        "status": h.get_status_display(),
                        "handed_over_at": _dt(h.created_at),
                        "decided_at": _dt(h.decided_at),
                    }
                    for h in contact.handovers.all()
                ],
                "trajectories": [
                    {
                        "goal": t.goal,
                        "plan": t.plan,
                        "started_at": _dt(t.started_at),
                        "closed_at": _dt(t.closed_at),
                        "outcome": t.get_outcome_display() if t.outcome else "",
                        "notes": [
                            {"at": _dt(n.at), "organisation": n.organisation.name, "text": n.text}
                            for n in t.notes.select_related("organisation").order_by("at")
                        ],
                    }
                    for t in contact.trajectories.all()
                ],
                "history": [
                    {"at": _dt(step["at"]), "step": step["text"]}
                    for step in selectors.timeline(contact)
                ],
            }
        )
    consents = [
        {
            "partner": c.partner.name,
            "purpose": c.purpose,
            "data_shared": _categories(c.categories),
            "given_at": _dt(c.given_at),
            "valid_until": _d(c.valid_until),
            "withdrawn_at": _dt(c.withdrawn_at),
            "how": c.get_method_display(),
        }
        for c in selectors.my_consents(user)
    ]
    appointments = [
        {
            "starts_at": _dt(b.slot.starts_at),
            "place": b.slot.walk_in_point.name,
            "with": str(b.slot.adviser),
            "status": b.get_status_display(),
            "note": b.note,
        }
        for b in selectors.my_bookings(user)
    ]
    candidate = getattr(person, "candidate", None)  # reverse one-to-one: None when absent
    profile = None
    if candidate is not None:
        profile = {
            "occupations": [o.get("label", "") for o in candidate.occupations],
            "skills": candidate.skills,
            "experience_years": candidate.experience_years,
            "education_level": candidate.get_education_level_display(),
            "hours": [candidate.hours_min, candidate.hours_max],
            "place_of_residence": str(candidate.municipality),
            "travel_radius_km": candidate.travel_radius_km,
            "benefit_regime": candidate.get_benefit_regime_display(),
            "consent_for_matching_given_at": _dt(candidate.consent_given_at),
            "consent_for_matching_withdrawn_at": _dt(candidate.consent_withdrawn_at),
        }
    roles = dict(Role.choices)
    log = [
        {
            "at": _dt(e.at),
            "who": selectors.who(e, user, roles),
            "activity": e.activity.name,
            "purpose": e.activity.purpose,
            "operation": e.get_operation_display(),
        }
        for e in selectors.my_processing_log(user)[:5000]
    ]
    return {
        "format": "werkcentrum-personal-data",
        "version": FORMAT_VERSION,
        "generated_at": _dt(timezone.now()),
        "region": person.region.name,
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "date_of_birth": _d(person.date_of_birth),
            "email": person.email,
            "phone": person.phone,
            "postcode": person.postcode,
            "municipality": str(person.municipality or ""),
            "bsn": mask_bsn(decrypt_bsn(person.bsn_encrypted)) if person.has_bsn else "",
        },
        "questions": questions,
        "consents": consents,
        "appointments": appointments,
        "candidate_profile": profile,
        "training_fund": {
            "llo_conversations": [
                {"held_on": _d(c.held_on), "advice": c.summary, "outcome": c.get_outcome_display()}
                for c in person.llo_conversations.order_by("held_on")
            ],
            "applications": [
                {
                    "training": a.training_title,
                    "provider": a.provider,
                    "cost": a.cost,
                    "status": a.get_status_display(),
                    "submitted_at": _dt(a.submitted_at),
                    "amount_granted": a.amount_granted,
                    "reasons": a.decision_reasons,
                }
                for a in person.voucher_applications.order_by("submitted_at")
            ],
        },
        "talent_wall": [
            {
                "holland_code": r.code,
                "scores": r.scores,
                "areas": r.areas,
                "made_at": _dt(r.created_at),
                "shared_with_adviser_at": _dt(r.shared_at),
            }
            for r in person.talent_wall_results.all()
        ],
        "processing_log": log,
    }


def as_pdf(data: dict) -> bytes:
    person = data["person"]
    doc = Document(
        title=_("My data at the Werkcentrum"),
        subject=_("%(name)s — made on %(at)s")
        % {
            "name": f"{person['first_name']} {person['last_name']}".strip(),
            "at": data["generated_at"][:16].replace("T", " "),
        },
        footer=_("Werkcentrum %(region)s — personal data export") % {"region": data["region"]},
    )
    doc.heading(_("Your details"))
    doc.key_values(
        [
            (_("First name"), person["first_name"]),
            (_("Last name"), person["last_name"]),
            (_("Date of birth"), person["date_of_birth"] or ""),
            (_("E-mail"), person["email"]),
            (_("Phone"), person["phone"]),
            (_("Postcode"), person["postcode"]),
            (_("Municipality"), person["municipality"]),
            (_("BSN (masked)"), person["bsn"]),
        ]
    )
    doc.heading(_("Your questions"))
    if not data["questions"]:
        doc.paragraph(_("No questions."))
    for q in data["questions"]:
        doc.heading(f"{q['reference']} · {q['status']}", level=2)
        doc.paragraph(q["question"])
        if q["answer"]:
            doc.paragraph(_("Answer: %(answer)s") % {"answer": q["answer"]})
        if q["history"]:
            doc.table_rows(
                [_("When"), _("What happened")],
                [(s["at"][:16].replace("T", " "), s["step"]) for s in q["history"]],
                widths=(1, 3),
            )
        for t in q["trajectories"]:
            doc.paragraph(
                _("Advice trajectory: %(goal)s (%(outcome)s)")
                % {"goal": t["goal"], "outcome": t["outcome"] or _("ongoing")}
            )
            for note in t["notes"]:
                doc.paragraph(f"{note['at'][:10]} {note['organisation']}: {note['text']}", 9)
    doc.heading(_("Consents"))
    doc.table_rows(
        [_("Organisation"), _("Data shared"), _("Given"), _("Until"), _("Withdrawn")],
        [
            (
                c["partner"],
                ", ".join(c["data_shared"]),
                (c["given_at"] or "")[:10],
                c["valid_until"],
                (c["withdrawn_at"] or "")[:10],
            )
            for c in data["consents"]
        ]
        or [(_("None"), "", "", "", "")],
        widths=(3, 3, 1.5, 1.5, 1.5),
    )
    doc.heading(_("Appointments"))
    doc.table_rows(
        [_("When"), _("Where"), _("Status")],
        [
            (a["starts_at"][:16].replace("T", " "), a["place"], a["status"])
            for a in data["appointments"]
        ]
        or [(_("None"), "", "")],
        widths=(1.3, 3, 1.2),
    )
    if data["candidate_profile"]:
        p = data["candidate_profile"]
        doc.heading(_("Your job-seeker profile"))
        doc.key_values(
            [
                (_("Desired occupations"), ", ".join(p["occupations"])),
                (_("Skills"), ", ".join(p["skills"])),
                (_("Years of experience"), p["experience_years"]),
                (_("Education level"), p["education_level"]),
                (_("Hours per week"), f"{p['hours'][0]}–{p['hours'][1]}"),
                (_("Benefit regime"), p["benefit_regime"]),
            ]
        )
    fund = data["training_fund"]
    if fund["llo_conversations"] or fund["applications"]:
        doc.heading(_("Training fund"))
        for c in fund["llo_conversations"]:
            doc.paragraph(
                _("LLO conversation on %(date)s: %(advice)s")
                % {"date": c["held_on"], "advice": c["advice"]}
            )
        doc.table_rows(
            [_("Training"), _("Status"), _("Amount granted")],
            [
                (f"{a['training']} ({a['provider']})", a["status"], a["amount_granted"] or "")
                for a in fund["applications"]
            ]
            or [(_("None"), "", "")],
            widths=(3, 1.5, 1.2),
        )
    if data["talent_wall"]:
        doc.heading(_("Talent wall"))
        doc.table_rows(
            [_("When"), _("Holland code"), _("Shared with an adviser")],
            [
                (r["made_at"][:10], r["holland_code"], (r["shared_with_adviser_at"] or "")[:10])
                for r in data["talent_wall"]
            ],
            widths=(1, 1, 1.5),
        )
    doc.heading(_("Who processed your data"))
    doc.table_rows(
        [_("When"), _("Who"), _("What and why")],
        [
            (e["at"][:16].replace("T", " "), e["who"], f"{e['activity']} ({e['operation']})")
            for e in data["processing_log"][:1000]
        ]
        or [(_("None"), "", "")],
        widths=(1.3, 1.7, 3),
    )
    return doc.render()
