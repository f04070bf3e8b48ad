"""The API of matching (docs/api.md): an employer's openings and
applications. Every write goes through matching.services, as on the web;
candidates are shown only through consents.access, and every list that
shows one records it (channel `api`, one bulk insert per page)."""

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from accounts.api_base import Cursor, EmployerClient, ScopesRequired
from accounts.api_framework import ApiView
from accounts.permissions import member_employer
from config import generations
from consents import access
from consents.models import Channel
from consents.serializers import CandidateSerializer
from matching import selectors, services
from matching.forms import BoardSearchForm
from matching.models import ApplicationState
from matching.serializers import (
    ApplicationDetailSerializer,
    ApplicationMessageSerializer,
    ApplicationSerializer,
    InterviewCancelSerializer,
    InterviewSerializer,
    IssuedWebhookEndpointSerializer,
    MoveSerializer,
    NoteSerializer,
    OpeningSerializer,
    PublicCompanySerializer,
    PublicOpeningSerializer,
    RotateSecretSerializer,
    WebhookDeliverySerializer,
    WebhookEndpointSerializer,
)


def _rule_refused(exc: DjangoValidationError) -> serializers.ValidationError:
    """A service's refusal, in the shape of a validation error."""
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError(exc.message_dict)
    return serializers.ValidationError({"non_field_errors": exc.messages})


# --- Openings ------------------------------------------------------------------------


class OpeningCursor(Cursor):
    ordering = "-id"


@extend_schema_view(
    get=extend_schema(
        operation_id="openings_list", summary="Your company's openings", responses=OpeningSerializer(many=True)
    ),
    post=extend_schema(operation_id="openings_create", summary="Create an opening (a draft)"),
)
class OpeningList(ApiView):
    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"GET": [["openings:read"]], "POST": [["openings:write"]]}
    serializer_class = OpeningSerializer
    pagination_class = OpeningCursor

    def get(self, request):
        openings = selectors.employer_api_openings(member_employer(request.user))
        page = self.paginate_queryset(openings)
        return self.get_paginated_response(OpeningSerializer(page, many=True).data)

    def post(self, request):
        serializer = OpeningSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        opening = _save(request, serializer)
        return Response(OpeningSerializer(opening).data, status=status.HTTP_201_CREATED)


def _save(request, serializer: OpeningSerializer):
    form = serializer.validated_data["_form"]
    try:
        return services.opening_save(
            actor=request.user,
            opening=form.instance,
            statuses=list(form.cleaned_data["accepted_statuses"]),
            qualifications=list(form.cleaned_data["required_qualifications"]),
        )
    except DjangoValidationError as exc:
        raise _rule_refused(exc) from None


def _own_opening(request, pk: int):
    opening = selectors.employer_opening(member_employer(request.user), pk)
    if opening is None:
        raise Http404
    return opening


@extend_schema_view(
    get=extend_schema(operation_id="openings_retrieve", summary="One of your openings"),
    patch=extend_schema(operation_id="openings_update", summary="Change an opening (the fields sent)"),
)
class OpeningDetail(ApiView):
    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"GET": [["openings:read"]], "PATCH": [["openings:write"]]}
    serializer_class = OpeningSerializer

    def get(self, request, pk: int):
        return Response(OpeningSerializer(_own_opening(request, pk)).data)

    def patch(self, request, pk: int):
        serializer = OpeningSerializer(_own_opening(request, pk), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        return Response(OpeningSerializer(_save(request, serializer)).data)


class OpeningAction(ApiView):
    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"POST": [["openings:write"]]}
    serializer_class = OpeningSerializer
    action = ""

    def post(self, request, pk: int):
        opening = _own_opening(request, pk)
        act = services.opening_publish if self.action == "open" else services.opening_close
        try:
            opening = act(actor=request.user, opening=opening)
        except DjangoValidationError as exc:
            raise _rule_refused(exc) from None
        return Response(OpeningSerializer(opening).data)


@extend_schema_view(
    post=extend_schema(
        operation_id="openings_open",
        summary="Publish an opening on the job board",
        request=None,
        responses={200: OpeningSerializer},
    )
)
class OpeningOpen(OpeningAction):
    action = "open"


@extend_schema_view(
    post=extend_schema(
        operation_id="openings_close", summary="Close an opening", request=None, responses={200: OpeningSerializer}
    )
)
class OpeningClose(OpeningAction):
    action = "close"


# --- Applications ------------------------------------------------------------------------


class ApplicationCursor(Cursor):
    ordering = ("updated_at", "id")  # type: ignore[assignment]


