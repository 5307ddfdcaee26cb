"""Writes for vacancies: register, change status, import from the old systems."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from werkcentrum.employers.models import Employer
from werkcentrum.employers.services import require_employer_services
from werkcentrum.frontdoor.errors import Conflict, ServiceError
from werkcentrum.occupations import registry
from werkcentrum.occupations.normalise import default_normaliser
from werkcentrum.privacy.services import audit
from werkcentrum.regions.models import Municipality

from .importer import ImportFileError, read_rows, validate_row
from .models import VACANCY_TRANSITIONS, Vacancy, VacancyStatus

TITLE_MATCH_THRESHOLD = 0.55  # below this an import row needs an explicit ESCO id


def occupation_for(esco_id: str) -> tuple[str, str]:
    """(label, isco_group) for an ESCO id, or ServiceError."""
    occupation = registry.occupation(esco_id) if esco_id else None
    if occupation is None:
        raise ServiceError(_("Choose an occupation from the list."), field="esco_id")
    return occupation.label, occupation.isco_group


def _check(employer: Employer, municipality: Municipality, hours: int) -> None:
    if not 1 <= int(hours) <= 60:
        raise ServiceError(_("Hours per week must be between 1 and 60."), field="hours")


@transaction.atomic
def create_vacancy(
    user,
    *,
    employer: Employer,
    esco_id: str,
    title: str,
    hours: int,
    municipality: Municipality,
    **fields,
) -> Vacancy:
    if user.is_employer:
        if user.employer_id != employer.pk:
            raise ServiceError(_("You can only post vacancies for your own company."))
    else:
        require_employer_services(user, employer.region_id)
    _check(employer, municipality, hours)
    label, isco = occupation_for(esco_id)
    vacancy = Vacancy.objects.create(
        region=employer.region,
        employer=employer,
        esco_id=esco_id,
        occupation_label=label,
        isco_group=isco,
        title=(title or label).strip()[:200],
        hours=hours,
        municipality=municipality,
        created_by=user,
        **fields,
    )
    audit(user=user, action="vacancy_created", obj=vacancy)
    return vacancy


@transaction.atomic
def update_vacancy(vacancy: Vacancy, user, **fields) -> Vacancy:
    require_employer_services(user, vacancy.region_id) if not user.is_employer else None
    if user.is_employer and user.employer_id != vacancy.employer_id:
        raise ServiceError(_("You can only change your own vacancies."))
    if "esco_id" in fields:
        fields["occupation_label"], fields["isco_group"] = occupation_for(fields["esco_id"])
    if "hours" in fields:
        _check(vacancy.employer, fields.get("municipality", vacancy.municipality), fields["hours"])
    for name, value in fields.items():
        setattr(vacancy, name, value)
    vacancy.save()
    return vacancy


@transaction.atomic
def change_status(vacancy: Vacancy, user, status: str) -> Vacancy:
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if user.is_employer:
        if user.employer_id != vacancy.employer_id:
            raise ServiceError(_("You can only change your own vacancies."))
    else:
        require_employer_services(user, vacancy.region_id)
    if status not in VACANCY_TRANSITIONS.get(vacancy.status, set()):
        raise Conflict(
            _("A vacancy that is %(current)s cannot become %(new)s.")
            % {"current": vacancy.get_status_display(), "new": VacancyStatus(status).label}
        )
    vacancy.status = status
    vacancy.save(update_fields=["status", "updated_at"])
    audit(user=user, action="vacancy_status", obj=vacancy, detail={"status": status})
    return vacancy


@dataclass
class ImportReport:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, field, message)
    file_error: str = ""

    @property
    def invalid_rows(self) -> int:
        return len({line for line, _f, _m in self.errors})

    def to_dict(self) -> dict:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "invalid": self.invalid_rows,
            "file_error": self.file_error,
            "errors": [{"line": line, "field": f, "message": m} for line, f, m in self.errors],
        }


IMPORTED_FIELDS = (
    "title",
    "esco_id",
    "occupation_label",
    "isco_group",
    "hours",
    "municipality_id",
    "postcode",
    "education_level",
    "required_skills",
    "desired_skills",
    "work_and_learn",
    "job_agreement",
    "start_date",
    "status",
    "source",
    "description",
    "employer_id",
)


def import_vacancies(
    data: bytes,
    filename: str,
    *,
    user,
    region,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Valid rows are created or updated (matched on the old system's reference, so importing
    the same file twice changes nothing); invalid rows are reported by line and field and leave
    any existing vacancy untouched. Each row commits on its own."""
    require_employer_services(user, region.id)
    report = ImportReport()
    municipality_codes = {}
    for m in Municipality.objects.filter(region=region):
        for name in [m.name, *m.aliases, m.code]:
            municipality_codes[name.casefold()] = m.pk
    employers = dict(Employer.objects.filter(region=region).values_list("kvk_number", "pk"))
    normaliser = default_normaliser()
    esco_ids = registry.esco_ids()
    try:
        rows = list(
            read_rows(data, filename)
        )  # the whole file is checked before anything is written
    except ImportFileError as exc:
        report.file_error = str(exc)
        audit(user=user, action="vacancy_import", detail={"file_error": report.file_error})
        return report
    try:
        for line, raw in rows:
            report.total += 1
            row = validate_row(
                line,
                raw,
                municipality_codes=municipality_codes,
                known_kvk=set(employers),
                esco_ids=esco_ids,
            )
            values = row.values
            if not row.errors and not values["esco_id"]:
                best = normaliser.normalise(values["title"], top=1)
                if best and best[0].score >= TITLE_MATCH_THRESHOLD:
                    values["esco_id"] = best[0].esco_id
                else:
                    row.errors.append(
                        ("esco_id", _("no clear ESCO occupation for this title; add an ESCO id"))
                    )
            if row.errors:
                report.errors.extend((line, f, m) for f, m in row.errors)
            elif not dry_run:
                _write_row(values, employers, region, user, report)
            if progress and report.total % 500 == 0:
                progress(report.total)
    except ImportFileError as exc:
        report.file_error = str(exc)
    if progress:
        progress(report.total)
    audit(
        user=user,
        action="vacancy_import",
        detail={k: v for k, v in report.to_dict().items() if k != "errors"},
    )
    return report


def _write_row(values: dict, employers: dict, region, user, report: ImportReport) -> None:
    occupation = registry.occupation(values["esco_id"])
    target = {
        "title": values["title"],
        "esco_id": values["esco_id"],
        "occupation_label": occupation.label,
        "isco_group": occupation.isco_group,
        "hours": values["hours"],
        "municipality_id": values["municipality"],
        "postcode": values["postcode"],
        "education_level": values["education_level"],
        "required_skills": values["required_skills"],
        "desired_skills": values["desired_skills"],
        "work_and_learn": values["work_and_learn"],
        "job_agreement": values["job_agreement"],
        "start_date": values["start_date"],
        "status": values["status"],
        "source": values["source"],
        "description": values["description"],
        "employer_id": employers[values["kvk_number"]],
    }
    with transaction.atomic():
        existing = (
            Vacancy.objects.select_for_update()
            .filter(region=region, external_ref=values["external_ref"])
            .first()
        )
        if existing is None:
            Vacancy.objects.create(
                region=region, external_ref=values["external_ref"], created_by=user, **target
            )
            report.created += 1
        elif all(getattr(existing, k) == v for k, v in target.items()):
            report.unchanged += 1
        else:
            for k, v in target.items():
                setattr(existing, k, v)
            existing.save()
            report.updated += 1


MAX_UPLOAD = 20 * 1024 * 1024
