"""Contacts as a table, the second kind of `irontriangle.common.importing`.

A row names its account by the account's external ID, credit code or exact name. It updates the
contact with the same external ID, else the contact of that account with the same name, and creates
one otherwise, so importing a file twice creates each contact once. `reports_to` names a contact of
the same account by external ID or name, and may be a row further down the file: managers are
applied first. Buying roles are a list of codes or labels separated by commas, 、 or semicolons.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, cast

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irontriangle.accounts.credit_code import normalise
from irontriangle.accounts.models import Account
from irontriangle.accounts.selectors import account_scope, can_edit_account
from irontriangle.common.access import Viewer
from irontriangle.common.errors import InvalidInput
from irontriangle.common.importing import (
    CREATE,
    OMIT,
    UNCHANGED,
    UPDATE,
    CellError,
    Column,
    EnumParser,
    ImportContext,
    ImportKind,
    ImportRow,
    IntegerParser,
    Parser,
    TextParser,
    parser_for_field,
    referenced_first,
    register_kind,
)
from irontriangle.relationships import services
from irontriangle.relationships.models import BuyingRole, Contact
from irontriangle.relationships.selectors import ContactFilters, contacts_page
from irontriangle.relationships.services.contacts import TEXT_FIELDS, buying_roles_value

EXPORT_PAGE = 200
# The contact fields a file carries as they are; account, reports-to and roles have their own columns.
PLAIN_FIELDS = tuple(name for name in services.CONTACT_FIELDS if name not in ("reports_to_id", "buying_roles"))
# Service errors name these fields; the file calls them by their column.
FIELD_COLUMNS = {"reports_to_id": "reports_to", "account_id": "account", "non_field": "", "version": ""}
_FORMULA_STARTS = ("=", "+", "-", "@")
_SEPARATORS = re.compile(r"([,，;；、/|\n]+)")


def _model_field(name: str) -> models.Field:
    return cast(models.Field, Contact._meta.get_field(name))


class PlainTextParser(TextParser):
    """Text as exported: the apostrophe an export puts before `+86 …` or `=…` is not part of the value."""

    def convert(self, value: Any) -> Any:
        if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in _FORMULA_STARTS:
            value = value[1:]
        return super().convert(value)


class RolesParser(Parser):
    """Buying roles: codes or labels in any language, separated by commas, 、 or semicolons."""

    def __init__(self) -> None:
        super().__init__(empty="")
        self.role = EnumParser(BuyingRole.choices)

    def _one(self, text: str) -> str | None:
        try:
            return str(self.role.convert(text))
        except CellError:
            return None

    def convert(self, value: Any) -> Any:
        text = str(value).strip()
        whole = self._one(text)
        if whole is not None:
            return whole
        # A label may itself hold a separator ("Supervisor / third party"): the longest run of pieces
        # that names a role wins, piece by piece from the left.
        pieces = _SEPARATORS.split(text)
        codes: list[str] = []
        index = 0
        while index < len(pieces):
            if not pieces[index].strip() or _SEPARATORS.fullmatch(pieces[index]):
                index += 1
                continue
            for end in range(len(pieces), index, -1):
                code = self._one("".join(pieces[index:end]).strip())
                if code is not None:
                    codes.append(code)
                    index = end
                    break
            else:
                raise CellError(
                    "invalid_choice",
                    _("Unknown buying role “%(value)s”; use one of: %(allowed)s")
                    % {
                        "value": pieces[index].strip(),
                        "allowed": ", ".join(f"{code} ({label})" for code, label in BuyingRole.choices),
                    },
                )
        return buying_roles_value(codes)

    def format(self, value: Any, *, localised: bool) -> Any:
        codes = [code for code in str(value or "").split(",") if code]
        if not localised:
            return ",".join(codes)
        labels = dict(BuyingRole.choices)
        chinese = (translation.get_language() or "").lower().startswith("zh")
        return ("、" if chinese else ", ").join(str(labels.get(code, code)) for code in codes)


class ContactsKind(ImportKind):
    key = "contacts"
    label = gettext_lazy("Contacts")

    def __init__(self) -> None:
        self._columns: list[Column] | None = None

    def columns(self) -> list[Column]:
        if self._columns is None:
            self._columns = self._build_columns()
        return self._columns

    def _build_columns(self) -> list[Column]:
        account_field = _model_field("account")
        columns = [
            Column("external_id", _model_field("external_id").verbose_name, PlainTextParser(max_length=100)),
            Column("account", account_field.verbose_name, PlainTextParser(max_length=200, empty=OMIT), required=True),
        ]
        for name in PLAIN_FIELDS:
            if name == "external_id":
                continue
            model_field = _model_field(name)
            if name == "influence":
                parser: Parser = IntegerParser(minimum=1, maximum=5)
                parser.empty = OMIT  # an empty cell keeps the influence (3 for a new contact)
            else:
                parser = parser_for_field(model_field)
                if type(parser) is TextParser:
                    parser = PlainTextParser(max_length=model_field.max_length, empty=parser.empty)
            columns.append(Column(name, model_field.verbose_name, parser, required=name == "name"))
            if name == "department":
                # Empty keeps the line: a file without managers must not wipe the power map.
                reports_to = _model_field("reports_to")
                columns.append(
                    Column("reports_to", reports_to.verbose_name, PlainTextParser(max_length=200, empty=OMIT))
                )
            if name == "wechat":
                columns.append(Column("buying_roles", _model_field("buying_roles").verbose_name, RolesParser()))
        return columns

    def column_for_field(self, field_name: str) -> str:
        if field_name in FIELD_COLUMNS:
            return FIELD_COLUMNS[field_name]
        return super().column_for_field(field_name)

    def display_name(self, row: ImportRow) -> str:
        for name in ("name", "external_id"):
            value = row.values.get(name)
            if value and value is not OMIT:
                return str(value)
        return ""

    # --- checking the rows together -------------------------------------------------------------

    def prepare(self, rows: list[ImportRow], context: ImportContext) -> list[ImportRow]:
        context.state.update(accounts={}, matches={}, manager_rows={}, manager_ids={}, done={})
        self._resolve_accounts(rows, context)
        self._check_file_keys(rows, context)
        self._match_existing(rows, context)
        self._resolve_managers(rows, context)
        return self._managers_first(rows, context)

    def _resolve_accounts(self, rows: list[ImportRow], context: ImportContext) -> None:
        """Each row's account among those the viewer sees: external ID, then credit code, then exact name."""
        references = {str(row.values["account"]).strip() for row in rows if row.given("account")}
        if not references:
            return
        visible = Account.objects.filter(account_scope(context.viewer)).select_related("owner_unit")
        by_external = {a.external_id: a for a in visible.filter(external_id__in=references)}
        by_code = {a.credit_code: a for a in visible.filter(credit_code__in={normalise(r) for r in references})}
        by_name: dict[str, list[Account]] = {}
        for candidate in visible.filter(name__in=references):
            by_name.setdefault(candidate.name, []).append(candidate)
        editable: dict[int, bool] = {}
        for row in rows:
            if not row.given("account"):
                continue
            reference = str(row.values["account"]).strip()
            account: Account | None = by_external.get(reference) or by_code.get(normalise(reference))
            if account is None:
                named = by_name.get(reference, [])
                if len(named) > 1:
                    row.error(
                        "account",
                        "ambiguous_account",
                        _("Several accounts you can see are called “%(reference)s”: name it by its credit code.")
                        % {"reference": reference},
                    )
                    continue
                account = named[0] if named else None
            if account is None:
                row.error(
                    "account",
                    "unknown_account",
                    _("No account you can see has the external ID, credit code or name “%(reference)s”.")
                    % {"reference": reference},
                )
                continue
            if account.pk not in editable:
                editable[account.pk] = can_edit_account(context.viewer, account)
            if not editable[account.pk]:
                row.error(
                    "account",
                    "not_editable",
                    _("You may not change the contacts of %(account)s: ask its owner or its team.")
                    % {"account": account.name},
                )
                continue
            context.state["accounts"][row.number] = account

    def _check_file_keys(self, rows: list[ImportRow], context: ImportContext) -> None:
        """The same external ID twice, or the same person of an account twice without one, is an error."""
        by_external: dict[str, ImportRow] = {}
        by_name: dict[tuple[int, str], ImportRow] = {}
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
                continue
            account = context.state["accounts"].get(row.number)
            name = _name(row)
            if account is None or not name:
                continue
            first = by_name.setdefault((account.pk, name), row)
            if first is not row:
                row.error(
                    "name",
                    "duplicate_in_file",
                    _(
                        "The same person of this account is already in row %(row)s; "
                        "give two people of the same name an external ID each."
                    )
                    % {"row": first.number},
                )

    def _match_existing(self, rows: list[ImportRow], context: ImportContext) -> None:
        """The contact each row updates: same external ID, else same account and name."""
        accounts: dict[int, Account] = context.state["accounts"]
        external_ids = {key for row in rows if (key := _external_id(row))}
        by_external = {
            contact.external_id: contact
            for contact in Contact.all_objects.filter(external_id__in=external_ids).select_related("account")
        }
        names = {_name(row) for row in rows if row.number in accounts}
        by_name: dict[tuple[int, str], list[Contact]] = {}
        for contact in Contact.objects.filter(
            account_id__in={account.pk for account in accounts.values()}, name__in=names
        ).order_by("pk"):
            by_name.setdefault((contact.account_id, contact.name), []).append(contact)
        for row in rows:
            account = accounts.get(row.number)
            if account is None:
                continue
            external_id = _external_id(row)
            match = by_external.get(external_id) if external_id else None
            if match is not None:
                if match.account_id != account.pk:
                    row.error(
                        "external_id",
                        "other_account",
                        _("A contact of another account already has this external ID."),
                    )
                elif match.deleted_at is not None:
                    row.error(
                        "external_id",
                        "in_trash",
                        _("The contact with this external ID is in the trash: restore it first."),
                    )
                else:
                    context.state["matches"][row.number] = match.pk
                continue
            # Same name and no other identity: the same person.
            candidates = [
                contact
                for contact in by_name.get((account.pk, _name(row)), [])
                if not contact.external_id or not external_id
            ]
            if len(candidates) > 1:
                row.error(
                    "name",
                    "ambiguous_contact",
                    _("%(account)s has several contacts called %(name)s: add the external ID column.")
                    % {"account": account.name, "name": _name(row)},
                )
            elif candidates:
                context.state["matches"][row.number] = candidates[0].pk

    def _resolve_managers(self, rows: list[ImportRow], context: ImportContext) -> None:
        """Each `reports_to` as a row of this file or a contact of the same account, by external ID or name."""
        accounts: dict[int, Account] = context.state["accounts"]
        in_file: dict[tuple[int, str], list[ImportRow]] = {}
        for row in rows:
            if row.number not in accounts:
                continue
            keys = {key for key in (_external_id(row), _name(row)) if key}
            for key in keys:
                in_file.setdefault((accounts[row.number].pk, key), []).append(row)
        wanted = {
            row.number: str(row.values["reports_to"]).strip()
            for row in rows
            if row.given("reports_to") and row.number in accounts and str(row.values["reports_to"]).strip()
        }
        references = set(wanted.values())
        existing: dict[tuple[int, str], list[Contact]] = {}
        if references:
            for contact in Contact.objects.filter(account_id__in={accounts[number].pk for number in wanted}).filter(
                models.Q(external_id__in=references) | models.Q(name__in=references)
            ):
                keys = {key for key in (contact.external_id, contact.name) if key in references}
                for key in keys:
                    existing.setdefault((contact.account_id, key), []).append(contact)
        for row in rows:
            if row.number not in wanted:
                continue
            reference = wanted[row.number]
            place = (accounts[row.number].pk, reference)
            file_rows = in_file.get(place, [])
            if len(file_rows) == 1:
                if file_rows[0] is row:
                    row.error("reports_to", "cycle", _("A contact cannot report to themselves."))
                else:
                    context.state["manager_rows"][row.number] = file_rows[0].number
                continue
            people = existing.get(place, [])
            if len(file_rows) > 1 or len(people) > 1:
                row.error(
                    "reports_to",
                    "ambiguous_contact",
                    _("Several contacts of this account are called “%(reference)s”: name the manager by external ID.")
                    % {"reference": reference},
                )
            elif people:
                if context.state["matches"].get(row.number) == people[0].pk:
                    row.error("reports_to", "cycle", _("A contact cannot report to themselves."))
                else:
                    context.state["manager_ids"][row.number] = people[0].pk
            else:
                row.error(
                    "reports_to",
                    "unknown_contact",
                    _("No contact of this account has the external ID or name “%(reference)s”.")
                    % {"reference": reference},
                )

    def _managers_first(self, rows: list[ImportRow], context: ImportContext) -> list[ImportRow]:
        """The rows in file order, except that a manager in the file comes before the people reporting to them."""
        by_number = {row.number: row for row in rows}

        def circle(numbers: list[int]) -> None:
            for number in numbers:
                by_number[number].error(
                    "reports_to",
                    "cycle",
                    _("The reporting lines form a circle (rows %(rows)s).")
                    % {"rows": ", ".join(str(n) for n in numbers)},
                )

        return referenced_first(rows, context.state["manager_rows"], circle)

    # --- writing one row ----------------------------------------------------------------------------

    def apply(self, row: ImportRow, context: ImportContext) -> str:
        account: Account = context.state["accounts"][row.number]
        data: dict[str, Any] = {name: value for name, value in row.values.items() if name in PLAIN_FIELDS}
        data = {name: value for name, value in data.items() if value is not OMIT}
        if row.given("buying_roles"):
            data["buying_roles"] = row.values["buying_roles"]
        if row.number in context.state["manager_rows"]:
            number = context.state["manager_rows"][row.number]
            manager = context.state["done"].get(number)
            if manager is None:
                raise InvalidInput.single(
                    "reports_to_id",
                    "manager_failed",
                    _("The manager in row %(row)s could not be imported.") % {"row": number},
                )
            data["reports_to_id"] = manager.pk
        elif row.number in context.state["manager_ids"]:
            data["reports_to_id"] = context.state["manager_ids"][row.number]

        match_id = context.state["matches"].get(row.number)
        if match_id is None:
            contact = services.contact_create(viewer=context.viewer, actor=context.actor, account=account, data=data)
            context.state["done"][row.number] = contact
            return CREATE
        current = Contact.objects.select_related("account", "account__owner_unit").get(pk=match_id)
        context.state["done"][row.number] = current
        if not _changes(current, data):
            return UNCHANGED
        contact = services.contact_update(
            viewer=context.viewer, actor=context.actor, contact=current, data=data, version=current.version
        )
        context.state["done"][row.number] = contact
        return UPDATE

    # --- export --------------------------------------------------------------------------------------

    def export_objects(self, viewer: Viewer, filters: Any = None) -> Iterator[Contact]:
        """Every visible contact matching the filters, walked page by page through the list's selector."""
        filters = filters or ContactFilters()
        cursor: str | None = None
        while True:
            page = contacts_page(viewer, filters, cursor=cursor, limit=EXPORT_PAGE)
            yield from page.items
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def export_values(self, obj: Any, viewer: Viewer) -> dict[str, Any]:
        contact = cast(Contact, obj)
        values: dict[str, Any] = {name: getattr(contact, name) for name in PLAIN_FIELDS}
        values["account"] = _account_reference(contact.account)
        values["buying_roles"] = contact.buying_roles
        manager = contact.reports_to
        values["reports_to"] = (manager.external_id or manager.name) if manager and manager.deleted_at is None else ""
        return values


def _changes(contact: Contact, data: dict[str, Any]) -> bool:
    """Whether writing `data` would change the contact (the service counts every write as a new version)."""
    for name, value in data.items():
        if name == "buying_roles":
            value = buying_roles_value(value)
        elif name in TEXT_FIELDS and value is None:
            value = ""
        if getattr(contact, name) != value:
            return True
    return False


def _external_id(row: ImportRow) -> str:
    value = row.values.get("external_id")
    return str(value).strip() if value and value is not OMIT else ""


def _name(row: ImportRow) -> str:
    value = row.values.get("name")
    return str(value).strip() if value and value is not OMIT else ""


def _account_reference(account: Account) -> str:
    """How a file names an account: its external ID, else its credit code, else its name."""
    return str(account.external_id or account.credit_code or account.name)


CONTACTS = register_kind(ContactsKind())
