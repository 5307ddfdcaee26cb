"""The no-wrong-door core: persons, contacts on every channel, consent and warm handovers."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from werkcentrum.triage import BENEFITS, TOPICS, WORK_STATUSES

from .states import OWNED_STATUSES, ContactStatus, HandoverStatus


class Channel(models.TextChoices):
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")
    DIGITAL = "digital", _("Digital")
    REFERRAL = "referral", _("Referral by a partner")


class AskerType(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    EMPLOYER = "employer", _("Employer")


SERVICE_LEVEL_CHOICES = [
    ("light", _("Light")),
    ("basic", _("Basic")),
    ("specialist", _("Specialist")),
]
WORK_STATUS_CHOICES = [
    ("employed", _("Employed")),
    ("unemployed", _("Unemployed")),
    ("self_employed", _("Self-employed")),
    ("student", _("Student")),
    ("threatened_with_unemployment", _("Threatened with unemployment")),
]
BENEFIT_CHOICES = [
    ("none", _("No benefit")),
    ("ww", _("Unemployment benefit (WW)")),
    ("bijstand", _("Social assistance (bijstand)")),
    ("wia", _("Disability benefit (WIA)")),
    ("wajong", _("Young-disabled benefit (Wajong)")),
]
TOPIC_CHOICES = [
    ("job_search", _("Finding work")),
    ("career_advice", _("Career advice")),
    ("training", _("Training or study")),
    ("training_funding", _("Funding for training")),
    ("hiring", _("Recruiting staff")),
    ("apprenticeship", _("Work-and-learn / apprenticeship")),
    ("inclusive_hiring", _("Inclusive hiring")),
    ("job_loss_threat", _("Threat of job loss")),
    ("benefit", _("Benefits")),
    ("debts", _("Debts and money worries")),
    ("cross_border", _("Working across the border")),
    ("civic_integration", _("Civic integration")),
    ("youth_without_qualification", _("Young people without a qualification")),
    ("general_info", _("General information")),
]
assert [t for t, _label in TOPIC_CHOICES] == list(TOPICS)  # noqa: S101 - one list of topics
assert [w for w, _label in WORK_STATUS_CHOICES] == list(WORK_STATUSES)  # noqa: S101
assert [b for b, _label in BENEFIT_CHOICES] == list(BENEFITS)  # noqa: S101


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping rule for persons (see docs/privacy.md)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if user.is_front_office:
            return self.filter(region_id=user.region_id)
        if user.is_partner_employee:
            return self.filter(
                consents__partner_id=user.partner_id,
                consents__withdrawn_at__isnull=True,
                consents__valid_until__gte=timezone.localdate(),
                consents__handovers__status__in=[HandoverStatus.PENDING, HandoverStatus.ACCEPTED],
            ).distinct()
        return self.none()


class Person(models.Model):
    """A resident (or an employer's contact person) known to the Werkcentrum. Minimal data."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="persons")
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=150)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bsn_encrypted = models.TextField(blank=True, editable=False)
    bsn_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [
            models.Index(fields=["region", "date_of_birth"]),
            # The known-person lookup of every intake compares e-mail case-insensitively
            # (UPPER(email) = UPPER(%s)); without this it scans all persons (load test, issue 7).
            models.Index(Upper("email"), name="person_email_upper_idx"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def has_bsn(self) -> bool:
        return bool(self.bsn_encrypted)


class ContactQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one scoping rule for contacts: front office sees its region, a partner only what
        is handed over to it under an active consent, managers nothing individual."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if user.is_front_office:
            return self.filter(region_id=user.region_id)
        if user.is_partner_employee:
            return self.filter(
                handovers__partner_id=user.partner_id,
                handovers__status__in=[HandoverStatus.PENDING, HandoverStatus.ACCEPTED],
                handovers__consent__withdrawn_at__isnull=True,
                handovers__consent__valid_until__gte=timezone.localdate(),
            ).distinct()
        return self.none()


class Contact(models.Model):
    """A klantcontact: one question on one channel. Owned until answered (see states.py)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="contacts")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    walk_in_point = models.ForeignKey(
        "regions.WalkInPoint",
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    referred_by = models.ForeignKey(
        "regions.Partner",
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("For a referral: the partner that sent the person."),
    )
    asker_type = models.CharField(_("asker"), max_length=10, choices=AskerType.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="contacts"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    question = models.TextField(_("question"))
    topics = models.JSONField(_("topics"), default=list, blank=True)
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    work_status = models.CharField(
        _("work status"), max_length=30, choices=WORK_STATUS_CHOICES, blank=True
    )
    benefit = models.CharField(_("benefit"), max_length=10, choices=BENEFIT_CHOICES, blank=True)

    service_level = models.CharField(
        _("service level"), max_length=10, choices=SERVICE_LEVEL_CHOICES
    )
    responsible_partner = models.ForeignKey(
        "regions.Partner",
        verbose_name=_("first responsible"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    triage = models.JSONField(_("triage proposal"), default=dict)
    triage_overridden = models.BooleanField(default=False)

    status = models.CharField(
        _("status"), max_length=20, choices=ContactStatus.choices, default=ContactStatus.OPEN
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_contacts",
    )
    owner_partner = models.ForeignKey(
        "regions.Partner",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_contacts",
    )
    outcome = models.TextField(_("answer given"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Nobody lost: answered contacts have no owner; every other one exactly one.
            models.CheckConstraint(
                name="contact_has_exactly_one_owner_unless_answered",
                condition=(
                    Q(
                        status=ContactStatus.ANSWERED,
                        owner_user__isnull=True,
                        owner_partner__isnull=True,
                    )
                    | Q(
                        status__in=OWNED_STATUSES,
                        owner_user__isnull=False,
                        owner_partner__isnull=True,
                    )
                    | Q(
                        status__in=OWNED_STATUSES,
                        owner_user__isnull=True,
                        owner_partner__isnull=False,
                    )
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["owner_user", "status"]),
            models.Index(fields=["owner_partner", "status"]),
            # Monitoring at scale (docs/performance.md): the reach breakdowns of a period are
            # read from this index alone (index-only scan), and the drill-down's newest first.
            models.Index(
                fields=[
                    "region",
                    "created_at",
                    "channel",
                    "asker_type",
                    "benefit",
                    "municipality",
                    "walk_in_point",
                    "person",
                    "responsible_partner",
                ],
                name="contact_reach_idx",
            ),
            # Handovers of a region (and municipality) join their contact through this one.
            models.Index(fields=["region", "id", "municipality"], name="contact_region_id_idx"),
            # "Known person": an earlier contact of the same person.
            models.Index(
                fields=["person", "created_at"],
                condition=Q(person__isnull=False),
                name="contact_person_history_idx",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return f"V{self.pk:06d}" if self.pk else "V-new"

    @property
    def owner(self):
        return self.owner_user or self.owner_partner


class ConsentCategory(models.TextChoices):
    CONTACT_DETAILS = "contact_details", _("Name and contact details")
    QUESTION = "question", _("The question")
    SITUATION = "situation", _("Situation (municipality, age, work, benefit)")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    BSN = "bsn", _("Citizen service number (BSN)")


REQUIRED_HANDOVER_CATEGORIES = {ConsentCategory.CONTACT_DETAILS, ConsentCategory.QUESTION}


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True, valid_until__gte=timezone.localdate())

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if user.is_front_office:
            return self.filter(person__region_id=user.region_id)
        if user.is_partner_employee:
            return self.filter(partner_id=user.partner_id)
        return self.none()


class Consent(models.Model):
    """What the person agreed to share, with whom, until when. Withdrawable."""

    class Method(models.TextChoices):
        VERBAL = "verbal", _("Verbally, read aloud by the guide")
        DIGITAL = "digital", _("Digitally by the person")
        WRITTEN = "written", _("In writing")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents")
    partner = models.ForeignKey(
        "regions.Partner", on_delete=models.PROTECT, related_name="consents"
    )
    categories = models.JSONField(_("data shared"), default=list)
    purpose = models.CharField(_("purpose"), max_length=300)
    method = models.CharField(
        _("how given"), max_length=10, choices=Method.choices, default=Method.VERBAL
    )
    given_at = models.DateTimeField(auto_now_add=True)
    valid_until = models.DateField(_("valid until"))
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None and self.valid_until >= timezone.localdate()

    def covers(self, category: str) -> bool:
        return self.is_active and category in self.categories

    def __str__(self):
        return f"{self.person} → {self.partner} ({self.valid_until})"


class HandoverQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_administrator:
            return self
        if user.is_front_office:
            return self.filter(contact__region_id=user.region_id)
        if user.is_partner_employee:
            # Only while the handover is theirs and the person's consent stands.
            return self.filter(
                partner_id=user.partner_id,
                status__in=[HandoverStatus.PENDING, HandoverStatus.ACCEPTED],
                consent__withdrawn_at__isnull=True,
                consent__valid_until__gte=timezone.localdate(),
            )
        return self.none()

    def returned_by(self, partner_id):
        """A partner's own returned handovers, for its history; shown without personal data."""
        return self.filter(partner_id=partner_id, status=HandoverStatus.RETURNED)

    def overdue(self, now=None):
        return self.filter(status=HandoverStatus.PENDING, due_at__lt=now or timezone.now())


class Handover(models.Model):
    """A warm handover of a contact to a partner, which the partner must accept or return."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="handovers")
    partner = models.ForeignKey(
        "regions.Partner", on_delete=models.PROTECT, related_name="handovers"
    )
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="handovers")
    status = models.CharField(
        max_length=10, choices=HandoverStatus.choices, default=HandoverStatus.PENDING
    )
    message = models.TextField(_("message to the partner"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    due_at = models.DateTimeField(_("pick up before"), db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    suggested_partner = models.ForeignKey(
        "regions.Partner",
        verbose_name=_("better partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("handover")
        verbose_name_plural = _("handovers")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(status="pending"),
                name="one_pending_handover_per_contact",
            )
        ]
        indexes = [
            models.Index(fields=["partner", "status", "created_at"]),
            # A partner's accepted and returned tabs, newest decision first: without this every
            # visit sorts the partner's whole history (load test, issue 7).
            models.Index(fields=["partner", "status", "decided_at"], name="handover_decided_idx"),
        ]

    def __str__(self):
        return f"{self.contact.reference} → {self.partner}"

    @property
    def is_overdue(self) -> bool:
        return self.status == HandoverStatus.PENDING and self.due_at < timezone.now()


class ContactEvent(models.Model):
    """The timeline of a contact: every step, who did it and when."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Question registered")
        TRIAGED = "triaged", _("Triage proposal")
        OVERRIDDEN = "overridden", _("Triage overridden")
        CLAIMED = "claimed", _("Picked up by a guide")
        REASSIGNED = "reassigned", _("Reassigned")
        ANSWERED = "answered", _("Answered")
        ADVICE_STARTED = "advice_started", _("Advice started")
        CONSENT_GIVEN = "consent_given", _("Consent recorded")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
        HANDED_OVER = "handed_over", _("Handed over")
        ACCEPTED = "accepted", _("Accepted by partner")
        RETURNED = "returned", _("Returned by partner")
        WITHDRAWN = "withdrawn", _("Handover withdrawn")
        REMINDED = "reminded", _("Partner reminded")
        REOPENED = "reopened", _("Reopened")
        NOTIFIED = "notified", _("Person informed")

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.contact_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class TriageOverride(models.Model):
    """A guide's correction of the triage proposal, kept to improve the rules."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="overrides")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)
    rule_id = models.CharField(max_length=80)
    rules_version = models.PositiveIntegerField()
    topics = models.JSONField(default=list)
    proposed_level = models.CharField(max_length=10)
    proposed_partner = models.ForeignKey(
        "regions.Partner", on_delete=models.PROTECT, related_name="+"
    )
    chosen_level = models.CharField(max_length=10)
    chosen_partner = models.ForeignKey(
        "regions.Partner", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.contact_id}: {self.proposed_level}/{self.proposed_partner_id} → {self.chosen_level}/{self.chosen_partner_id}"


class RoutingRuleSet(models.Model):
    """A version of a region's triage rules. The newest version is in force; every change is a
    new version with its author and note (never edited in place)."""

    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="rule_sets")
    version = models.PositiveIntegerField()
    rules = models.JSONField()
    source_text = models.TextField(blank=True)
    change_note = models.CharField(max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["region", "version"], name="unique_ruleset_version")
        ]

    def __str__(self):
        return f"{self.region_id} v{self.version}"
