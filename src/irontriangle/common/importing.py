"""Import and export of business records as tables (SPEC §2, API.md `import` / `export`).

An `ImportKind` describes one kind of record as columns; the framework reads the file, maps the
header, parses every cell and hands each row to the kind, which writes through its services. An
import is all-or-nothing: one transaction, one savepoint per row so that every bad row is reported,
and a rollback of everything when any row failed or when only a dry run was asked for.

Kinds live in `<app>/importing.py` and register themselves with `register_kind`; the registry finds
those modules on first use, so adding a kind takes no change here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import override

from irontriangle.common.access import Viewer
from irontriangle.common.errors import DomainError, InvalidInput
from irontriangle.common.tabular import Cell, TableError, is_blank, read_table

# The value a parser returns for an empty cell that must not change the record (create: the default).
OMIT: Any = type("Omit", (), {"__repr__": lambda self: "OMIT"})()

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
ERROR = "error"


class CellError(Exception):
    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


def _text(value: Cell) -> str:
    """A cell as text; whole numbers from a spreadsheet lose the `.0` it gives them."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


# --- parsers: one per kind of cell ---------------------------------------------------------------


class Parser:
    """Turns a cell into a service value and a value back into a cell."""

    # What an empty cell means: clear the field (None or "") or leave it as it is (OMIT).
    def __init__(self, *, empty: Any = None) -> None:
        self.empty = empty

    def parse(self, value: Cell) -> Any:
        if is_blank(value):
            return self.empty
        return self.convert(value)

    def convert(self, value: Cell) -> Any:
        return _text(value)

    def format(self, value: Any, *, localised: bool) -> Cell:
        return "" if value is None else value


class TextParser(Parser):
    def __init__(self, *, max_length: int | None = None, empty: Any = "") -> None:
        super().__init__(empty=empty)
        self.max_length = max_length

    def convert(self, value: Cell) -> Any:
        text = _text(value)
        if self.max_length and len(text) > self.max_length:
            raise CellError(
                "too_long",
                _("At most %(max)s characters (this one has %(length)s).")
                % {"max": self.max_length, "length": len(text)},
            )
        return text


class EnumParser(Parser):
    """A code (`s`) or its label in any language of the product (`S · strategic`, `S · 战略型`)."""

    def __init__(self, choices: Iterable[tuple[str, Any]], *, empty: Any = None) -> None:
        super().__init__(empty=empty)
        self.choices = [(str(code), label) for code, label in choices if code not in ("", None)]
        self._known: dict[str, str] | None = None

    def _lookup(self) -> dict[str, str]:
        if self._known is not None:
            return self._known
        known: dict[str, str] = {}
        for code, label in self.choices:
            known[code.casefold()] = code
            for language, _name in settings.LANGUAGES:
                with override(language):
                    known.setdefault(_key(str(label)), code)
        self._known = known
        return known

    def convert(self, value: Cell) -> Any:
        text = _text(value)
        code = self._lookup().get(_key(text))
        if code is None:
            allowed = ", ".join(f"{code} ({label})" for code, label in self.choices)
            raise CellError(
                "invalid_choice",
                _("Unknown value “%(value)s”; use one of: %(allowed)s") % {"value": text, "allowed": allowed},
            )
        return code

    def format(self, value: Any, *, localised: bool) -> Cell:
        if value in (None, ""):
            return ""
        if localised:
            labels = dict(self.choices)
            return str(labels.get(str(value), value))
        return str(value)


_TRUE = {"true", "yes", "y", "1", "是", "t", "x", "✓"}
_FALSE = {"false", "no", "n", "0", "否", "f"}


class BoolParser(Parser):
    def __init__(self, *, empty: Any = OMIT) -> None:
        super().__init__(empty=empty)

    def convert(self, value: Cell) -> Any:
        if isinstance(value, bool):
            return value
        text = _text(value).casefold()
        if text in _TRUE or text == _("yes").casefold():
            return True
        if text in _FALSE or text == _("no").casefold():
            return False
        raise CellError(
            "invalid_bool", _("“%(value)s” is not yes or no (use yes/no, true/false, 1/0 or 是/否).") % {"value": text}
        )

    def format(self, value: Any, *, localised: bool) -> Cell:
        if value is None:
            return ""
        if localised:
            return _("yes") if value else _("no")
        return "true" if value else "false"


