"""Who may do what: one entry per URL name and per API operation (the truth, read from the views).

An entry says which roles get in (``allow``) and what the others get: anonymous visitors are
sent to a login page (``login``; 401 in the API), logged-in roles are refused with 403 (a role
check) or 404 (the object is outside what ``visible_to`` gives them: another organisation,
another region, another person). ``shows``/``hides`` name what a list must and must not contain
for a role (the world's ``marks``): lists are checked for scoping, not just for a status.

``method="POST"`` marks an action: it is POSTed by every role (an empty or minimal body), and a
GET to it must never be allowed (405 for the roles that may POST). ``post=True`` marks a page
that is also a form: its POST is checked too, with ``post_allow`` when other roles may submit
than may look. Allowed POSTs must get past the checks (not 401/403/404/405, no login redirect);
refused requests must not write to the database at all.

A new URL pattern or API operation without an entry here fails ``test_access_matrix``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import (
    ADMINISTRATOR,
    ADVISER,
    ANONYMOUS,
    COORDINATOR,
    EMPLOYER,
    FUND,
    GUIDE,
    GUIDE_ACHTERHOEK,
    MANAGER,
    PARTNER_A,
    PARTNER_B,
    RESIDENT,
    ROLES,
)

EVERYONE = frozenset(ROLES)
LOGGED_IN = EVERYONE - {ANONYMOUS}
FRONT_OFFICE = frozenset({GUIDE, COORDINATOR, GUIDE_ACHTERHOEK})  # guides and coordinators
TWENTE = frozenset({GUIDE, COORDINATOR})  # the front office of the objects' region
PARTNERS = frozenset({PARTNER_A, PARTNER_B, FUND})  # partner employees of three organisations
EMPLOYER_SERVICES = frozenset({ADVISER, COORDINATOR, ADMINISTRATOR})
APPOINTMENT_STAFF = frozenset({GUIDE, COORDINATOR, ADVISER, GUIDE_ACHTERHOEK})
ADVISERS = FRONT_OFFICE | EMPLOYER_SERVICES  # candidates and trajectories
COORDINATION = frozenset({COORDINATOR, ADMINISTRATOR})  # coordinator pages (admin with a region)
FIGURES = frozenset({MANAGER, COORDINATOR, ADMINISTRATOR})  # budget, monitoring
FUND_STAFF = frozenset({FUND, ADMINISTRATOR})
NOT_IN_TWENTE = {GUIDE_ACHTERHOEK: 404}  # the object is in Twente: another region's guide
OTHER_PARTNERS = {PARTNER_B: 404, FUND: 404}  # the handover is partner A's

STAFF_LOGIN = "accounts:login"
RESIDENT_LOGIN = "residents:login"


@dataclass(frozen=True)
class Access:
    allow: frozenset  # roles that get in
    method: str = "GET"  # "POST": an action (POST only)
    post: bool = False  # a page that is also a form: its POST is checked too
    post_allow: frozenset | None = None  # who may submit, when not ``allow``
    kwargs: dict = field(default_factory=dict)  # URL kwarg -> world object: "name", "name.attr"
    query: dict = field(default_factory=dict)  # query string: literals, "@name" a world object
    data: dict = field(default_factory=dict)  # POST body: the same
    ok: int = 200  # what an allowed role gets on GET
    get_ok: int = 405  # what an allowed role gets on GET to an action (POST only)
    ok_for: dict = field(default_factory=dict)  # role -> another status (a redirect, ...)
    denied: int = 403  # what a refused logged-in role gets
    denied_for: dict = field(default_factory=dict)  # role -> another status (404: not theirs)
    post_denied_for: dict = field(default_factory=dict)  # the same for POST, when it differs
    login: str = STAFF_LOGIN  # where a refused anonymous visitor is sent (API: 401)
    shows: dict = field(default_factory=dict)  # role -> marks the page must contain
    hides: dict = field(default_factory=dict)  # role -> marks the page must not contain

    def __post_init__(self):
        unknown = (set(self.allow) | set(self.ok_for) | set(self.denied_for)) - EVERYONE
        assert not unknown, f"unknown roles {unknown}"
        assert not set(self.denied_for) & set(self.allow), "a role is allowed and denied"

    @property
    def posted_by(self) -> frozenset:
        return self.post_allow if self.post_allow is not None else self.allow

    @property
    def checks_post(self) -> bool:
        return self.method == "POST" or self.post

    def expected(self, role: str, method: str = "GET"):
        """("allow", status) or ("deny", status) — status "login" for a login redirect."""
        allowed = self.posted_by if method == "POST" else self.allow
        if role in allowed:
            return "allow", self.ok_for.get(role, self.ok)
        if role == ANONYMOUS:
            return "deny", "login" if self.login else 401
        if method == "POST" and role in self.post_denied_for:
            return "deny", self.post_denied_for[role]
        return "deny", self.denied_for.get(role, self.denied)


def public(**kw) -> Access:
    return Access(allow=EVERYONE, login="", **kw)


def page(allow, **kw) -> Access:
    return Access(allow=frozenset(allow), **kw)


def action(allow, **kw) -> Access:
    return Access(allow=frozenset(allow), method="POST", **kw)


def resident_page(**kw) -> Access:
    return Access(allow=frozenset({RESIDENT}), login=RESIDENT_LOGIN, **kw)


def resident_action(**kw) -> Access:
    return Access(allow=frozenset({RESIDENT}), method="POST", login=RESIDENT_LOGIN, **kw)


LOGGED_IN_REDIRECTED = {role: 302 for role in LOGGED_IN}

# -- pages and actions, by URL name ---------------------------------------------------------------

URLS: dict[str, Access] = {
    # -- accounts, language, DigiD (public machinery)
    "accounts:login": public(),
    "accounts:login_otp": public(ok=302),  # no pending second step: back to the login
    "accounts:logout": public(method="POST", ok=302),
    "accounts:two_factor": page(LOGGED_IN),
    "set_language": public(method="POST", ok=302, get_ok=302),  # GET only redirects back
    "oidc_authentication_init": public(ok=404),  # DigiD is not configured in the tests
    "oidc_authentication_callback": public(ok=404),
    "oidc_logout": public(method="POST", ok=302),
    "api:schema": public(),
    "api:docs": public(),
    # -- the public front door
    "home": public(ok_for=LOGGED_IN_REDIRECTED),  # logged in: to the workspace
    "frontdoor:home": public(ok_for=LOGGED_IN_REDIRECTED),
    "frontdoor:ask": public(),
    "frontdoor:question_received": public(kwargs={"token": "receipt"}),
    "frontdoor:walk_in_points": public(),
    "frontdoor:workspace": page(LOGGED_IN, ok=302),  # every role to its own start page
    # -- guides and coordinators (front office), own region only
    "frontdoor:guide_queue": page(
        FRONT_OFFICE,
        shows={GUIDE: ("contact_t",), GUIDE_ACHTERHOEK: ("contact_ah",)},
        hides={GUIDE: ("contact_ah",), GUIDE_ACHTERHOEK: ("contact", "contact_b", "contact_t")},
    ),
    "frontdoor:intake": page(FRONT_OFFICE, post=True),
    "frontdoor:triage_preview": action(FRONT_OFFICE),
    "frontdoor:person_search": page(
        FRONT_OFFICE,
        query={"first_name": "Yvonne", "last_name": "Jansen", "email": "yvonne.jansen@example.org"},
        shows={GUIDE: ("resident",), COORDINATOR: ("resident",)},
        hides={GUIDE_ACHTERHOEK: ("resident",)},
    ),
    "frontdoor:contact_detail": page(
        TWENTE,
        kwargs={"pk": "contact"},
        denied_for=NOT_IN_TWENTE,
        shows={GUIDE: ("contact", "resident")},
    ),
    **{
        f"frontdoor:contact_{name}": action(
            TWENTE, kwargs={"pk": "contact"}, denied_for=NOT_IN_TWENTE
        )
        for name in ("answer", "advice", "handover", "override", "person", "claim", "reopen")
    },
    "frontdoor:handover_withdraw": action(
        TWENTE, kwargs={"pk": "handover"}, data={"reason": "Test"}, denied_for=NOT_IN_TWENTE
    ),
    "frontdoor:consent_withdraw": action(
        TWENTE, kwargs={"pk": "consent"}, denied_for=NOT_IN_TWENTE
    ),
    # -- partner employees: their own organisation's handovers only
    "frontdoor:partner_inbox": page(
        PARTNERS,
        shows={PARTNER_A: ("contact",), PARTNER_B: ("contact_b",)},
        hides={
            PARTNER_A: ("contact_b", "resident_y"),
            PARTNER_B: ("contact", "resident"),
            FUND: ("contact", "contact_b", "resident", "resident_y"),
        },
    ),
    "frontdoor:partner_handover": page(
        {PARTNER_A},
        kwargs={"pk": "handover"},
        denied_for=OTHER_PARTNERS,
        shows={PARTNER_A: ("contact", "resident")},
    ),
    "frontdoor:partner_accept": action(
        {PARTNER_A}, kwargs={"pk": "handover"}, denied_for=OTHER_PARTNERS
    ),
    "frontdoor:partner_return": action(
        {PARTNER_A}, kwargs={"pk": "handover"}, denied_for=OTHER_PARTNERS
    ),
    # -- coordinators (and administrators with a region)
    "frontdoor:escalations": page(COORDINATION),
    "frontdoor:escalation_remind": action(COORDINATION, kwargs={"pk": "handover"}),
    "frontdoor:escalation_reroute": action(COORDINATION, kwargs={"pk": "handover"}),
    "frontdoor:escalation_reassign": action(COORDINATION, kwargs={"pk": "contact"}),
    "frontdoor:insights": page(COORDINATION),
    "frontdoor:rules": page(COORDINATION, post=True),
    "frontdoor:manager_overview": page(
        {MANAGER, ADMINISTRATOR}, hides={MANAGER: ("contact", "resident")}
    ),
    # -- employer services
    "employers:list": page(EMPLOYER_SERVICES, shows={ADVISER: ("employer", "employer_b")}),
    "employers:new": page(EMPLOYER_SERVICES, post=True),
    "employers:detail": page(EMPLOYER_SERVICES, kwargs={"pk": "employer"}),
    "employers:log_contact": action(EMPLOYER_SERVICES, kwargs={"pk": "employer"}),
    "employers:add_location": action(EMPLOYER_SERVICES, kwargs={"pk": "employer"}),
    "employers:nps_answer": public(kwargs={"token": "nps_token"}),
    "vacancies:list": page(EMPLOYER_SERVICES, shows={ADVISER: ("vacancy", "vacancy_b")}),
    "vacancies:new": page(  # an employer always for its own company (the query is ignored)
        EMPLOYER_SERVICES | {EMPLOYER}, query={"employer": "@employer"}, post=True
    ),
    "vacancies:import": page(EMPLOYER_SERVICES, post=True),
    "vacancies:occupations": public(query={"title": "verzorgende"}),  # also for the portal
    "vacancies:detail": page(EMPLOYER_SERVICES, kwargs={"pk": "vacancy"}),
    "vacancies:status": action(EMPLOYER_SERVICES, kwargs={"pk": "vacancy"}),
    "vacancies:shortlist": action(
        EMPLOYER_SERVICES, kwargs={"pk": "vacancy"}, data={"candidate": "@candidate"}
    ),
    "vacancies:placement": action(EMPLOYER_SERVICES, kwargs={"pk": "vacancy"}),
    "vacancies:proposal_move": action(EMPLOYER_SERVICES, kwargs={"pk": "proposal"}),
    "vacancies:proposal_identity": action(EMPLOYER_SERVICES, kwargs={"pk": "proposal"}),
    # the public vacancy pages show the visitor's own region (the default region when anonymous)
    "vacancies:public_search": public(),
    "vacancies:public_detail": Access(
        allow=EVERYONE - {GUIDE_ACHTERHOEK},
        kwargs={"pk": "vacancy"},
        denied_for=NOT_IN_TWENTE,
        login="",
    ),
    # -- candidate profiles: advisers of the region; employers never (they search anonymised)
    "candidates:list": page(
        ADVISERS,
        shows={ADVISER: ("resident", "resident_y"), GUIDE: ("resident",)},
        hides={GUIDE_ACHTERHOEK: ("resident", "resident_y")},
    ),
    "candidates:detail": page(
        ADVISERS - {GUIDE_ACHTERHOEK}, kwargs={"pk": "candidate"}, denied_for=NOT_IN_TWENTE
    ),
    "candidates:edit": page(
        ADVISERS - {GUIDE_ACHTERHOEK},
        kwargs={"person_pk": "candidate.person_id"},
        denied_for=NOT_IN_TWENTE,
        post=True,
    ),
    # -- the employer portal
    "portal:home": page(
        {EMPLOYER}, shows={EMPLOYER: ("vacancy",)}, hides={EMPLOYER: ("vacancy_b",)}
    ),
    "portal:search": page({EMPLOYER}, query={"search": "1"}),
    "portal:proposals": page(
        {EMPLOYER},
        shows={EMPLOYER: ("vacancy",)},
        # the candidate did not share who they are; employer B's candidate is not ours at all
        hides={EMPLOYER: ("resident", "resident_y", "vacancy_b")},
    ),
    "portal:ask": action({EMPLOYER}),
    "portal:contact_request": action({EMPLOYER}),
    # -- trajectories
    "trajectories:list": page(
        ADVISERS,
        shows={GUIDE: ("trajectory_person",)},
        hides={GUIDE_ACHTERHOEK: ("trajectory_person",)},
    ),
    "trajectories:detail": page(
        ADVISERS - {GUIDE_ACHTERHOEK}, kwargs={"pk": "trajectory"}, denied_for=NOT_IN_TWENTE
    ),
    **{
        f"trajectories:{name}": action(
            ADVISERS - {GUIDE_ACHTERHOEK}, kwargs={"pk": "trajectory"}, denied_for=NOT_IN_TWENTE
        )
        for name in ("plan", "note", "close")
    },
    # -- appointments (staff); the booking is in Twente, on the guide's own slot
    "appointments:overview": page(APPOINTMENT_STAFF, post=True),
    "appointments:book": page(
        TWENTE, query={"contact": "@contact"}, denied_for=NOT_IN_TWENTE, post=True
    ),
    "appointments:cancel": action(
        TWENTE, kwargs={"pk": "booking"}, denied_for={**NOT_IN_TWENTE, ADVISER: 404}
    ),
    "appointments:rebook": page(
        TWENTE, kwargs={"pk": "booking"}, denied_for=NOT_IN_TWENTE, post=True
    ),
    "appointments:ics": page(
        TWENTE, kwargs={"pk": "booking"}, denied_for={**NOT_IN_TWENTE, ADVISER: 404}
    ),
    # -- public catalogues (the visitor's own region)
    "training:search": public(),
    "training:detail": Access(
        allow=EVERYONE - {GUIDE_ACHTERHOEK},
        kwargs={"pk": "training"},
        denied_for=NOT_IN_TWENTE,
        login="",
    ),
    "orientation:start": public(),
    "orientation:result": public(ok=302),  # no answers yet: back to the start
    "orientation:share": public(method="POST", ok=302),  # stores only a resident's share
    "orientation:clear": public(method="POST", ok=302),
    "menu:list": public(),
    "menu:detail": Access(
        allow=EVERYONE - {GUIDE_ACHTERHOEK},
        kwargs={"pk": "service"},
        denied_for=NOT_IN_TWENTE,
        login="",
    ),
    "menu:edit": page(COORDINATION, kwargs={"pk": "service"}, post=True),
    "menu:approve": action({ADMINISTRATOR}, kwargs={"pk": "service"}),
    # -- My Werkcentrum (residents, their own records only)
    "residents:home": resident_page(
        shows={RESIDENT: ("contact",)}, hides={RESIDENT: ("contact_b", "resident_y")}
    ),
    "residents:login": public(ok_for={RESIDENT: 302}),  # a resident is logged in already
    "residents:login_link": public(kwargs={"token": "login_token"}),  # GET asks to confirm
    "residents:register": public(),
    "residents:ask": resident_page(post=True),
    "residents:question": resident_page(kwargs={"pk": "contact"}, shows={RESIDENT: ("contact",)}),
    "residents:consents": resident_page(
        shows={RESIDENT: ("partner_a", "vacancy")}, hides={RESIDENT: ("partner_b", "vacancy_b")}
    ),
    "residents:consent_withdraw": resident_action(kwargs={"pk": "consent"}),
    "residents:identity": resident_action(kwargs={"pk": "proposal"}),
    "residents:matching_consent": resident_action(),
    "residents:log": resident_page(),
    "residents:data": resident_page(),
    "residents:export_json": resident_page(
        shows={RESIDENT: ("resident_email", "contact")},
        hides={RESIDENT: ("resident_y_email", "contact_b", "contact_t", "partner_b")},
    ),
    "residents:export_pdf": resident_page(),
    "residents:deletion": resident_page(post=True),
    "residents:account": resident_page(post=True),
    "residents:appointments": resident_page(),
    "residents:appointment_book": resident_action(data={"slot": "@free_slot"}),
    "residents:appointment_cancel": resident_page(kwargs={"pk": "booking"}, post=True),
    "residents:appointment_ics": resident_page(kwargs={"pk": "booking"}),
    # -- the training fund
    "vouchers:staff_list": page(
        FUND_STAFF, shows={FUND: ("application", "application_y", "employer_application")}
    ),
    "vouchers:staff_detail": page(
        FUND_STAFF, kwargs={"pk": "application"}, data={"action": "withdraw"}, post=True
    ),
    "vouchers:llo": page(  # the guide's region (Achterhoek) has no training fund in the data
        TWENTE | FUND_STAFF, denied_for={GUIDE_ACHTERHOEK: 404}, post=True
    ),
    "vouchers:budget": page(
        FUND_STAFF | {MANAGER, COORDINATOR},
        post=True,
        post_allow=FUND_STAFF,
        post_denied_for={MANAGER: 404, COORDINATOR: 404},  # they may look, not set the lines
    ),
    "vouchers:figures": page(FUND_STAFF | {MANAGER, COORDINATOR}),
    "vouchers:employers": page(FUND_STAFF),
    "vouchers:employer_label": action(FUND_STAFF, kwargs={"pk": "employer"}),
    "vouchers:resident": resident_page(
        shows={RESIDENT: ("application",)},
        hides={RESIDENT: ("application_y", "employer_application")},
    ),
    "vouchers:resident_apply": resident_page(post=True),
    "vouchers:resident_withdraw": resident_action(kwargs={"pk": "application"}),
    "vouchers:employer": page(
        {EMPLOYER},
        shows={EMPLOYER: ("employer_application",)},
        hides={EMPLOYER: ("application", "application_y")},
    ),
    "vouchers:employer_apply": page({EMPLOYER}, post=True),
    "vouchers:employer_withdraw": action({EMPLOYER}, kwargs={"pk": "employer_application"}),
    # -- events: public calendar; organisers are employer services
    "events:list": public(),
    "events:detail": public(kwargs={"pk": "event"}),
    "events:ics": public(kwargs={"pk": "event"}),
    "events:cancel_mine": action(LOGGED_IN, kwargs={"pk": "event"}),
    "events:cancel": public(kwargs={"token": "cancel_token"}),
    "events:staff_list": page(EMPLOYER_SERVICES, shows={ADVISER: ("event",)}),
    "events:new": page(EMPLOYER_SERVICES, post=True),
    "events:edit": page(EMPLOYER_SERVICES, kwargs={"pk": "event"}, post=True),
    "events:publish": action(EMPLOYER_SERVICES, kwargs={"pk": "event"}),
    "events:attendance": page(EMPLOYER_SERVICES, kwargs={"pk": "event"}, post=True),
    "events:attendance_csv": page(EMPLOYER_SERVICES, kwargs={"pk": "event"}),
    "events:registration_cancel": action(EMPLOYER_SERVICES, kwargs={"pk": "registration"}),
    # -- labour-market information: aggregates, public
    "labourmarket:overview": public(),
    "labourmarket:export_csv": public(),
    # -- budget and monitoring: managers, coordinators, the programme office (administrators)
    "budget:overview": page(FIGURES),
    "budget:realisation": page(FIGURES, post=True, post_allow=frozenset({MANAGER, ADMINISTRATOR})),
    "budget:export": page(FIGURES),
    "monitoring:dashboard": page(FIGURES),
    "monitoring:targets": page(FIGURES, post=True),
    "monitoring:drill": page(COORDINATION, kwargs={"indicator": "drill_indicator"}),
    "monitoring:reports": page(FIGURES, post=True, shows={MANAGER: ("report",)}),
    "monitoring:report": page(FIGURES, kwargs={"pk": "report"}),
    "monitoring:report_status": page(FIGURES, kwargs={"pk": "report"}),
    "monitoring:report_pdf": page(FIGURES, kwargs={"pk": "report"}),
    "monitoring:report_html": page(FIGURES, kwargs={"pk": "report"}),
    # -- the data protection officer (an administrator): deletion requests
    "privacy:deletion_requests": page({ADMINISTRATOR}),
    "privacy:deletion_request": page({ADMINISTRATOR}, kwargs={"pk": "deletion_request"}),
    "privacy:deletion_carry_out": action({ADMINISTRATOR}, kwargs={"pk": "deletion_request"}),
    "privacy:deletion_refuse": action({ADMINISTRATOR}, kwargs={"pk": "deletion_request"}),
    # -- background tasks that need an administrator (dead letters)
    "operations:tasks": page({ADMINISTRATOR}),
    "operations:retry_email": action({ADMINISTRATOR}, kwargs={"pk": "email"}),
    "operations:retry_all_emails": action({ADMINISTRATOR}),
    "operations:retry_report": action({ADMINISTRATOR}, kwargs={"pk": "report"}),
}

# -- the REST API, by OpenAPI operationId ---------------------------------------------------------

WORKS_WITH_CONTACTS = FRONT_OFFICE | PARTNERS | {ADMINISTRATOR}  # managers: aggregates only
API_FRONT_OFFICE = FRONT_OFFICE | {ADMINISTRATOR}


def api(allow, method="GET", **kw) -> Access:
    return Access(allow=frozenset(allow), method=method, login="", **kw)


API: dict[str, Access] = {
    "contacts_list": api(
        WORKS_WITH_CONTACTS,
        shows={
            GUIDE: ("contact", "contact_b"),
            PARTNER_A: ("contact",),
            PARTNER_B: ("contact_b",),
            GUIDE_ACHTERHOEK: ("contact_ah",),
        },
        hides={
            GUIDE: ("contact_ah",),
            PARTNER_A: ("contact_b", "contact_t", "contact_ah"),
            PARTNER_B: ("contact", "contact_t", "contact_ah"),
            FUND: ("contact", "contact_b", "contact_t", "contact_ah"),
            GUIDE_ACHTERHOEK: ("contact", "contact_b", "contact_t"),
        },
    ),
    "contacts_create": api(API_FRONT_OFFICE, "POST"),
    "contacts_retrieve": api(
        WORKS_WITH_CONTACTS - {PARTNER_B, FUND, GUIDE_ACHTERHOEK},
        kwargs={"id": "contact"},
        denied_for={**OTHER_PARTNERS, **NOT_IN_TWENTE},
        shows={GUIDE: ("resident",)},
        hides={PARTNER_A: ("resident",)},  # the person's details are for the front office only
    ),
    "contacts_answer_create": api(
        API_FRONT_OFFICE - {GUIDE_ACHTERHOEK},
        "POST",
        kwargs={"id": "contact"},
        denied_for=NOT_IN_TWENTE,
    ),
    "contacts_claim_create": api(
        API_FRONT_OFFICE - {GUIDE_ACHTERHOEK},
        "POST",
        kwargs={"id": "contact"},
        denied_for=NOT_IN_TWENTE,
    ),
    "handovers_list": api(
        WORKS_WITH_CONTACTS,
        shows={PARTNER_A: ("contact",), PARTNER_B: ("contact_b",), GUIDE: ("contact", "contact_b")},
        hides={
            PARTNER_A: ("contact_b",),
            PARTNER_B: ("contact",),
            FUND: ("contact", "contact_b"),
            GUIDE_ACHTERHOEK: ("contact", "contact_b"),
        },
    ),
    "handovers_create": api(API_FRONT_OFFICE, "POST"),
    "handovers_retrieve": api(
        WORKS_WITH_CONTACTS - {PARTNER_B, FUND, GUIDE_ACHTERHOEK},
        kwargs={"id": "handover"},
        denied_for={**OTHER_PARTNERS, **NOT_IN_TWENTE},
        shows={PARTNER_A: ("resident",)},  # consented: name and contact details
    ),
    "handovers_accept_create": api(
        {PARTNER_A}, "POST", kwargs={"id": "handover"}, denied_for=OTHER_PARTNERS
    ),
    "handovers_return_create": api(
        {PARTNER_A}, "POST", kwargs={"id": "handover"}, denied_for=OTHER_PARTNERS
    ),
    "handovers_withdraw_create": api(
        API_FRONT_OFFICE - {GUIDE_ACHTERHOEK},
        "POST",
        kwargs={"id": "handover"},
        denied_for=NOT_IN_TWENTE,
    ),
    "partners_list": api(LOGGED_IN),
    "partners_retrieve": api(LOGGED_IN, kwargs={"code": "partner_a.code"}),
    "triage_create": api(
        LOGGED_IN, "POST", data={"municipality": "Losser", "question": "Schulden"}
    ),
    "walk_in_points_list": api(EVERYONE),
    "walk_in_points_retrieve": api(EVERYONE, kwargs={"code": "walk_in_point.code"}),
}

# -- the Django admin: one rule ---------------------------------------------------------------------

# Every admin URL: administrators with is_staff get in; everybody else is sent to the admin's
# login page (the admin's logout sends them to the admin index, which sends them to the login).
ADMIN_ALLOW = frozenset({ADMINISTRATOR})
