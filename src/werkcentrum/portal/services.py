"""The anonymised candidate search for employers (after the former Twenteportaal)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from werkcentrum.candidates.models import CandidateProfile
from werkcentrum.employers.models import EmployerContact
from werkcentrum.frontdoor.errors import NotAllowed, ServiceError
from werkcentrum.occupations.chains import chain_of_isco
from werkcentrum.occupations.isco import labels as isco_labels
from werkcentrum.outbox.services import queue_email
from werkcentrum.privacy.services import audit
from werkcentrum.regions.models import Municipality

from .anonymity import anonymise, default_hierarchies
from .models import ContactRequest, PortalSearch

K = 5
SEARCHES_PER_HOUR = 30


def group_key(attributes: dict) -> str:
    return hashlib.sha256(json.dumps(attributes, sort_keys=True).encode()).hexdigest()[:16]


def _require_employer(user) -> None:
    if not user.is_employer:
        raise NotAllowed(_("The portal is for employers."))


def _check_rate(user) -> None:
    recent = PortalSearch.objects.filter(
        user=user, at__gte=timezone.now() - timedelta(hours=1)
    ).count()
    if recent >= SEARCHES_PER_HOUR:
        raise ServiceError(
            _("You searched %(n)s times in the last hour. Please try again later.")
            % {"n": SEARCHES_PER_HOUR}
        )


def _records(region, chain: str, subregion: str, min_education: int | None):
    municipalities = {
        m.code: m for m in Municipality.objects.filter(region=region).select_related("subregion")
    }
    candidates = CandidateProfile.objects.with_consent().filter(
        region=region, work_fit=True, available=True
    )
    if subregion:
        candidates = candidates.filter(municipality__subregion__code=subregion)
    if min_education is not None:
        candidates = candidates.filter(education_level__gte=min_education)
    # Only the first occupation is shown: the database hands over its label and ISCO group, so
    # the whole list of every candidate is not decoded from JSON (load test, issue 7).
    rows = candidates.values_list(
        "pk",
        KT("occupations__0__label"),
        KT("occupations__0__isco_group"),
        "municipality__code",
        "education_level",
        "hours_min",
        "hours_max",
        "experience_years",
        "wants_work_and_learn",
    )
    records = []
    for row in rows:
        pk, label, isco_group, municipality, education, hours_min, hours_max, experience, wal = row
        if label is None or isco_group is None:  # no occupation
            continue
        if chain and chain_of_isco(isco_group) != chain:
            continue
        records.append(
            {
                "id": pk,
                "occupation": (label, isco_group),
                "place": municipality,
                "education": education,
                "hours": (hours_min, hours_max),
                "experience": experience,
                "work_and_learn": bool(wal),
            }
        )
    subregion_of = {code: m.subregion.name for code, m in municipalities.items()}
    region_of = {m.subregion.name: region.name for m in municipalities.values()}
    names = {code: m.name for code, m in municipalities.items()}
    return records, default_hierarchies(subregion_of, region_of, isco_labels()), names


def search(
    user,
    *,
    chain: str = "",
    subregion: str = "",
    min_education: int | None = None,
    log: bool = True,
):
    """Groups of at least K candidates with generalised attributes; never an individual."""
    _require_employer(user)
    if log:
        _check_rate(user)
    region = user.employer.region
    records, hierarchies, names = _records(region, chain, subregion, min_education)
    result = anonymise(records, hierarchies, k=K)
    if log:
        PortalSearch.objects.create(
            user=user,
            employer=user.employer,
            params={"chain": chain, "subregion": subregion, "min_education": min_education},
            groups_shown=len(result.groups),
            candidates_covered=sum(g.count for g in result.groups),
        )
        audit(user=user, action="portal_search", detail={"chain": chain, "subregion": subregion})
    groups = []
    for group in result.groups:
        shown = dict(group.attributes)
        if shown.get("place") in names:
            shown["place"] = names[shown["place"]]
        groups.append(
            {
                "key": group_key(group.attributes),
                "attributes": shown,
                "count": group.count,
                "_members": group.member_ids,
                "_raw": group.attributes,
            }
        )
    return groups, result


@transaction.atomic
def request_contact(
    user, *, key: str, chain: str, subregion: str, min_education, message: str
) -> ContactRequest:
    _require_employer(user)
    groups, _result = search(
        user, chain=chain, subregion=subregion, min_education=min_education, log=False
    )
    group = next((g for g in groups if g["key"] == key), None)
    if group is None:
        raise ServiceError(_("This group is no longer available; please search again."))
    request = ContactRequest.objects.create(
        employer=user.employer,
        requested_by=user,
        attributes=group["attributes"],
        member_ids=list(group["_members"]),
        message=(message or "").strip()[:2000],
    )
    EmployerContact.objects.create(
        employer=user.employer,
        user=user,
        channel=EmployerContact.Channel.FRONT_DOOR,
        at=timezone.now(),
        subject=_("Contact request from the portal (%(n)s candidates)") % {"n": group["count"]},
        note=request.message,
    )
    holder = user.employer.account_holder
    if holder is not None and holder.email:
        link = settings.SITE_URL.rstrip("/") + reverse("employers:detail", args=[user.employer_id])
        queue_email(
            f"Contactverzoek uit het werkgeversportaal: {user.employer.name}",
            f"{user.employer.name} wil in contact komen met {group['count']} kandidaten "
            f"({', '.join(str(v) for v in group['attributes'].values())}).\n\n{link}",
            [holder.email],
            key=f"portal-contact-request:{request.pk}",
        )
    audit(user=user, action="portal_contact_request", obj=request)
    return request


@transaction.atomic
def ask_question(user, *, question: str):
    """An employer's question from the portal goes through the same front door as every other
    question (counted, triaged, owned until answered), lands in the employer's contact log and
    is announced to the account holder."""
    from werkcentrum.frontdoor import services as frontdoor
    from werkcentrum.frontdoor.models import AskerType, Channel

    _require_employer(user)
    employer = user.employer
    contact = frontdoor.register_contact(
        region=employer.region,
        channel=Channel.DIGITAL,
        asker_type=AskerType.EMPLOYER,
        question=question,
        municipality=employer.municipality,
        organisation_name=employer.name,
    )
    EmployerContact.objects.create(
        employer=employer,
        user=user,
        channel=EmployerContact.Channel.FRONT_DOOR,
        at=timezone.now(),
        subject=_("Question from the portal (%(ref)s)") % {"ref": contact.reference},
        note=contact.question,
        front_door_contact=contact,
    )
    holder = employer.account_holder
    if holder is not None and holder.email:
        link = settings.SITE_URL.rstrip("/") + reverse("employers:detail", args=[employer.pk])
        queue_email(
            f"Vraag uit het werkgeversportaal: {employer.name} ({contact.reference})",
            f"{employer.name} stelde via het portaal een vraag:\n\n{contact.question}\n\n{link}",
            [holder.email],
            key=f"portal-question:{contact.pk}",
        )
    return contact


def employer_questions(user):
    from werkcentrum.frontdoor.models import Contact

    _require_employer(user)
    ids = EmployerContact.objects.filter(
        employer_id=user.employer_id, front_door_contact__isnull=False
    ).values("front_door_contact_id")
    return Contact.objects.filter(pk__in=ids).order_by("-created_at")