class DecimalParser(Parser):
    """An amount: thousands separators and a currency sign are tolerated, more decimals than the field holds are not."""

    def __init__(self, *, max_digits: int = 18, decimal_places: int = 2, minimum: Decimal | None = Decimal(0)) -> None:
        super().__init__(empty=None)
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.minimum = minimum

    def convert(self, value: Cell) -> Any:
        if isinstance(value, bool):
            raise CellError("invalid_number", _("“%(value)s” is not a number.") % {"value": value})
        text = repr(value) if isinstance(value, float) else re.sub(r"[,\s_¥￥$]", "", _text(value))
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise CellError("invalid_number", _("“%(value)s” is not a number.") % {"value": _text(value)}) from None
        if not amount.is_finite():
            raise CellError("invalid_number", _("“%(value)s” is not a number.") % {"value": _text(value)})
        if self.minimum is not None and amount < self.minimum:
            raise CellError("negative", _("The amount cannot be negative."))
        exponent = amount.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            raise CellError(
                "too_many_decimals", _("At most %(places)s decimal places.") % {"places": self.decimal_places}
            )
        whole_digits = len(str(abs(int(amount)))) if amount >= 1 or amount <= -1 else 0
        if whole_digits > self.max_digits - self.decimal_places:
            raise CellError("too_large", _("The number is too large."))
        return amount

    def format(self, value: Any, *, localised: bool) -> Cell:
        return "" if value is None else value


class IntegerParser(Parser):
    def __init__(self, *, minimum: int | None = 0, maximum: int | None = 2_000_000_000) -> None:
        super().__init__(empty=None)
        self.minimum = minimum
        self.maximum = maximum

    def convert(self, value: Cell) -> Any:
        if isinstance(value, bool):
            raise CellError("invalid_integer", _("“%(value)s” is not a whole number.") % {"value": value})
        text = re.sub(r"[,\s_]", "", _text(value))
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite() or number != number.to_integral_value():
            raise CellError("invalid_integer", _("“%(value)s” is not a whole number.") % {"value": _text(value)})
        result = int(number)
        if (self.minimum is not None and result < self.minimum) or (self.maximum is not None and result > self.maximum):
            raise CellError(
                "out_of_range",
                _("The number must be between %(min)s and %(max)s.") % {"min": self.minimum, "max": self.maximum},
            )
        return result


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


class DateParser(Parser):
    """ISO dates, their slash and dot forms, `2025年3月1日`, and the dates a spreadsheet stores."""

    def convert(self, value: Cell) -> Any:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = _text(value)
        text = text.split(" ")[0].split("T")[0]
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    return date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError:
                    break
        raise CellError(
            "invalid_date", _("“%(value)s” is not a date (write it as 2025-03-01).") % {"value": _text(value)}
        )

    def format(self, value: Any, *, localised: bool) -> Cell:
        return "" if value is None else value


def parser_for_field(model_field: models.Field) -> Parser:
    """The parser a model field calls for; an empty cell clears what may be empty and keeps the rest."""
    if model_field.null:
        empty: Any = None
    elif model_field.blank and model_field.empty_strings_allowed:
        empty = ""
    else:
        empty = OMIT
    if model_field.choices:
        return EnumParser(model_field.flatchoices, empty=empty)  # type: ignore[arg-type]
    if isinstance(model_field, models.BooleanField):
        return BoolParser()
    if isinstance(model_field, models.DecimalField):
        return DecimalParser(max_digits=model_field.max_digits or 18, decimal_places=model_field.decimal_places or 0)
    if isinstance(model_field, models.PositiveIntegerField | models.PositiveBigIntegerField):
        return IntegerParser(minimum=0)
    if isinstance(model_field, models.IntegerField):
        return IntegerParser(minimum=None, maximum=None)
    if isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        parser: Parser = DateParser(empty=empty)
        return parser
    return TextParser(max_length=getattr(model_field, "max_length", None), empty=empty)


# --- columns and kinds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the API field name, also accepted as a header
    label: Any  # translatable; its text in every language is accepted as a header
    parser: Parser
    required: bool = False
    # Computed values: exported so people can read them, ignored when a file brings them back.
    read_only: bool = False

    def header(self) -> str:
        return str(capfirst(self.label))


def _key(text: str) -> str:
    """How headers and labels compare: case, surrounding space, inner spacing and a required mark do not count."""
    return re.sub(r"\s+", " ", str(text)).strip().rstrip("*＊").strip().casefold()


