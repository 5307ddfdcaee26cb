"""Serializers of the REST API: input validation (every invalid field reported at once) and
the representations. Business rules stay in the services; this only shapes data."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from werkcentrum.frontdoor.models import (
    BENEFIT_CHOICES,
    SERVICE_LEVEL_CHOICES,
    TOPIC_CHOICES,
    WORK_STATUS_CHOICES,
    AskerType,
    Channel,
    Consent,
    ConsentCategory,
    Contact,
    ContactEvent,
    Handover,
)
from werkcentrum.regions.models import Partner, Region, WalkInPoint
from werkcentrum.regions.selectors import UnknownMunicipality, find_municipality
from werkcentrum.triage import ASKER_TYPES, BENEFITS, TOPICS, WORK_STATUSES
from werkcentrum.triage.engine import MAX_AGE, MAX_MUNICIPALITY_LENGTH, MAX_QUESTION_LENGTH

# -- shared pieces -----------------------------------------------------------------------------


class ProblemParamSerializer(serializers.Serializer):
    name = serializers.CharField(
        help_text="The invalid field, e.g. `question` or `person.last_name`."
    )
    code = serializers.CharField(
        help_text="Machine-readable error code, e.g. `required`, `invalid_choice`."
    )
    reason = serializers.CharField(help_text="What is wrong, in words.")


class ProblemSerializer(serializers.Serializer):
    """application/problem+json (RFC 9457)."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    instance = serializers.CharField(required=False)
    invalidParams = ProblemParamSerializer(many=True, required=False)  # noqa: N815 - Logius name


class MunicipalityField(serializers.CharField):
    """A municipality given by CBS code (GM0153), name or alias; validated to the model."""

    default_error_messages = {
        "unknown": "Unknown municipality: {value}.",
        "too_long": f"Ensure this field has no more than {MAX_MUNICIPALITY_LENGTH} characters.",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "CBS code (e.g. GM0173) or name (e.g. Oldenzaal).")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if len(text) > MAX_MUNICIPALITY_LENGTH:  # checked here: validators would see the model
            self.fail("too_long")
        try:
            return find_municipality(text)
        except UnknownMunicipality:
            self.fail("unknown", value=text)


class AlsoRelevantSerializer(serializers.Serializer):
    topic = serializers.CharField()
    partner_kind = serializers.CharField()


class ProposalSerializer(serializers.Serializer):
    """The triage proposal: service level, first-responsible partner and the reasons."""

    service_level = serializers.ChoiceField(choices=SERVICE_LEVEL_CHOICES)
    partner_kind = serializers.CharField()
    desk = serializers.CharField(allow_blank=True)
    rule_id = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Reasons in Dutch.")
    reasons_en = serializers.ListField(
        child=serializers.CharField(), help_text="Reasons in English."
    )
    topics = serializers.ListField(child=serializers.CharField())
    topics_inferred = serializers.BooleanField()
    benefit = serializers.CharField(allow_null=True)
    benefit_inferred = serializers.BooleanField()
    also_relevant = AlsoRelevantSerializer(many=True)
    partner_id = serializers.CharField(help_text="Code of the first-responsible partner.")
    partner_name = serializers.CharField()
    rules_version = serializers.IntegerField()
    other_region = serializers.CharField(
        required=False, help_text="Only when the municipality belongs to another region."
    )


class TriageMunicipalitySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    region = serializers.CharField()


class TriageResultSerializer(ProposalSerializer):
    region = serializers.CharField(help_text="The region whose rules decided.")
    municipality = TriageMunicipalitySerializer()


class TriageRequestSerializer(serializers.Serializer):
    """The same JSON as the ``werkcentrum triage`` command, plus an optional region."""

    asker = serializers.ChoiceField(choices=list(ASKER_TYPES))
    municipality = MunicipalityField()
    age = serializers.IntegerField(min_value=0, max_value=MAX_AGE, required=False, allow_null=True)
    work_status = serializers.ChoiceField(
        choices=list(WORK_STATUSES), required=False, allow_null=True
    )
    benefit = serializers.ChoiceField(choices=list(BENEFITS), required=False, allow_null=True)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=list(TOPICS)),
        required=False,
        allow_null=True,
        help_text="Empty or absent: topics are recognised in the question.",
    )
    question = serializers.CharField(
        max_length=MAX_QUESTION_LENGTH,
        required=False,
        allow_blank=True,
        allow_null=True,
        trim_whitespace=False,
    )
    region = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
        required=False,
        help_text="Region code; default the user's region, else the platform default.",
    )

    def validate(self, attrs):
        unknown = sorted(set(self.initial_data) - set(self.fields), key=str)
        if unknown:
            raise serializers.ValidationError({str(key): ["Unknown field."] for key in unknown})
        return attrs


