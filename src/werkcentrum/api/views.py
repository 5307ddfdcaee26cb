"""REST API v1: thin views over the front-door selectors and services.

Rows come from ``visible_to`` (or the selectors that use it), changes go through the services
(which check roles, lifecycle and write the timeline and processing log), and errors leave as
application/problem+json (see errors.py).
"""

from __future__ import annotations

import json
from dataclasses import replace

import django_filters
from django.conf import settings
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from werkcentrum.frontdoor import persons, selectors, services
from werkcentrum.frontdoor.errors import NotAllowed
from werkcentrum.frontdoor.models import Channel, Contact, Handover
from werkcentrum.frontdoor.routing import propose
from werkcentrum.frontdoor.selectors import CONTACT_LIST_RELATED
from werkcentrum.regions.models import Partner, Region, WalkInPoint
from werkcentrum.triage import SituationError, parse_situation

from . import serializers as s
from .errors import PROBLEM
from .permissions import IsFrontOffice, IsPartnerEmployee, WorksWithContacts


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with a 400 instead of a 500 for two bodies it lets through: nesting
    deeper than Python's recursion limit, and lone surrogates (``"\\ud800"``), valid JSON that
    no UTF-8 database can store."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except RecursionError as exc:
            raise ParseError("JSON parse error - nested too deeply.") from exc
        except UnicodeEncodeError as exc:
            raise ParseError("JSON parse error - a string is not valid Unicode.") from exc
        return data


def problems(*codes: int) -> dict:
    """Schema responses for errors: application/problem+json bodies."""
    return {(code, PROBLEM): s.ProblemSerializer for code in codes}


# The ``slug`` path converter: anything else does not resolve (404).
CODE_PARAMETER = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, required=True, pattern=r"^[-a-zA-Z0-9_]+$"
)


HANDOVER_RELATED = (
    "contact",
    "partner",
    "consent",
    "created_by",
    "decided_by",
    "suggested_partner",
)


# -- contacts ----------------------------------------------------------------------------------


class ContactFilter(django_filters.FilterSet):
    class Meta:
        model = Contact
        fields = ["status", "channel", "service_level"]


