"""Accounts as a table: the first kind of `irontriangle.common.importing`.

A row updates the account with the same external ID, else the same credit code, and creates one
otherwise, so importing a file twice creates each account once. The parent is named by its external
ID or credit code, and may be a row further down the same file: rows are applied parents first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irontriangle.accounts import services
from irontriangle.accounts.credit_code import normalise
from irontriangle.accounts.models import Account
from irontriangle.accounts.selectors import AccountFilters, account_scope, accounts_page
from irontriangle.common.access import Viewer
from irontriangle.common.errors import InvalidInput
from irontriangle.common.importing import (
    CREATE,
    OMIT,
    UNCHANGED,
    UPDATE,
    Column,
    ImportContext,
    ImportKind,
    ImportRow,
    TextParser,
    parser_for_field,
    referenced_first,
    register_kind,
)
from irontriangle.common.restricted import hidden_fields, redact
from irontriangle.org.models import User

EXPORT_PAGE = 200
# Computed by the product, never typed: exported for reading, ignored when a file brings them back.
COMPUTED = ("matrix_class",)
# Service errors name these fields; the file calls them by their column.
FIELD_COLUMNS = {"owner_id": "owner", "parent_id": "parent", "non_field": "", "version": ""}


def _model_field(name: str) -> models.Field:
    return cast(models.Field, Account._meta.get_field(name))


class AccountsKind(ImportKind):
    key = "accounts"
    label = gettext_lazy("Accounts")

    def __init__(self) -> None:
        self._columns: list[Column] | None = None

    def columns(self) -> list[Column]:
        if self._columns is None:
            self._columns = self._build_columns()
        return self._columns

    def _build_columns(self) -> list[Column]:
        columns: list[Column] = []
        # Read at run time: the editable fields grow with the model, and the table grows with them.
        for name in services.EDITABLE_FIELDS:
            model_field = _model_field(name)
            required = not model_field.blank and not model_field.has_default()
            columns.append(Column(name, model_field.verbose_name, parser_for_field(model_field), required=required))
        references = (("owner_unit_code", "owner_unit", 50), ("owner", "owner", 150), ("parent", "parent", 200))
        for name, field_name, length in references:
            reference_field = _model_field(field_name)
            # Empty keeps what the account has: a file without owners or parents must not wipe them.
            columns.append(Column(name, reference_field.verbose_name, TextParser(max_length=length, empty=OMIT)))
        for name in COMPUTED:
            model_field = _model_field(name)
            columns.append(Column(name, model_field.verbose_name, parser_for_field(model_field), read_only=True))
        return columns

    def column_for_field(self, field_name: str) -> str:
        if field_name in FIELD_COLUMNS:
            return FIELD_COLUMNS[field_name]
        return super().column_for_field(field_name)

    def display_name(self, row: ImportRow) -> str:
        for name in ("name", "credit_code", "external_id"):
            value = row.values.get(name)
            if value and value is not OMIT:
                return str(value)
        return ""

    # --- checking the rows together -------------------------------------------------------------

    def prepare(self, rows: list[ImportRow], context: ImportContext) -> list[ImportRow]:
        context.state.update(matches={}, parent_rows={}, parent_ids={}, done={})
        by_external, by_code = self._file_keys(rows)
        self._match_existing(rows, context)
        self._resolve_parents(rows, context, by_external, by_code)
        return self._parents_first(rows, context)

    def _file_keys(self, rows: list[ImportRow]) -> tuple[dict[str, ImportRow], dict[str, ImportRow]]:
        """Each row by its external ID and credit code; a key seen twice is an error on its second row."""
        by_external: dict[str, ImportRow] = {}
        by_code: dict[str, ImportRow] = {}
        for row in rows:
            external_id = _external_id(row)
            if external_id:
                first = by_external.setdefault(external_id, row)
                if first is not row:
                    row.error(
                        "external_id",
                        "duplicate_in_file",
                        _("The same external ID is already in row %(row)s.") % {"row": first.number},
                    )
            code = _credit_code(row)
            if code:
                first = by_code.setdefault(code, row)
                if first is not row:
                    row.error(
                        "credit_code",
                        "duplicate_in_file",
                        _("The same credit code is already in row %(row)s.") % {"row": first.number},
                    )
        return by_external, by_code

    def _match_existing(self, rows: list[ImportRow], context: ImportContext) -> None:
        """The account each row updates; one the viewer cannot see is never touched."""
        external_ids = {key for row in rows if (key := _external_id(row))}
        codes = {key for row in rows if (key := _credit_code(row))}
        existing_by_external: dict[str, Account] = {}
        if external_ids:
            existing_by_external = {
                account.external_id: account for account in Account.objects.filter(external_id__in=external_ids)
            }
        existing_by_code = {account.credit_code: account for account in Account.objects.filter(credit_code__in=codes)}
        candidates = {account.pk for account in [*existing_by_external.values(), *existing_by_code.values()]}
        visible = set(
            Account.objects.filter(account_scope(context.viewer), pk__in=candidates).values_list("pk", flat=True)
        )
        for row in rows:
            match, column = None, ""
            if (external_id := _external_id(row)) and external_id in existing_by_external:
                match, column = existing_by_external[external_id], "external_id"
            elif (code := _credit_code(row)) and code in existing_by_code:
                match, column = existing_by_code[code], "credit_code"
            if match is None:
                continue
            if match.pk not in visible:
                what = _("external ID") if column == "external_id" else _("credit code")
                row.error(
                    column,
                    "owned_elsewhere",
                    _(
                        "An account with this %(what)s already exists and another unit owns it; "
                        "ask its owner or the middle office."
                    )
                    % {"what": what},
                )
            else:
                context.state["matches"][row.number] = match.pk

    def _resolve_parents(
        self,
        rows: list[ImportRow],
        context: ImportContext,
        by_external: dict[str, ImportRow],
        by_code: dict[str, ImportRow],
    ) -> None:
        """Each `parent` as a row of this file or an account the viewer sees, by external ID or credit code."""
        outside: dict[int, str] = {}
        for row in rows:
            if not row.given("parent"):
                continue
            reference = str(row.values["parent"]).strip()
            in_file = by_external.get(reference) or by_code.get(normalise(reference))
            if in_file is not None:
                context.state["parent_rows"][row.number] = in_file.number
            else:
                outside[row.number] = reference
        if not outside:
            return
        references = set(outside.values())
        visible = Account.objects.filter(account_scope(context.viewer))
        found: dict[str, int] = {}
        found.update(visible.filter(external_id__in=references).values_list("external_id", "pk"))
        codes = {normalise(reference) for reference in references}
        found.update(visible.filter(credit_code__in=codes).values_list("credit_code", "pk"))
        for row in rows:
            if row.number not in outside:
                continue
            reference = outside[row.number]
            parent_id = found.get(reference) or found.get(normalise(reference))
            if parent_id is None:
                row.error(
                    "parent",
                    "unknown_parent",
                    _(
                        "No account with the external ID or credit code “%(reference)s” "
                        "is in this file or visible to you."
                    )
                    % {"reference": reference},
                )
            else:
                context.state["parent_ids"][row.number] = parent_id

    def _parents_first(self, rows: list[ImportRow], context: ImportContext) -> list[ImportRow]:
        """The rows in file order, except that a parent in the file comes before its children."""
        by_number = {row.number: row for row in rows}

        def cycle(numbers: list[int]) -> None:
            for number in numbers:
                by_number[number].error(
                    "parent",
                    "cycle",
                    _("The parents form a cycle (rows %(rows)s): an account cannot sit below itself.")
                    % {"rows": ", ".join(str(n) for n in numbers)},
                )

        return referenced_first(rows, context.state["parent_rows"], cycle)

    # --- writing one row ----------------------------------------------------------------------------

    def apply(self, row: ImportRow, context: ImportContext) -> str:
        data: dict[str, Any] = {
            name: value for name, value in row.values.items() if name in services.EDITABLE_FIELDS and value is not OMIT
        }
        if row.given("owner_unit_code"):
            data["owner_unit_code"] = row.values["owner_unit_code"]
        if row.given("owner"):
            owner = User.objects.filter(username=row.values["owner"], is_active=True).first()
            if owner is None:
                raise InvalidInput.single(
                    "owner",
                    "unknown_user",
                    _("No active user has the username “%(username)s”.") % {"username": row.values["owner"]},
                )
            data["owner_id"] = owner.pk
        if row.number in context.state["parent_rows"]:
            parent = context.state["done"].get(context.state["parent_rows"][row.number])
            if parent is None:
                raise InvalidInput.single(
                    "parent",
                    "parent_failed",
                    _("The parent account in row %(row)s could not be imported.")
                    % {"row": context.state["parent_rows"][row.number]},
                )
            data["parent_id"] = parent.pk
        elif row.number in context.state["parent_ids"]:
            data["parent_id"] = context.state["parent_ids"][row.number]

        match_id = context.state["matches"].get(row.number)
        if match_id is None:
            account = services.account_create(viewer=context.viewer, actor=context.actor, data=data)
            context.state["done"][row.number] = account
            return CREATE
        current = Account.objects.select_related("owner_unit").get(pk=match_id)
        # Values the viewer may not see were exported empty; they must not come back as "clear it".
        for name in hidden_fields(context.viewer, current):
            data.pop(name, None)
        before = current.version
        account = services.account_update(
            viewer=context.viewer, actor=context.actor, account=current, data=data, version=before
        )
        context.state["done"][row.number] = account
        return UPDATE if account.version != before else UNCHANGED

    # --- export --------------------------------------------------------------------------------------

    def export_objects(self, viewer: Viewer, filters: Any = None) -> Iterator[Account]:
        """Every visible account matching the filters, walked page by page through the list's selector."""
        filters = filters or AccountFilters()
        cursor: str | None = None
        while True:
            page = accounts_page(viewer, filters, cursor=cursor, limit=EXPORT_PAGE)
            yield from page.items
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def export_values(self, obj: Any, viewer: Viewer) -> dict[str, Any]:
        account = cast(Account, obj)
        values: dict[str, Any] = {name: getattr(account, name, None) for name in services.EDITABLE_FIELDS}
        values["owner_unit_code"] = account.owner_unit.code
        values["owner"] = account.owner.username if account.owner else ""
        values["parent"] = _reference(account.parent) if account.parent else ""
        for name in COMPUTED:
            value = getattr(account, name, None)
            values[name] = value() if callable(value) else value
        return redact(viewer, account, values)


def _external_id(row: ImportRow) -> str:
    value = row.values.get("external_id")
    return str(value).strip() if value and value is not OMIT else ""


def _credit_code(row: ImportRow) -> str:
    value = row.values.get("credit_code")
    return normalise(str(value)) if value and value is not OMIT else ""


def _reference(account: Account) -> str:
    """How a file names an account: its external ID, else its credit code."""
    return str(getattr(account, "external_id", "") or account.credit_code or "")


ACCOUNTS = register_kind(AccountsKind())