class ApplicationFilters(serializers.Serializer):
    opening = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    state = serializers.ChoiceField(choices=ApplicationState.values, required=False)
    updated_since = serializers.DateTimeField(
        required=False, help_text="Only applications changed after this instant (ISO 8601, with a time zone)."
    )


def _show_candidates(request) -> bool:
    return request.auth.is_valid(["candidates:read"])


def _record_list(request, applications) -> None:
    """A list that shows candidates is a provision (APPI Art. 29): one
    record per visible candidate, one bulk insert per page."""
    if not _show_candidates(request):
        return
    access.record_list_access(
        viewer=request.user,
        candidate_ids=[a.candidate_id for a in applications if a.visible and a.candidate_id is not None],
        channel=Channel.API,
        employer=member_employer(request.user),
    )


class ApplicationList(ApiView):
    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"GET": [["applications:read"]]}
    serializer_class = ApplicationSerializer
    pagination_class = ApplicationCursor

    @extend_schema(
        operation_id="applications_list",
        summary="Applications to your openings, oldest change first",
        description="Poll with `updated_since` (the `updated_at` of the last application you saw) and follow "
        "`next` until it is null.",
        parameters=[ApplicationFilters],
        responses=ApplicationSerializer(many=True),
    )
    def get(self, request):
        filters = ApplicationFilters(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        applications = selectors.employer_applications(
            member_employer(request.user),
            opening_id=data.get("opening"),
            state=data.get("state"),
            updated_since=data.get("updated_since"),
        )
        page = self.paginate_queryset(applications)
        _record_list(request, page)
        context = {"show_candidates": _show_candidates(request)}
        return self.get_paginated_response(ApplicationSerializer(page, many=True, context=context).data)


def _own_application(request, pk: int):
    application = selectors.employer_api_application(member_employer(request.user), pk)
    if application is None:
        raise Http404
    return application


class ApplicationDetail(ApiView):
    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"GET": [["applications:read"]]}
    serializer_class = ApplicationDetailSerializer

    @extend_schema(operation_id="applications_retrieve", summary="One application and its history")
    def get(self, request, pk: int):
        application = _own_application(request, pk)
        _record_list(request, [application])
        context = {"show_candidates": _show_candidates(request)}
        return Response(ApplicationDetailSerializer(application, context=context).data)


class ApplicationMove(ApiView):
    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"POST": [["applications:write"]]}
    serializer_class = MoveSerializer

    @extend_schema(
        operation_id="applications_move",
        summary="Move an application (the candidate is told, as on the web)",
        responses={200: ApplicationDetailSerializer},
    )
    def post(self, request, pk: int):
        application = _own_application(request, pk)
        move = MoveSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        try:
            services.application_move(
                actor=request.user, application=application, to_state=move.validated_data["to_state"]
            )
        except DjangoValidationError as exc:
            raise _rule_refused(exc) from None
        application = _own_application(request, pk)
        return Response(
            ApplicationDetailSerializer(application, context={"show_candidates": _show_candidates(request)}).data
        )


def _visible_application(request, pk: int):
    """One of your applications, while its candidate shares their profile
    with your company (404 otherwise)."""
    application = _own_application(request, pk)
    if not access.may_see_candidate(request.user, application.candidate_id):
        raise Http404
    return application


class ApplicationNotes(ApiView):
    """Notes are about the candidate: only while they share their profile
    with your company (404 otherwise)."""

    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"GET": [["applications:read"]], "POST": [["applications:write"]]}
    serializer_class = NoteSerializer
    pagination_class = None

    @extend_schema(operation_id="applications_notes_list", summary="Notes on an application")
    def get(self, request, pk: int):
        application = _visible_application(request, pk)
        return Response(NoteSerializer(selectors.application_notes(application), many=True).data)

    @extend_schema(operation_id="applications_notes_create", summary="Add a note", responses={201: NoteSerializer})
    def post(self, request, pk: int):
        application = _visible_application(request, pk)
        note = NoteSerializer(data=request.data)
        note.is_valid(raise_exception=True)
        try:
            created = services.application_note_add(
                actor=request.user,
                application=application,
                body=note.validated_data["body"],
                visible=access.may_see_candidate(request.user, application.candidate_id),
            )
        except PermissionDenied:
            raise Http404 from None
        except DjangoValidationError as exc:
            raise _rule_refused(exc) from None
        return Response(NoteSerializer(created).data, status=status.HTTP_201_CREATED)