class TriageRequestSchema(OpenApiSerializerExtension):
    """The schema says what ``validate`` enforces: no fields beyond the documented ones."""

    target_class = TriageRequestSerializer

    def map_serializer(self, auto_schema, direction):
        schema = auto_schema._map_serializer(self.target, direction, bypass_extensions=True)
        return {**schema, "additionalProperties": False}


# -- contacts ----------------------------------------------------------------------------------


class PersonInputSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150)
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class PersonSummarySerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name")
    email = serializers.CharField()
    phone = serializers.CharField()


class ContactCreateSerializer(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices)
    asker_type = serializers.ChoiceField(choices=AskerType.choices)
    question = serializers.CharField(max_length=MAX_QUESTION_LENGTH)
    walk_in_point = serializers.SlugRelatedField(
        slug_field="code",
        queryset=WalkInPoint.objects.all(),
        required=False,
        allow_null=True,
        help_text="Code of the walk-in point; default the guide's own for a walk-in.",
    )
    referred_by = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Partner.objects.filter(active=True),
        required=False,
        allow_null=True,
        help_text="For channel referral: code of the partner that referred the person.",
    )
    municipality = MunicipalityField(required=False, allow_null=True)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=TOPIC_CHOICES), required=False, default=list
    )
    age = serializers.IntegerField(min_value=0, max_value=MAX_AGE, required=False, allow_null=True)
    work_status = serializers.ChoiceField(
        choices=WORK_STATUS_CHOICES, required=False, allow_blank=True, default=""
    )
    benefit = serializers.ChoiceField(
        choices=BENEFIT_CHOICES, required=False, allow_blank=True, default=""
    )
    organisation_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    person = PersonInputSerializer(required=False, allow_null=True)

    def validate(self, attrs):
        if attrs.get("channel") == Channel.REFERRAL and not attrs.get("referred_by"):
            raise serializers.ValidationError(
                {"referred_by": "Name the partner that referred the person."}
            )
        return attrs

    def validate_walk_in_point(self, value):
        user = self.context["request"].user
        if value is not None and user.region_id and value.region_id != user.region_id:
            raise serializers.ValidationError("This walk-in point belongs to another region.")
        return value


class OwnerSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["user", "partner"])
    name = serializers.CharField()


class TimelineEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()
    note = serializers.SerializerMethodField()

    class Meta:
        model = ContactEvent
        fields = ["at", "kind", "actor", "note"]

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Null for the system."))
    def get_actor(self, event) -> str | None:
        return str(event.actor) if event.actor_id else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_note(self, event) -> str:
        # Guides' notes can hold personal details the consent does not cover.
        return "" if self.context.get("partner_view") else event.note


def _for_schema(serializer) -> bool:
    """drf-spectacular describes every field that may appear (it marks its views as fake)."""
    return bool(getattr(serializer.context.get("view"), "swagger_fake_view", False))


def _is_partner_view(serializer) -> bool:
    request = serializer.context.get("request")
    return bool(request and getattr(request.user, "is_partner_employee", False))


