"""Find-or-create of a known person without duplicates.

A person matches when the name is similar (fuzzy, tolerant of typos and word order) AND at
least one identifier agrees: date of birth, e-mail or phone. A name alone is never enough,
and neither is a shared phone number with a clearly different name (households share phones).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from rapidfuzz import fuzz

from werkcentrum.privacy.bsn import bsn_lookup_hash, encrypt_bsn, is_valid_bsn, normalise_bsn

from .errors import ServiceError
from .models import Person

NAME_THRESHOLD = 80  # rapidfuzz token_sort_ratio, 0..100
AUTO_MATCH_THRESHOLD = 92


def normalise_name(value: str) -> str:
    text = unicodedata.normalize("NFKD", value or "").encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z ]+", " ", text.lower()).strip()


def normalise_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("0031"):
        digits = "0" + digits[4:]
    elif digits.startswith("31") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def name_similarity(a: str, b: str) -> float:
    return fuzz.token_sort_ratio(normalise_name(a), normalise_name(b))


@dataclass(frozen=True)
class PersonMatch:
    person: Person
    score: float
    matched_on: tuple[str, ...]  # "date_of_birth", "email", "phone", "bsn"


def find_matches(
    region,
    *,
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    email: str = "",
    phone: str = "",
    bsn: str = "",
    limit: int = 5,
) -> list[PersonMatch]:
    identifiers = Q()
    email = (email or "").strip().lower()
    phone = normalise_phone(phone)
    if date_of_birth:
        identifiers |= Q(date_of_birth=date_of_birth)
    if email:
        identifiers |= Q(email__iexact=email)
    if phone:
        identifiers |= Q(phone=phone)
    bsn_hash = bsn_lookup_hash(bsn) if bsn and is_valid_bsn(normalise_bsn(bsn)) else ""
    if bsn_hash:
        identifiers |= Q(bsn_hash=bsn_hash)
    if not identifiers:
        return []
    wanted = f"{first_name} {last_name}"
    matches = []
    for person in Person.objects.filter(identifiers, region=region)[:200]:
        matched_on = []
        if date_of_birth and person.date_of_birth == date_of_birth:
            matched_on.append("date_of_birth")
        if email and person.email.lower() == email:
            matched_on.append("email")
        if phone and person.phone == phone:
            matched_on.append("phone")
        if bsn_hash and person.bsn_hash == bsn_hash:
            matched_on.append("bsn")
        similarity = name_similarity(wanted, person.full_name) if last_name else 0.0
        if "bsn" in matched_on:
            score = 100.0
        elif similarity >= NAME_THRESHOLD:
            score = min(100.0, similarity + 4 * (len(matched_on) - 1))
        else:
            continue
        matches.append(PersonMatch(person, score, tuple(matched_on)))
    matches.sort(key=lambda m: (-m.score, m.person.pk))
    return matches[:limit]


def create_person(
    region,
    *,
    first_name="",
    last_name,
    date_of_birth=None,
    email="",
    phone="",
    postcode="",
    municipality=None,
    bsn="",
) -> Person:
    if not (last_name or "").strip():
        raise ServiceError("A last name is needed to register a person.", field="last_name")
    person = Person(
        region=region,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        date_of_birth=date_of_birth,
        email=(email or "").strip().lower(),
        phone=normalise_phone(phone),
        postcode=(postcode or "").replace(" ", "").upper(),
        municipality=municipality,
    )
    if bsn:
        set_bsn(person, bsn)
    person.save()
    return person


def set_bsn(person: Person, bsn: str) -> None:
    value = normalise_bsn(bsn)
    if not is_valid_bsn(value):
        raise ServiceError("This is not a valid BSN (it fails the eleven-test).", field="bsn")
    person.bsn_encrypted = encrypt_bsn(value)
    person.bsn_hash = bsn_lookup_hash(value)


def find_or_create_person(region, **data) -> tuple[Person, bool]:
    """The existing person when one clearly matches, else a new one. Returns (person, created)."""
    lookup = {k: data.get(k) or "" for k in ("first_name", "last_name", "email", "phone", "bsn")}
    matches = find_matches(region, date_of_birth=data.get("date_of_birth"), **lookup)
    if matches and matches[0].score >= AUTO_MATCH_THRESHOLD:
        return matches[0].person, False
    return create_person(region, **data), True
