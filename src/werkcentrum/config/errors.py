"""Friendly error pages (never a stack trace). API paths get problem+json."""

from django.http import JsonResponse
from django.shortcuts import render


def _problem(status: int, title: str):
    response = JsonResponse(
        {"type": "about:blank", "title": title, "status": status}, status=status
    )
    response["Content-Type"] = "application/problem+json"
    return response


def _error(request, status: int, title: str, template: str):
    if request.path.startswith("/api/"):
        return _problem(status, title)
    return render(request, template, {"status": status}, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "Bad request", "errors/400.html")


def permission_denied(request, exception=None):
    return _error(request, 403, "Forbidden", "errors/403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "Not found", "errors/404.html")


def server_error(request):
    return _error(request, 500, "Server error", "errors/500.html")