def _record_read(request, application) -> None:
    """What the candidate wrote (messages, notes on interview times) is
    their data: each read is recorded for them (channel `api`)."""
    access.record_list_access(
        viewer=request.user,
        candidate_ids=[application.candidate_id],
        channel=Channel.API,
        employer=member_employer(request.user),
    )


class ApplicationExchange(ApiView):
    """What passes between your company and the candidate on an
    application (the conversation, interviews): listed and added only while
    they share their profile with your company, each read recorded. A
    subclass says what it lists and which service adds one; its docstring
    is its description in the schema."""

    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"GET": [["applications:read"]], "POST": [["applications:write"]]}
    serializer_class: type[serializers.BaseSerializer]
    pagination_class = None

    def listed(self, application) -> Iterable:
        raise NotImplementedError

    def added(self, request, application, data: dict):
        raise NotImplementedError

    def get(self, request, pk: int):
        application = _visible_application(request, pk)
        _record_read(request, application)
        return Response(self.serializer_class(self.listed(application), many=True).data)

    def post(self, request, pk: int):
        application = _visible_application(request, pk)
        incoming = self.serializer_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            created = self.added(request, application, incoming.validated_data)
        except services.ConversationClosed:
            raise Http404 from None
        except DjangoValidationError as exc:
            raise _rule_refused(exc) from None
        return Response(self.serializer_class(created).data, status=status.HTTP_201_CREATED)


def _exchange_schema(serializer: type[serializers.BaseSerializer], *, listed: tuple[str, str], added: tuple[str, str]):
    """An ApplicationExchange's two operations: (operation id, summary) of
    its list and of its POST (201)."""
    return extend_schema_view(
        get=extend_schema(operation_id=listed[0], summary=listed[1], responses=serializer(many=True)),
        post=extend_schema(operation_id=added[0], summary=added[1], responses={201: serializer}),
    )


@_exchange_schema(
    ApplicationMessageSerializer,
    listed=("applications_messages_list", "The conversation with the candidate, oldest first"),
    added=(
        "applications_messages_create",
        "Write to the candidate (emailed to them in the conversation's digest, as on the web)",
    ),
)
class ApplicationMessages(ApplicationExchange):
    """The conversation with the candidate, as on the application's page:
    only while they share their profile with your company (404 otherwise).
    Reading it is recorded for the candidate (channel `api`)."""

    serializer_class = ApplicationMessageSerializer

    def listed(self, application):
        return selectors.conversation(application)

    def added(self, request, application, data: dict):
        return services.application_message_send(author=request.user, application=application, body=data["body"])


@_exchange_schema(
    InterviewSerializer,
    listed=("applications_interviews_list", "The application's interviews, newest first"),
    added=("applications_interviews_propose", "Propose interview times (the candidate chooses one on Tsunagu)"),
)
class ApplicationInterviews(ApplicationExchange):
    """Interviews on the application, as on its page: propose times (or
    new times for the current interview); the application moves to
    "interview" and the candidate is told. Only while they share their
    profile with your company (404 otherwise)."""

    serializer_class = InterviewSerializer

    def listed(self, application):
        return selectors.application_interviews(application)

    def added(self, request, application, data: dict):
        return services.interview_propose(actor=request.user, application=application, **data)


class ApplicationInterviewCancel(ApiView):
    """Cancel an interview, as on the application's page: the candidate is
    told (a scheduled interview leaves both calendars: METHOD:CANCEL). Only
    while they share their profile with your company (404 otherwise)."""

    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"POST": [["applications:write"]]}
    serializer_class = InterviewCancelSerializer

    @extend_schema(
        operation_id="applications_interviews_cancel",
        summary="Cancel an interview (the candidate is told, as on the web)",
        description="As on the application's page: the candidate is told, with your reason; a scheduled interview "
        "leaves both calendars (METHOD:CANCEL). An interview already cancelled stays as it is (200). 404 for an "
        "interview of another application, and unless the candidate shares their profile with your company now.",
        responses={200: InterviewSerializer},
    )
    def post(self, request, pk: int, interview_id: int):
        application = _visible_application(request, pk)
        interview = selectors.application_interviews(application).filter(pk=interview_id).first()
        if interview is None:
            raise Http404
        cancel = InterviewCancelSerializer(data=request.data)
        cancel.is_valid(raise_exception=True)
        try:
            interview = services.interview_cancel(
                actor=request.user, interview=interview, reason=cancel.validated_data["reason"]
            )
        except PermissionDenied:
            raise Http404 from None
        return Response(InterviewSerializer(interview).data)