@extend_schema_view(
    list=extend_schema(
        summary="List contacts",
        description="Contacts the user may see: the front office its region, a partner what is "
        "handed over to it under an active consent. Newest first.",
        responses={200: s.ContactSerializer, **problems(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="Show a contact with its timeline",
        description="The read is written to the processing log. The person's name and contact "
        "details are shown to the front office only.",
        responses={200: s.ContactSerializer, **problems(401, 403, 404)},
    ),
    create=extend_schema(
        summary="Register a contact (front office)",
        description="Registers a question on any channel; the triage proposal is attached. An "
        "existing person is reused when name and an identifier match.",
        request=s.ContactCreateSerializer,
        responses={201: s.ContactSerializer, **problems(400, 401, 403, 415)},
    ),
)
class ContactViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.ContactSerializer
    permission_classes = [WorksWithContacts]
    parser_classes = [JSONParser]
    filterset_class = ContactFilter
    lookup_value_converter = "int"
    front_office_actions = {"create", "answer", "claim"}

    def get_permissions(self):
        if self.action in self.front_office_actions:
            return [WorksWithContacts(), IsFrontOffice()]
        return super().get_permissions()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "summary": self.action == "list"}

    def get_queryset(self):
        return Contact.objects.visible_to(self.request.user).select_related(*CONTACT_LIST_RELATED)

    def _detail_response(self, pk, status_code=status.HTTP_200_OK, headers=None) -> Response:
        contact = selectors.contact_detail(self.request.user, pk)
        data = s.ContactSerializer(contact, context=self.get_serializer_context()).data
        return Response(data, status=status_code, headers=headers)

    def retrieve(self, request, *args, **kwargs):
        return self._detail_response(kwargs["pk"])

    def create(self, request, *args, **kwargs):
        serializer = s.ContactCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        user = request.user
        if user.region_id is None:
            raise NotAllowed("Your account is not linked to a region.")
        walk_in_point = data.get("walk_in_point")
        if walk_in_point is None and data["channel"] == Channel.WALK_IN:
            walk_in_point = user.walk_in_point
        with transaction.atomic():
            person = None
            if data.get("person"):
                person, _created = persons.find_or_create_person(
                    user.region, **data["person"], municipality=data.get("municipality")
                )
            contact = services.register_contact(
                region=user.region,
                created_by=user,
                channel=data["channel"],
                asker_type=data["asker_type"],
                question=data["question"],
                walk_in_point=walk_in_point,
                referred_by=data.get("referred_by"),
                municipality=data.get("municipality"),
                person=person,
                organisation_name=data["organisation_name"],
                topics=data["topics"] or None,
                age=data.get("age"),
                work_status=data["work_status"],
                benefit=data["benefit"],
            )
        location = reverse("api:contact-detail", kwargs={"pk": contact.pk})
        return self._detail_response(contact.pk, status.HTTP_201_CREATED, {"Location": location})

    @extend_schema(
        summary="Note the answer (light service)",
        request=s.OutcomeSerializer,
        responses={200: s.ContactSerializer, **problems(400, 401, 403, 404, 409, 415)},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        contact = self.get_object()
        serializer = s.OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.answer_contact(contact, request.user, serializer.validated_data["outcome"])
        return self._detail_response(contact.pk)

    @extend_schema(
        summary="Pick up an unassigned contact",
        description="Takes a question nobody owns yet (e.g. from the web form). 409 when "
        "someone else was first.",
        request=None,
        responses={200: s.ContactSerializer, **problems(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        contact = self.get_object()
        services.claim_contact(contact, request.user)
        return self._detail_response(contact.pk)


# -- handovers ---------------------------------------------------------------------------------


class HandoverFilter(django_filters.FilterSet):
    partner = django_filters.CharFilter(field_name="partner__code", help_text="Partner code.")

    class Meta:
        model = Handover
        fields = ["status", "partner"]


@extend_schema_view(
    list=extend_schema(
        summary="List warm handovers",
        description="Partner employees see the handovers to their organisation, the front "
        "office those of its region. Oldest due first.",
        responses={200: s.HandoverSerializer, **problems(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="Show a handover",
        description="For partner employees includes `shared`: exactly the data the person "
        "consented to share (the read is logged), or null once the consent ended.",
        responses={200: s.HandoverSerializer, **problems(401, 403, 404)},
    ),
    create=extend_schema(
        summary="Hand a contact over to a partner (front office)",
        description="Records the person's consent and creates the handover in one transaction.",
        request=s.HandoverCreateSerializer,
        responses={201: s.HandoverSerializer, **problems(400, 401, 403, 409, 415)},
    ),
)
class HandoverViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = s.HandoverSerializer
    permission_classes = [WorksWithContacts]
    parser_classes = [JSONParser]
    filterset_class = HandoverFilter
    lookup_value_converter = "int"

    def get_permissions(self):
        if self.action in {"create", "withdraw"}:
            return [WorksWithContacts(), IsFrontOffice()]
        if self.action in {"accept", "return_"}:
            return [WorksWithContacts(), IsPartnerEmployee()]
        return super().get_permissions()

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "summary": self.action == "list"}

    def get_queryset(self):
        return (
            Handover.objects.visible_to(self.request.user)
            .select_related(*HANDOVER_RELATED)
            .order_by("due_at", "id")
        )

    def _detail_response(self, pk, status_code=status.HTTP_200_OK, headers=None) -> Response:
        user = self.request.user
        context = self.get_serializer_context()
        if user.is_partner_employee:
            handover = selectors.handover_for_partner(user, pk)
            context["shared"] = selectors.shared_data(handover)
        else:
            handover = get_object_or_404(self.get_queryset(), pk=pk)
        data = s.HandoverSerializer(handover, context=context).data
        return Response(data, status=status_code, headers=headers)

    def retrieve(self, request, *args, **kwargs):
        return self._detail_response(kwargs["pk"])

    def create(self, request, *args, **kwargs):
        serializer = s.HandoverCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with transaction.atomic():
            consent = services.record_consent(
                data["contact"],
                request.user,
                partner=data["partner"],
                categories=data["categories"],
                valid_until=data["valid_until"],
                method=data["method"],
            )
            handover = services.create_handover(
                data["contact"],
                request.user,
                partner=data["partner"],
                consent=consent,
                message=data["message"],
            )
        location = reverse("api:handover-detail", kwargs={"pk": handover.pk})
        return self._detail_response(handover.pk, status.HTTP_201_CREATED, {"Location": location})

    @extend_schema(
        summary="Accept a handover (partner)",
        description="409 when the handover was already accepted, returned or withdrawn; the "
        "detail says by whom and when.",
        request=None,
        responses={200: s.HandoverSerializer, **problems(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        handover = self.get_object()
        services.accept_handover(handover, request.user)
        return self._detail_response(handover.pk)

    @extend_schema(
        summary="Return a handover (partner)",
        description="The question goes straight back to the guide who handed it over.",
        request=s.ReturnSerializer,
        responses={200: s.HandoverSerializer, **problems(400, 401, 403, 404, 409, 415)},
    )
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        handover = self.get_object()
        serializer = s.ReturnSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        handover = services.return_handover(
            handover,
            request.user,
            reason=serializer.validated_data["reason"],
            suggested_partner=serializer.validated_data.get("suggested_partner"),
        )
        # No longer theirs: the answer shows the decision, no personal data.
        context = {**self.get_serializer_context(), "shared": None}
        return Response(s.HandoverSerializer(handover, context=context).data)

    @extend_schema(
        summary="Withdraw a handover (front office)",
        request=s.ReasonSerializer,
        responses={200: s.HandoverSerializer, **problems(400, 401, 403, 404, 409, 415)},
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        handover = self.get_object()
        serializer = s.ReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.withdraw_handover(handover, request.user, serializer.validated_data["reason"])
        return self._detail_response(handover.pk)


# -- regional configuration --------------------------------------------------------------------


class PartnerFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code", help_text="Region code.")

    class Meta:
        model = Partner
        fields = ["region", "kind", "active"]


@extend_schema_view(
    list=extend_schema(
        summary="List partners",
        responses={200: s.PartnerSerializer, **problems(400, 401, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="Show a partner",
        parameters=[CODE_PARAMETER],
        responses={200: s.PartnerSerializer, **problems(401, 403, 404)},
    ),
)
class PartnerViewSet(viewsets.ReadOnlyModelViewSet):
    """Network partners that take handovers; by code."""

    queryset = Partner.objects.select_related("region", "municipality").order_by(
        "region__code", "kind", "name"
    )
    serializer_class = s.PartnerSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = PartnerFilter
    lookup_field = "code"
    lookup_value_converter = "slug"


class WalkInPointFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(field_name="region__code", help_text="Region code.")
    municipality = django_filters.CharFilter(
        field_name="municipality__code", lookup_expr="iexact", help_text="CBS code, e.g. GM0173."
    )

    class Meta:
        model = WalkInPoint
        fields = ["region", "municipality"]


@extend_schema_view(
    list=extend_schema(
        summary="List walk-in points",
        auth=[],
        responses={200: s.WalkInPointSerializer, **problems(400, 404, 429)},
    ),
    retrieve=extend_schema(
        summary="Show a walk-in point",
        auth=[],
        parameters=[CODE_PARAMETER],
        responses={200: s.WalkInPointSerializer, **problems(404, 429)},
    ),
)
class WalkInPointViewSet(viewsets.ReadOnlyModelViewSet):
    """Where to walk in without an appointment: public."""

    queryset = WalkInPoint.objects.select_related("region", "municipality").order_by(
        "region__code", "-is_regional_centre", "name"
    )
    serializer_class = s.WalkInPointSerializer
    permission_classes = [AllowAny]
    filterset_class = WalkInPointFilter
    lookup_field = "code"
    lookup_value_converter = "slug"


# -- triage ------------------------------------------------------------------------------------


class TriageView(APIView):
    """Propose a service level and the first-responsible partner for a situation."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Triage a situation",
        description="The same JSON as `werkcentrum triage --json`: asker, municipality (name or "
        "CBS code), age, work_status, benefit, topics, question; plus an optional region code. "
        "Nothing is stored.",
        request=s.TriageRequestSerializer,
        responses={
            200: OpenApiResponse(s.TriageResultSerializer, description="The proposal."),
            **problems(400, 401, 403, 415),
        },
    )
    def post(self, request):
        serializer = s.TriageRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        raw = {key: value for key, value in request.data.items() if key != "region"}
        try:
            situation = parse_situation(raw)  # the engine's own contract stays the authority
        except SituationError as exc:
            raise ValidationError({exc.field: [exc.message]}) from exc
        region = data.get("region") or self._default_region(request.user)
        municipality = data["municipality"]
        situation = replace(situation, municipality=municipality.code)
        result = propose(region, situation, municipality).to_dict()
        result["region"] = region.code
        result["municipality"] = {
            "code": municipality.code,
            "name": municipality.name,
            "region": municipality.region.code,
        }
        return Response(result)

    @staticmethod
    def _default_region(user) -> Region:
        if user.region_id:
            return user.region
        region = Region.objects.filter(code=settings.WERKCENTRUM_DEFAULT_REGION).first()
        if region is None:
            raise ValidationError({"region": ["Give a region: there is no default region loaded."]})
        return region
