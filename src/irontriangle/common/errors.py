"""Domain errors raised by services and access helpers; the API and the web turn them into answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _


@dataclass
class FieldError:
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "code": self.code, "message": str(self.message)}


class DomainError(Exception):
    status = 400
    code = "error"

    def __init__(self, detail: str | None = None, *, code: str | None = None) -> None:
        self.detail = str(detail) if detail is not None else self.default_detail()
        if code:
            self.code = code
        super().__init__(self.detail)

    def default_detail(self) -> str:
        return _("The request could not be processed.")

    def payload(self) -> dict[str, Any]:
        return {"code": self.code, "detail": self.detail, "errors": []}


class NotFound(DomainError):
    """Missing and invisible look the same: the caller learns nothing about records it may not see."""

    status = 404
    code = "not_found"

    def default_detail(self) -> str:
        return _("Not found.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"

    def default_detail(self) -> str:
        return _("You are not allowed to do this.")


class Conflict(DomainError):
    status = 409
    code = "conflict"

    def default_detail(self) -> str:
        return _("The request conflicts with the current state.")


class VersionConflict(Conflict):
    code = "version_conflict"

    def __init__(self, *, current_version: int, current: dict[str, Any] | None = None) -> None:
        super().__init__(
            _("This record was changed by someone else (now at version %(version)s). Reload and try again.")
            % {"version": current_version}
        )
        self.current_version = current_version
        self.current = current

    def payload(self) -> dict[str, Any]:
        data = super().payload()
        data["current_version"] = self.current_version
        if self.current is not None:
            data["current"] = self.current
        return data


class InvalidInput(DomainError):
    status = 422
    code = "invalid"

    def __init__(self, errors: list[FieldError], detail: str | None = None, *, code: str | None = None) -> None:
        self.errors = errors
        super().__init__(detail or _("The input is not valid."), code=code)

    @classmethod
    def single(cls, field_name: str, code: str, message: str) -> InvalidInput:
        return cls([FieldError(field_name, code, message)])

    def payload(self) -> dict[str, Any]:
        data = super().payload()
        data["errors"] = [error.as_dict() for error in self.errors]
        return data