@dataclass
class RowError:
    row: int
    column: str
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": str(self.message)}

    def __str__(self) -> str:
        if self.column:
            return _("row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportRow:
    """One data row: its parsed values by column name, and what went wrong with it so far."""

    number: int
    values: dict[str, Any]
    errors: list[RowError] = field(default_factory=list)
    name: str = ""

    def error(self, column: str, code: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, code, message))

    def given(self, column: str) -> bool:
        return column in self.values and self.values[column] is not OMIT


@dataclass
class RowOutcome:
    row: int
    action: str  # create, update, unchanged or error
    name: str
    errors: list[RowError] = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    outcomes: list[RowOutcome] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def applied(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "applied": self.applied,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [error.as_dict() for error in self.errors],
        }


@dataclass
class ImportContext:
    viewer: Viewer
    actor: Any
    dry_run: bool
    state: dict[str, Any] = field(default_factory=dict)  # for the kind, during one run


class ImportKind:
    """One kind of record that can travel as a table. Subclasses set `key` and `label` and fill in the hooks."""

    key: str = ""
    label: Any = ""

    def columns(self) -> list[Column]:
        raise NotImplementedError

    def prepare(self, rows: list[ImportRow], context: ImportContext) -> list[ImportRow]:
        """Check the rows together (duplicates, references between rows) and return them in the order to apply."""
        return rows

    def apply(self, row: ImportRow, context: ImportContext) -> str:
        """Write one row through the services; return CREATE, UPDATE or UNCHANGED, or raise a DomainError."""
        raise NotImplementedError

    def column_for_field(self, field_name: str) -> str:
        """The column a service's error about `field_name` belongs to ("" for the row as a whole)."""
        names = {column.name for column in self.columns()}
        return field_name if field_name in names else ""

    def display_name(self, row: ImportRow) -> str:
        return _text(row.values.get("name"))

    def export_objects(self, viewer: Viewer, filters: Any = None) -> Iterable[Any]:
        raise NotImplementedError

    def export_values(self, obj: Any, viewer: Viewer) -> dict[str, Any]:
        """The values of one record by column name, with what the viewer may not see left out."""
        raise NotImplementedError


_KINDS: dict[str, ImportKind] = {}
_discovered = False


def register_kind(kind: ImportKind) -> ImportKind:
    _KINDS[kind.key] = kind
    return kind


def _discover() -> None:
    global _discovered
    if not _discovered:
        autodiscover_modules("importing")
        _discovered = True


def available_kinds() -> list[str]:
    _discover()
    return sorted(_KINDS)


def get_kind(key: str) -> ImportKind | None:
    _discover()
    return _KINDS.get(key)


# --- header mapping ------------------------------------------------------------------------------------


def header_lookup(columns: list[Column]) -> dict[str, Column]:
    lookup: dict[str, Column] = {}
    for column in columns:
        lookup[_key(column.name)] = column
    for language, _name in settings.LANGUAGES:
        with override(language):
            for column in columns:
                lookup.setdefault(_key(str(column.label)), column)
    return lookup


def map_headers(kind: ImportKind, headers: list[str]) -> tuple[list[Column | None], list[RowError]]:
    """The column each header names (None for an ignored one), and the errors of the header row."""
    columns = kind.columns()
    lookup = header_lookup(columns)
    mapped: list[Column | None] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for header in headers:
        if not header:
            mapped.append(None)  # an unnamed column; a cell under it is reported where it is used
            continue
        column = lookup.get(_key(header))
        if column is None:
            errors.append(RowError(1, header, "unknown_column", _("Unknown column “%(column)s”.") % {"column": header}))
            mapped.append(None)
        elif column.name in seen:
            errors.append(
                RowError(1, header, "duplicate_column", _("The column %(column)s appears twice.") % {"column": header})
            )
            mapped.append(None)
        else:
            seen.add(column.name)
            mapped.append(None if column.read_only else column)
    for column in columns:
        if column.required and column.name not in seen:
            errors.append(
                RowError(
                    1,
                    column.name,
                    "missing_column",
                    _("The required column %(column)s is missing.") % {"column": f"{column.name} ({column.header()})"},
                )
            )
    return mapped, errors


def parse_rows(kind: ImportKind, table_rows: Iterable[Any], mapped: list[Column | None]) -> list[ImportRow]:
    rows: list[ImportRow] = []
    for table_row in table_rows:
        row = ImportRow(number=table_row.number, values={})
        for column, cell in zip(mapped, table_row.cells, strict=False):
            if column is None:
                continue
            try:
                value = column.parser.parse(cell)
            except CellError as error:
                row.error(column.name, error.code, error.message)
                continue
            if column.required and (value is None or value == "" or value is OMIT):
                row.error(column.name, "required", _("This column must not be empty."))
                continue
            row.values[column.name] = value
        row.name = kind.display_name(row)
        rows.append(row)
    return rows


