"""application/problem+json errors (RFC 9457) listing every invalid field."""

from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from werkcentrum.frontdoor.errors import ServiceError

PROBLEM = "application/problem+json"


def _flatten(detail, prefix=""):
    """DRF's nested error detail as a flat list of {name, code, reason}."""
    items = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            items.extend(_flatten(value, "" if key == "non_field_errors" else name))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list):
                items.extend(_flatten(value, f"{prefix}.{index}" if prefix else str(index)))
            else:
                items.extend(_flatten(value, prefix))
    else:
        items.append(
            {
                "name": prefix or "nonFieldErrors",
                "code": getattr(detail, "code", "invalid"),
                "reason": str(detail),
            }
        )
    return items


def problem(
    status_code: int, title: str, detail: str = "", invalid_params=None, instance: str = ""
) -> Response:
    body = {"type": "about:blank", "title": title, "status": status_code}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if invalid_params:
        body["invalidParams"] = invalid_params
    return Response(body, status=status_code, content_type=PROBLEM)


def problem_exception_handler(exc, context):
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, ServiceError):
        params = (
            [{"name": exc.field, "code": "invalid", "reason": exc.message}] if exc.field else None
        )
        titles = {400: "Invalid request", 403: "Forbidden", 409: "Conflict"}
        return problem(
            exc.status_code, titles.get(exc.status_code, "Error"), exc.message, params, instance
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        return problem(
            status.HTTP_400_BAD_REQUEST,
            "Invalid request",
            "One or more fields are invalid.",
            _flatten(exc.detail),
            instance,
        )
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    title = str(getattr(exc, "default_detail", "Error"))
    if "{" in title:  # a template, e.g. 'Unsupported media type "{media_type}" in request.'
        title = HTTPStatus(response.status_code).phrase
    result = problem(response.status_code, title, detail, instance=instance)
    for header in ("WWW-Authenticate", "Retry-After", "Allow"):
        if header in response:
            result[header] = response[header]
    return result