class ApplicationCandidate(ApiView):
    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {"GET": [["applications:read", "candidates:read"]]}
    serializer_class = CandidateSerializer

    @extend_schema(
        operation_id="applications_candidate",
        summary="The applicant, as their grant to your company allows",
        description="404 unless the candidate shares their profile with your company now. Every read is "
        "recorded and shown to the candidate.",
    )
    def get(self, request, pk: int):
        application = _own_application(request, pk)
        view = access.candidate_view_of_user(request.user, application.candidate_id, channel=Channel.API)
        if view is None:
            raise Http404
        return Response(CandidateSerializer(view).data)


# --- Webhooks (webhooks:manage) -------------------------------------------------------------


def _own_endpoint(request, pk: int):
    endpoint = selectors.webhook_endpoint_of(member_employer(request.user), pk)
    if endpoint is None:
        raise Http404
    return endpoint


class WebhookView(ApiView):
    """The company's webhook receivers, through the services of its
    webhooks page (matching.services.webhook_*): the same address rule,
    the same admin-only checks."""

    permission_classes = [EmployerClient, ScopesRequired]
    required_alternate_scopes = {method: [["webhooks:manage"]] for method in ("GET", "POST", "PATCH", "DELETE")}
    serializer_class: type[serializers.BaseSerializer] = WebhookEndpointSerializer
    pagination_class = None


class WebhookList(WebhookView):
    @extend_schema(
        operation_id="webhooks_list",
        summary="Your company's webhook receivers",
        responses=WebhookEndpointSerializer(many=True),
    )
    def get(self, request):
        endpoints = selectors.webhook_endpoints_of(member_employer(request.user))
        return Response(WebhookEndpointSerializer(endpoints, many=True).data)

    @extend_schema(
        operation_id="webhooks_create",
        summary="Add a receiver (its signing secret is in this answer only)",
        responses={201: IssuedWebhookEndpointSerializer},
    )
    def post(self, request):
        serializer = WebhookEndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            issued = services.webhook_endpoint_add(
                actor=request.user, url=serializer.validated_data["url"], events=serializer.validated_data["events"]
            )
        except DjangoValidationError as exc:
            raise _rule_refused(exc) from None
        if serializer.validated_data.get("is_active") is False:
            services.webhook_endpoint_update(actor=request.user, endpoint=issued.endpoint, active=False)
        return Response(_issued(issued), status=status.HTTP_201_CREATED)


def _issued(issued: services.IssuedEndpoint) -> dict:
    return {**WebhookEndpointSerializer(issued.endpoint).data, "secret": issued.secret}