# --- running -------------------------------------------------------------------------------------------


def run_import(
    kind: ImportKind, data: bytes, filename: str, *, viewer: Viewer, actor: Any, dry_run: bool
) -> ImportReport:
    """Import a whole file, or nothing of it; with `dry_run` report what would happen and change nothing."""
    report = ImportReport(kind=kind.key, dry_run=dry_run)
    try:
        table = read_table(data, filename)
    except TableError as error:
        report.errors.append(RowError(0, "", error.code, error.message))
        return report
    mapped, header_errors = map_headers(kind, table.headers)
    report.columns = [column.name for column in mapped if column is not None]
    report.rows = len(table.rows)
    if header_errors:
        # Without a sound header no cell can be trusted to land in the right field.
        report.errors.extend(header_errors)
        return report
    rows = parse_rows(kind, table.rows, mapped)
    context = ImportContext(viewer=viewer, actor=actor, dry_run=dry_run)
    outcomes: dict[int, RowOutcome] = {}
    with transaction.atomic():
        ordered = kind.prepare(rows, context)
        for row in ordered:
            outcomes[row.number] = _apply_row(kind, row, context)
        failed = any(outcome.errors for outcome in outcomes.values())
        if failed or dry_run:
            transaction.set_rollback(True)
    for row in rows:
        outcome = outcomes.get(row.number) or RowOutcome(row.number, ERROR, row.name, list(row.errors))
        report.outcomes.append(outcome)
        report.errors.extend(outcome.errors)
        if outcome.action == CREATE:
            report.created += 1
        elif outcome.action == UPDATE:
            report.updated += 1
        elif outcome.action == UNCHANGED:
            report.unchanged += 1
    report.errors.sort(key=lambda error: (error.row, error.column))
    return report


def _apply_row(kind: ImportKind, row: ImportRow, context: ImportContext) -> RowOutcome:
    if row.errors:
        return RowOutcome(row.number, ERROR, row.name, list(row.errors))
    savepoint = transaction.savepoint()
    try:
        action = kind.apply(row, context)
    except InvalidInput as error:
        transaction.savepoint_rollback(savepoint)
        for item in error.errors or []:
            row.error(kind.column_for_field(item.field), item.code, str(item.message))
        if not error.errors:
            row.error("", error.code, error.detail)
    except DomainError as error:
        transaction.savepoint_rollback(savepoint)
        row.error("", error.code, error.detail)
    else:
        transaction.savepoint_commit(savepoint)
        return RowOutcome(row.number, action, row.name)
    return RowOutcome(row.number, ERROR, row.name, list(row.errors))


def export_headers(kind: ImportKind, *, localised: bool) -> list[str]:
    return [column.header() if localised else column.name for column in kind.columns()]


def run_export(
    kind: ImportKind, viewer: Viewer, *, filters: Any = None, localised: bool = False
) -> tuple[list[str], Iterator[list[Cell]]]:
    """The header and the rows of everything of this kind the viewer may see (through the kind's selector).

    With `localised` the header holds the labels and enums their labels in the active language, for
    people; without, the API names and codes, for scripts. Both import back unchanged.
    """
    columns = kind.columns()

    def rows() -> Iterator[list[Cell]]:
        for obj in kind.export_objects(viewer, filters):
            values = kind.export_values(obj, viewer)
            yield [column.parser.format(values.get(column.name), localised=localised) for column in columns]

    return export_headers(kind, localised=localised), rows()


def referenced_first(
    rows: list[ImportRow], refers_to: dict[int, int], on_cycle: Callable[[list[int]], None]
) -> list[ImportRow]:
    """The rows in file order, except that a row another row refers to (a parent account, a manager) comes
    before it, so it exists when the other is written. `refers_to` maps row numbers to row numbers;
    `on_cycle` receives the numbers of each circle of references, which no order can satisfy."""
    by_number = {row.number: row for row in rows}
    placed: set[int] = set()
    ordered: list[ImportRow] = []
    for row in rows:
        chain: list[int] = []
        current: int | None = row.number
        while current is not None and current not in placed and current not in chain:
            chain.append(current)
            current = refers_to.get(current)
        if current is not None and current in chain:
            on_cycle(sorted(chain[chain.index(current) :]))
        for number in reversed(chain):
            placed.add(number)
            ordered.append(by_number[number])
    return ordered
