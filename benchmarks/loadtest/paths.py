"""Every URL the load-test scenario requests, by URL name (no locust or Django import here).

``tests/test_loadtest_scenario.py`` checks each against the URL configuration, so a renamed or
moved page fails the tests instead of turning the load test into a stream of 404s.
"""

from __future__ import annotations

# URL name -> (path template, example kwargs for the check)
PATHS: dict[str, tuple[str, dict[str, int]]] = {
    # guides (front office)
    "frontdoor:guide_queue": ("/guide/", {}),
    "frontdoor:intake": ("/guide/new/", {}),
    "frontdoor:triage_preview": ("/guide/triage-preview/", {}),
    "frontdoor:person_search": ("/guide/persons/search/", {}),
    "frontdoor:contact_detail": ("/guide/contacts/{pk}/", {"pk": 1}),
    "frontdoor:contact_handover": ("/guide/contacts/{pk}/handover/", {"pk": 1}),
    "frontdoor:contact_answer": ("/guide/contacts/{pk}/answer/", {"pk": 1}),
    # partner employees
    "frontdoor:partner_inbox": ("/partner/inbox/", {}),
    "frontdoor:partner_handover": ("/partner/handovers/{pk}/", {"pk": 1}),
    "frontdoor:partner_accept": ("/partner/handovers/{pk}/accept/", {"pk": 1}),
    "frontdoor:partner_return": ("/partner/handovers/{pk}/return/", {"pk": 1}),
    # residents
    "home": ("/", {}),
    "vacancies:public_search": ("/vacatures/", {}),
    "vacancies:public_detail": ("/vacatures/{pk}/", {"pk": 1}),
    "residents:home": ("/mijn/", {}),
    # employers (portal)
    "portal:home": ("/portal/", {}),
    "portal:search": ("/portal/candidates/", {}),
    "portal:proposals": ("/portal/proposals/", {}),
    # logging in and out
    "accounts:login": ("/accounts/login/", {}),
    "accounts:login_otp": ("/accounts/login/code/", {}),
    "accounts:logout": ("/accounts/logout/", {}),
    "frontdoor:workspace": ("/workspace/", {}),
}


def url(name: str, **kwargs: int) -> str:
    return PATHS[name][0].format(**kwargs)
