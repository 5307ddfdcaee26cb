"""The one way to write the processing log and the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from .models import AuditEvent, ProcessingLogEntry


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit(*, user, action: str, obj=None, request=None, detail: dict | None = None) -> AuditEvent:
    return AuditEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        action=action,
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        ip_address=_client_ip(request),
        detail=detail or {},
    )


def _organisation(actor) -> str:
    """The organisation an actor works for: a partner, or an employer in the portal."""
    return str(getattr(actor, "partner", None) or getattr(actor, "employer", None) or "")


def log_processing(
    *,
    actor,
    activity: str,
    operation: str,
    obj,
    persons: Iterable | None = None,
    trace_id: str | None = None,
) -> list[ProcessingLogEntry]:
    """Write one processing-log entry per data subject whose data ``obj`` exposes.

    ``persons`` defaults to ``obj.person`` (or ``obj`` itself for a Person). Objects without a
    known person (an anonymous question) are still logged once, without a subject.
    """
    if persons is None:
        if obj._meta.model_name == "person":
            persons = [obj]
        else:
            person = getattr(obj, "person", None)
            persons = [person] if person is not None else [None]
    persons = list(persons) or [None]
    actor_ok = actor if getattr(actor, "pk", None) else None
    role = getattr(actor_ok, "role", "") if actor_ok else "system"
    organisation = _organisation(actor_ok) if actor_ok else ""
    trace = trace_id or uuid.uuid4().hex
    entries = [
        ProcessingLogEntry(
            activity_id=activity,  # the register's code is its key
            operation=operation,
            actor=actor_ok,
            actor_role=role,
            actor_organisation=organisation[:200],
            subject_person=person,
            object_type=obj._meta.model_name,
            object_id=str(obj.pk),
            trace_id=trace,
        )
        for person in persons
    ]
    return ProcessingLogEntry.objects.bulk_create(entries)


def log_list_reads(*, actor, activity: str, objects, person_attr: str = "person") -> int:
    """One INSERT for a whole list page: a 'read' entry per shown object with a known person.

    Lists (queues, inboxes) show names too, so they are processing as much as a detail page.
    """
    actor_ok = actor if getattr(actor, "pk", None) else None
    role = getattr(actor_ok, "role", "") if actor_ok else "system"
    organisation = _organisation(actor_ok)[:200] if actor_ok else ""
    trace = uuid.uuid4().hex
    entries = []
    for obj in objects:
        person = obj
        for part in person_attr.split("."):
            person = getattr(person, part, None)
        if person is None:
            continue
        entries.append(
            ProcessingLogEntry(
                activity_id=activity,
                operation="read",
                actor=actor_ok,
                actor_role=role,
                actor_organisation=organisation,
                subject_person=person,
                object_type=obj._meta.model_name,
                object_id=str(obj.pk),
                trace_id=trace,
            )
        )
    ProcessingLogEntry.objects.bulk_create(entries)
    return len(entries)