class OutputOnlyField(serializers.Field):
    """A computed output field that may be absent. Not read-only, so the schema does not mark
    it required (drf-spectacular marks every read-only field required); never used for input."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("allow_null", True)
        super().__init__(required=False, **kwargs)

    def to_internal_value(self, data):  # pragma: no cover - output only
        raise NotImplementedError


@extend_schema_field(
    PersonSummarySerializer(
        allow_null=True,
        help_text="On a single contact for the front office only; absent otherwise.",
    )
)
class PersonField(OutputOnlyField):
    def to_representation(self, contact):
        if contact.person_id is None:
            return None
        return PersonSummarySerializer(contact.person).data


@extend_schema_field(TimelineEventSerializer(many=True, help_text="On a single contact only."))
class TimelineField(OutputOnlyField):
    def __init__(self, **kwargs):
        super().__init__(allow_null=False, **kwargs)

    def to_representation(self, contact):
        from werkcentrum.frontdoor.selectors import timeline

        context = {**self.context, "partner_view": _is_partner_view(self)}
        return TimelineEventSerializer(timeline(contact), many=True, context=context).data


class ContactSerializer(serializers.ModelSerializer):
    """A question (klantcontact) on one channel. Lists leave out `person` and `timeline`.
    The person's name and contact details go to the front office only. Partner employees see
    the question but not the situation (municipality, triage): what they may see of the person
    is in the handover's `shared` data, as far as the consent covers it.
    """

    walk_in_point = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    referred_by = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    municipality = serializers.SerializerMethodField()
    responsible_partner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    topics = serializers.ListField(child=serializers.CharField(), read_only=True)
    triage = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    person = PersonField()
    timeline = TimelineField()

    class Meta:
        model = Contact
        fields = [
            "id",
            "reference",
            "channel",
            "walk_in_point",
            "referred_by",
            "asker_type",
            "question",
            "topics",
            "municipality",
            "service_level",
            "responsible_partner",
            "triage",
            "status",
            "owner",
            "created_at",
            "person",
            "timeline",
        ]
        read_only_fields = fields[:-2]

    def get_fields(self):
        fields = super().get_fields()
        if _for_schema(self):
            return fields
        if self.context.get("summary"):
            fields.pop("person")
            fields.pop("timeline")
        request = self.context.get("request")
        if request is not None and not getattr(request.user, "is_front_office", False):
            fields.pop("person", None)
        return fields

    @extend_schema_field(
        serializers.CharField(allow_null=True, help_text="CBS code; null for partners.")
    )
    def get_municipality(self, contact):
        if _is_partner_view(self) or contact.municipality_id is None:
            return None
        return contact.municipality.code

    @extend_schema_field(
        ProposalSerializer(allow_null=True, help_text="Null for partner employees.")
    )
    def get_triage(self, contact):
        return None if _is_partner_view(self) else contact.triage

    @extend_schema_field(OwnerSerializer(allow_null=True, help_text="Null once answered."))
    def get_owner(self, contact):
        if contact.owner_user_id:
            return {"type": "user", "name": str(contact.owner_user)}
        if contact.owner_partner_id:
            return {"type": "partner", "name": contact.owner_partner.name}
        return None


class OutcomeSerializer(serializers.Serializer):
    outcome = serializers.CharField(max_length=5000, help_text="What was answered.")


# -- handovers ---------------------------------------------------------------------------------


class ConsentSummarySerializer(serializers.ModelSerializer):
    categories = serializers.ListField(child=serializers.CharField(), read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Consent
        fields = ["categories", "valid_until", "withdrawn_at", "active"]
        read_only_fields = fields


class ContactDetailsShareSerializer(serializers.Serializer):
    name = serializers.CharField()
    email = serializers.CharField()
    phone = serializers.CharField()


class QuestionShareSerializer(serializers.Serializer):
    question = serializers.CharField()
    topics = serializers.CharField(help_text="Comma-separated topic codes.")


class SituationShareSerializer(serializers.Serializer):
    municipality = serializers.CharField()
    age = serializers.CharField()
    work_status = serializers.CharField()
    benefit = serializers.CharField()


class DateOfBirthShareSerializer(serializers.Serializer):
    date_of_birth = serializers.CharField(help_text="dd-mm-yyyy")


class BsnShareSerializer(serializers.Serializer):
    bsn = serializers.CharField()


class SharedDataSerializer(serializers.Serializer):
    """Exactly the categories the consent covers; a category not consented to is absent."""

    contact_details = ContactDetailsShareSerializer(required=False)
    question = QuestionShareSerializer(required=False)
    situation = SituationShareSerializer(required=False)
    date_of_birth = DateOfBirthShareSerializer(required=False)
    bsn = BsnShareSerializer(required=False)


@extend_schema_field(
    SharedDataSerializer(
        allow_null=True,
        help_text="On a single handover for partner employees only (absent otherwise): what the "
        "consent covers, or null when the consent was withdrawn or expired or the handover is no "
        "longer with the partner.",
    )
)
class SharedField(OutputOnlyField):
    """``selectors.shared_data`` (given in the context) as {category: {field: value}}."""

    def to_representation(self, handover):
        shared = self.context.get("shared")
        if shared is None:
            return None
        return {category: dict(pairs) for category, pairs in shared.items()}


class HandoverSerializer(serializers.ModelSerializer):
    contact = serializers.PrimaryKeyRelatedField(read_only=True)
    contact_reference = serializers.CharField(source="contact.reference", read_only=True)
    partner = serializers.SlugRelatedField(slug_field="code", read_only=True)
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    created_by = serializers.StringRelatedField(read_only=True)
    decided_by = serializers.StringRelatedField(read_only=True, allow_null=True)
    suggested_partner = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    is_overdue = serializers.BooleanField(read_only=True)
    consent = ConsentSummarySerializer(read_only=True)
    shared = SharedField()

    class Meta:
        model = Handover
        fields = [
            "id",
            "contact",
            "contact_reference",
            "partner",
            "partner_name",
            "status",
            "message",
            "created_by",
            "created_at",
            "due_at",
            "is_overdue",
            "decided_at",
            "decided_by",
            "return_reason",
            "suggested_partner",
            "consent",
            "shared",
        ]
        read_only_fields = fields[:-1]

    def get_fields(self):
        fields = super().get_fields()
        if _for_schema(self):
            return fields
        if self.context.get("summary") or (
            "request" in self.context and not _is_partner_view(self)
        ):
            fields.pop("shared")
        return fields


class HandoverCreateSerializer(serializers.Serializer):
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.none())
    partner = serializers.SlugRelatedField(slug_field="code", queryset=Partner.objects.none())
    categories = serializers.ListField(
        child=serializers.ChoiceField(choices=ConsentCategory.choices),
        allow_empty=False,
        help_text="Data the person agreed to share; always contact_details and question.",
    )
    valid_until = serializers.DateField(required=False, allow_null=True, default=None)
    method = serializers.ChoiceField(choices=Consent.Method.choices, default=Consent.Method.VERBAL)
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.fields["contact"].queryset = Contact.objects.visible_to(user)
            partners = Partner.objects.filter(active=True)
            if user.region_id:
                partners = partners.filter(region_id=user.region_id)
            self.fields["partner"].queryset = partners


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="Why the partner returns it.")
    suggested_partner = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Partner.objects.filter(active=True),
        required=False,
        allow_null=True,
        help_text="Code of a better partner (optional).",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


# -- regional configuration --------------------------------------------------------------------


class PartnerSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # Blank when unknown: an empty string is neither an e-mail address nor a URI.
    email = serializers.CharField(read_only=True, help_text="E-mail address; empty if unknown.")
    website = serializers.CharField(read_only=True, help_text="URL; empty if unknown.")

    class Meta:
        model = Partner
        fields = [
            "code",
            "name",
            "kind",
            "desk",
            "municipality",
            "region",
            "pickup_working_days",
            "email",
            "phone",
            "website",
            "active",
        ]
        read_only_fields = fields


class AddressSerializer(serializers.Serializer):
    street = serializers.CharField()
    postcode = serializers.CharField()
    city = serializers.CharField()


class OpeningHoursSerializer(serializers.Serializer):
    day = serializers.IntegerField(min_value=0, max_value=6, help_text="0 = Monday … 6 = Sunday.")
    opens = serializers.CharField(help_text="HH:MM")
    closes = serializers.CharField(help_text="HH:MM")


class WalkInPointSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    municipality_name = serializers.CharField(source="municipality.name", read_only=True)
    address = serializers.SerializerMethodField()
    services = serializers.ListField(child=serializers.CharField(), read_only=True)
    opening_hours = OpeningHoursSerializer(many=True, read_only=True)
    email = serializers.CharField(read_only=True, help_text="E-mail address; empty if unknown.")

    class Meta:
        model = WalkInPoint
        fields = [
            "code",
            "name",
            "region",
            "municipality",
            "municipality_name",
            "is_regional_centre",
            "hosted_by",
            "address",
            "opening_hours",
            "services",
            "phone",
            "email",
        ]
        read_only_fields = fields

    @extend_schema_field(AddressSerializer)
    def get_address(self, point):
        return {"street": point.street, "postcode": point.postcode, "city": point.city}