class WebhookDetail(WebhookView):
    @extend_schema(operation_id="webhooks_retrieve", summary="One receiver")
    def get(self, request, pk: int):
        return Response(WebhookEndpointSerializer(_own_endpoint(request, pk)).data)

    @extend_schema(
        operation_id="webhooks_update",
        summary="Change a receiver's address or events, stop it or start it again (the fields sent)",
    )
    def patch(self, request, pk: int):
        endpoint = _own_endpoint(request, pk)
        serializer = WebhookEndpointSerializer(endpoint, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            endpoint = services.webhook_endpoint_update(
                actor=request.user,
                endpoint=endpoint,
                url=data.get("url"),
                events=data.get("events"),
                active=data.get("is_active"),
            )
        except DjangoValidationError as exc:
            raise _rule_refused(exc) from None
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(
        operation_id="webhooks_destroy", summary="Remove a receiver and its delivery log", responses={204: None}
    )
    def delete(self, request, pk: int):
        services.webhook_endpoint_delete(actor=request.user, endpoint=_own_endpoint(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveries(WebhookView):
    serializer_class = WebhookDeliverySerializer

    @extend_schema(
        operation_id="webhooks_deliveries",
        summary="A receiver's last 50 deliveries, newest first",
        responses=WebhookDeliverySerializer(many=True),
    )
    def get(self, request, pk: int):
        deliveries = selectors.webhook_endpoint_deliveries(_own_endpoint(request, pk))
        return Response(WebhookDeliverySerializer(deliveries, many=True).data)


class WebhookTest(WebhookView):
    serializer_class = WebhookDeliverySerializer

    @extend_schema(
        operation_id="webhooks_test",
        summary="Send a test event (webhook.test) to a receiver",
        request=None,
        responses={202: WebhookDeliverySerializer},
    )
    def post(self, request, pk: int):
        try:
            delivery = services.webhook_test_send(actor=request.user, endpoint=_own_endpoint(request, pk))
        except DjangoValidationError as exc:
            raise _rule_refused(exc) from None
        delivery.refresh_from_db()
        return Response(WebhookDeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookRotateSecret(WebhookView):
    serializer_class = IssuedWebhookEndpointSerializer

    @extend_schema(
        operation_id="webhooks_rotate_secret",
        summary="A new signing secret, in this answer only; the old one signs too for 24 hours",
        description="Until `previous_secret_signs_until` each delivery carries two signatures in "
        "`webhook-signature`, one per secret: switch your receiver to the new secret before then. Rotating again "
        'ends the overlap of the secret before. With `{"stop_previous": true}` (a leaked secret) there is no '
        "overlap: from this answer on only the new secret signs, retries of earlier events included.",
        request=RotateSecretSerializer,
        responses={200: IssuedWebhookEndpointSerializer},
    )
    def post(self, request, pk: int):
        options = RotateSecretSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        issued = services.webhook_endpoint_rotate_secret(
            actor=request.user,
            endpoint=_own_endpoint(request, pk),
            stop_previous=options.validated_data["stop_previous"],
        )
        return Response(_issued(issued))


# --- The public job board (no token) -------------------------------------------------------

BOARD_CACHE_SECONDS = 60


class BoardCursor(Cursor):
    ordering = ("-published_at", "-id")  # type: ignore[assignment]
    page_size = 20


class BoardFilters(serializers.Serializer):
    """The board's own search form (matching.forms.BoardSearchForm) decides."""

    q = serializers.CharField(required=False, max_length=100)
    prefecture = serializers.CharField(required=False, help_text="A prefecture code (JIS X 0401, e.g. 13).")
    category = serializers.CharField(required=False, help_text="A kind-of-work code.")
    level = serializers.IntegerField(required=False, min_value=1, max_value=5)
    employment_type = serializers.CharField(required=False)
    sponsorship = serializers.BooleanField(required=False)


BOARD_TOPICS = (generations.OPENINGS, generations.COMPANIES, generations.TAXONOMY)


def _public(request, key: str, build) -> Response:
    """A public answer: the same for everyone, kept BOARD_CACHE_SECONDS in
    the cache (per language, for the labels; until what it shows changes)
    and in shared caches, unless
    the caller's browser carries a session (a signed-in person's browser
    keeps nothing, as on the website)."""
    cache_key = "api-board:" + hashlib.sha256(f"{get_language()}|{key}".encode()).hexdigest()
    # The entry holds the generations of what it shows (config.generations),
    # read with it in one round trip: an opening closed or a company renamed
    # is gone from the next answer.
    numbers, found = generations.current_with(BOARD_TOPICS, [cache_key])
    entry = found.get(cache_key)
    if entry is not None and entry["generations"] == numbers:
        data = entry["data"]
    else:
        data = build()
        cache.set(cache_key, {"generations": numbers, "data": data}, BOARD_CACHE_SECONDS)
    response = Response(data)
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        patch_cache_control(response, private=True, no_store=True)
    else:
        patch_cache_control(response, public=True, max_age=BOARD_CACHE_SECONDS)
    return response


class PublicView(ApiView):
    authentication_classes: list = []
    permission_classes = [AllowAny]


class BoardOpenings(PublicView):
    serializer_class = PublicOpeningSerializer
    pagination_class = BoardCursor

    @extend_schema(
        operation_id="board_openings_list",
        summary="Open openings on the job board (no token)",
        parameters=[BoardFilters],
        responses=PublicOpeningSerializer(many=True),
        auth=[],
    )
    def get(self, request):
        form = BoardSearchForm(request.query_params)
        if not form.is_valid():
            raise serializers.ValidationError(
                {field: [str(e) for e in errors] for field, errors in form.errors.items()}
            )

        def build():
            page = self.paginate_queryset(selectors.board_search(form.cleaned_data))
            return self.get_paginated_response(PublicOpeningSerializer(page, many=True).data).data

        return _public(request, request.build_absolute_uri(), build)


class BoardOpening(PublicView):
    serializer_class = PublicOpeningSerializer

    @extend_schema(operation_id="board_openings_retrieve", summary="An open opening (no token)", auth=[])
    def get(self, request, pk: int):
        def build():
            opening = selectors.public_opening(pk)
            if opening is None:
                raise Http404
            return PublicOpeningSerializer(opening).data

        return _public(request, request.path, build)


class BoardCompany(PublicView):
    serializer_class = PublicCompanySerializer

    @extend_schema(operation_id="board_companies_retrieve", summary="A company with open openings (no token)", auth=[])
    def get(self, request, pk: int):
        def build():
            company = selectors.public_company(pk)
            if company is None:
                raise Http404
            return PublicCompanySerializer(company).data

        return _public(request, request.path, build)
