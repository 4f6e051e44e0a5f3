"""What every API router shares: authentication, the error format, safe input types, list envelopes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, SessionAuth
from pydantic import AfterValidator, Field

from irontriangle.common.access import Viewer, viewer_of
from irontriangle.common.errors import DomainError, InvalidInput
from irontriangle.common.partner_gate import check_api
from irontriangle.common.services import invalid_from_validation

T = TypeVar("T")


def _storable(value: str) -> str:
    """Refuse text a database cannot store (NUL, lone surrogates) as invalid input, never a 500."""
    if "\x00" in value:
        raise ValueError(_("Text may not contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(_("Text must be valid Unicode.")) from None
    return value


SafeStr = Annotated[str, AfterValidator(lambda value: _storable(value).strip())]
# Secrets and passwords keep their spaces: they are compared byte for byte.
RawStr = Annotated[str, AfterValidator(_storable)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ListOut(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None


class ErrorItem(Schema):
    field: str
    code: str
    message: str


class ErrorOut(Schema):
    code: str
    detail: str
    errors: list[ErrorItem] = []


class BearerAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from irontriangle.org.services import token_authenticate

        user = token_authenticate(token)
        if user is not None:
            check_api(request, user)
            request.user = user  # so history and every helper see the same person as a session would
        return user


class ActiveSessionAuth(SessionAuth):
    """The signed-in browser session, with Django's CSRF check on writes."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        check_api(request, user)
        return user


AUTH = [BearerAuth(), ActiveSessionAuth()]


def viewer(request: HttpRequest) -> Viewer:
    return viewer_of(request.auth)  # type: ignore[attr-defined]


def actor(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def expected_version(request: HttpRequest, body_version: int | None) -> int | None:
    """The version the client edited: from the body, or an `If-Match` header (`"3"` or `W/"3"`)."""
    if body_version is not None:
        return body_version
    header = request.headers.get("If-Match", "").strip()
    if header.startswith("W/"):
        header = header[2:]
    header = header.strip('"')
    if header.isdigit() and len(header) < 12:
        return int(header)
    return None


def _field_from_loc(loc: list[Any]) -> str:
    parts = [str(part) for part in loc if part not in ("body", "query", "path", "header", "payload", "filters")]
    return ".".join(parts) or "body"


def _json(api: NinjaAPI, request: HttpRequest, status: int, payload: dict[str, Any]) -> HttpResponse:
    return api.create_response(request, payload, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return _json(api, request, exc.status, exc.payload())

    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = []
        for error in exc.errors:
            field = _field_from_loc(list(error.get("loc", [])))
            message = str(error.get("msg", "")).removeprefix("Value error, ")
            errors.append({"field": field, "code": str(error.get("type", "invalid")), "message": message})
        return _json(api, request, 422, {"code": "invalid", "detail": _("The input is not valid."), "errors": errors})

    @api.exception_handler(DjangoValidationError)
    def django_validation_error(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        return domain_error(request, invalid_from_validation(exc))

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        payload = {
            "code": "unauthorized",
            "detail": _("Authentication required: send a valid bearer token."),
            "errors": [],
        }
        response = _json(api, request, 401, payload)
        response["WWW-Authenticate"] = 'Bearer realm="irontriangle"'
        return response

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return _json(api, request, 404, {"code": "not_found", "detail": _("Not found."), "errors": []})

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if status == 400:
            # Unparseable bodies are invalid input like any other.
            return _json(
                api,
                request,
                422,
                {
                    "code": "invalid_body",
                    "detail": str(exc),
                    "errors": [{"field": "body", "code": "invalid_body", "message": str(exc)}],
                },
            )
        return _json(api, request, status, {"code": "error", "detail": str(exc), "errors": []})

    @api.exception_handler(RequestDataTooBig)
    def body_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        # Django would answer its own HTML 400: API clients get the error format and the right status.
        detail = _("The request body is too large.")
        payload = {
            "code": "body_too_large",
            "detail": detail,
            "errors": [{"field": "body", "code": "body_too_large", "message": detail}],
        }
        return _json(api, request, 413, payload)

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request: HttpRequest, exc: TooManyFieldsSent) -> HttpResponse:
        return domain_error(request, InvalidInput.single("body", "too_many_fields", _("Too many fields were sent.")))

    @api.exception_handler(IntegrityError)
    def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # A constraint caught what validation did not foresee (usually a race): a conflict, not a crash.
        return _json(
            api,
            request,
            409,
            {
                "code": "conflict",
                "detail": _("The change conflicts with another record. Reload and try again."),
                "errors": [],
            },
        )

    @api.exception_handler(DataError)
    def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        return domain_error(request, InvalidInput.single("body", "out_of_range", _("A value is out of range.")))
