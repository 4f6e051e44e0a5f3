"""Importing and exporting contacts: encodings, labels, reports-to lines, all-or-nothing, re-import, CLI."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from irontriangle.accounts.credit_code import ALPHABET, check_character
from irontriangle.common.access import viewer_of
from irontriangle.common.importing import get_kind, run_export, run_import
from irontriangle.common.tabular import read_table, table_bytes
from irontriangle.relationships.models import BuyingRole, Contact, Stance
from tests.factories import make_account, make_contact

HEADER = ["external_id", "account", "name", "title", "reports_to", "buying_roles", "stance", "intimacy", "is_key"]


def code(seed: int) -> str:
    first = "91310000" + "".join(ALPHABET[(seed * 11 + i) % 30 + 1] for i in range(9))
    return first + check_character(first)


CREDIT = code(5)


@pytest.fixture
def account(org):
    return make_account(org["ar"], name="华润集团", credit_code=CREDIT, segment="ka", tier="s")


def body() -> list[list[str]]:
    """A buyer who reports to a CIO further down the file, the CIO, and a CFO named by labels."""
    return [
        ["C-2", "华润集团", "刘采购", "采购经理", "C-1", "procurement; user", "neutral", "low", "否"],
        ["C-1", CREDIT, "张信息", "CIO", "", "technical_evaluator、decision_maker", "Supporter", "High", "是"],
        ["", "华润集团", "王财务", "CFO", "张信息", "Finance, Economic buyer", "opponent", "medium", "yes"],
    ]


def csv_bytes(rows: list[list], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], header: list[str] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def do_import(user, data: bytes, filename: str = "contacts.csv", *, dry_run: bool = False):
    return run_import(get_kind("contacts"), data, filename, viewer=viewer_of(user), actor=user, dry_run=dry_run)


def error_cells(report) -> set[tuple[int, str, str]]:
    return {(error.row, error.column, error.code) for error in report.errors}


def chinese(label) -> str:
    with translation.override("zh-hans"):
        return str(label)


def test_gbk_csv_with_chinese_headers_and_labels(org, account):
    kind = get_kind("contacts")
    labels = {column.name: column.label for column in kind.columns()}
    header = [chinese(labels[name]) for name in HEADER]
    assert header[:3] == ["外部编号", "客户", "姓名"]
    rows = body()
    # Enum values as the Chinese interface shows them (the label in the active language).
    rows[0][6] = chinese(Stance.NEUTRAL.label)
    rows[1][5] = f"{chinese(BuyingRole.TECHNICAL_EVALUATOR.label)}、{chinese(BuyingRole.DECISION_MAKER.label)}"
    report = do_import(org["ar"], csv_bytes(rows, header=header, encoding="gbk"))
    assert report.applied, report.errors
    assert report.created == 3
    cio = Contact.objects.get(name="张信息")
    assert cio.roles == ["decision_maker", "technical_evaluator"]
    assert (cio.stance, cio.intimacy, cio.is_key, cio.external_id) == ("supporter", "high", True, "C-1")
    buyer = Contact.objects.get(name="刘采购")
    assert buyer.roles == ["user", "procurement"] and buyer.is_key is False
    cfo = Contact.objects.get(name="王财务")
    assert cfo.roles == ["economic_buyer", "finance"] and cfo.stance == "opponent" and cfo.is_key


def test_reports_to_is_resolved_forward_by_external_id_and_name(org, account):
    report = do_import(org["ar"], csv_bytes(body()))
    assert report.applied, report.errors
    cio = Contact.objects.get(external_id="C-1")
    assert Contact.objects.get(external_id="C-2").reports_to == cio
    assert Contact.objects.get(name="王财务").reports_to == cio
    # The manager was applied first though it comes second; the outcomes keep the file order.
    assert [outcome.row for outcome in report.outcomes] == [2, 3, 4]


def test_xlsx_with_numbers_booleans_and_dates(org, account):
    header = [*HEADER, "influence", "status", "status_changed_on", "phone"]
    from datetime import datetime

    rows = [
        [*body()[1], 5, "active", None, "+86 138 0000 0001"],
        ["", "华润集团", "赵前任", "原IT总监", "", "technical_evaluator", "neutral", "low", True, 2, "left",
         datetime(2026, 3, 1), 13900000002],
    ]  # fmt: skip
    report = do_import(org["ar"], xlsx_bytes(rows, header), "contacts.xlsx")
    assert report.applied, report.errors
    cio = Contact.objects.get(external_id="C-1")
    assert cio.influence == 5 and cio.phone == "+86 138 0000 0001"
    left = Contact.objects.get(name="赵前任")
    assert left.status == "left" and left.status_changed_on.isoformat() == "2026-03-01"
    assert left.phone == "13900000002" and left.is_key is True


def test_dry_run_reports_row_and_column_errors_and_changes_nothing(org, account):
    rows = body()
    rows[0][6] = "hostile"  # stance
    rows[1][5] = "decision_maker, astrologer"  # an unknown role
    rows[2][4] = "无此人"  # reports to nobody known
    rows.append(["", "不存在的客户", "某人", "", "", "", "", "", ""])
    rows.append(["", "华润集团", "", "", "", "", "", "", ""])  # no name
    report = do_import(org["ar"], csv_bytes(rows), dry_run=True)
    assert not report.ok and not report.applied
    assert {
        (2, "stance", "invalid_choice"),
        (3, "buying_roles", "invalid_choice"),
        (4, "reports_to", "unknown_contact"),
        (5, "account", "unknown_account"),
        (6, "name", "required"),
    } <= error_cells(report)
    assert not Contact.objects.exists()
    assert str(report.errors[0]).startswith("row 2, column stance:")


def test_a_clean_dry_run_counts_and_changes_nothing(org, account):
    report = do_import(org["ar"], csv_bytes(body()), dry_run=True)
    assert report.ok and not report.applied and report.created == 3
    assert not Contact.objects.exists()


def test_one_bad_row_and_nothing_is_imported(org, account):
    rows = body()
    rows.append(["", "华润集团", "坏邮箱", "", "", "", "", "", ""])
    header = [*HEADER, "email", "influence"]
    rows = [[*row, "", ""] for row in rows]
    rows[-1][-2] = "not-an-email"
    rows[0][-1] = "9"
    report = do_import(org["ar"], csv_bytes(rows, header=header))
    assert not report.applied
    assert {(2, "influence", "out_of_range"), (5, "email", "invalid")} <= error_cells(report)
    outcomes = {outcome.row: outcome.action for outcome in report.outcomes}
    assert outcomes[3] == "create" and outcomes[2] == "error"
    assert not Contact.objects.exists()


def test_the_same_file_twice_creates_each_contact_once(org, account):
    assert do_import(org["ar"], csv_bytes(body())).applied
    versions = dict(Contact.objects.values_list("name", "version"))
    again = do_import(org["ar"], csv_bytes(body()))
    assert again.applied and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Contact.objects.count() == 3
    assert dict(Contact.objects.values_list("name", "version")) == versions

    rows = body()
    rows[2][6] = "neutral"  # the CFO (matched by account and name) warms up
    third = do_import(org["ar"], csv_bytes(rows))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    assert Contact.objects.get(name="王财务").stance == "neutral"


def test_an_existing_contact_is_matched_by_name_and_gets_its_external_id(org, account):
    existing = make_contact(account, name="张信息", title="信息中心主任")
    report = do_import(org["ar"], csv_bytes(body()))
    assert report.applied and report.created == 2 and report.updated == 1
    existing.refresh_from_db()
    assert existing.external_id == "C-1" and existing.title == "CIO"


def test_duplicates_in_the_file_and_reporting_circles(org, account):
    rows = body()
    rows.append(["C-1", "华润集团", "张信息二", "", "", "", "", "", ""])
    rows.append(["", "华润集团", "王财务", "", "", "", "", "", ""])
    rows.append(["", "华润集团", "甲", "", "乙", "", "", "", ""])
    rows.append(["", "华润集团", "乙", "", "甲", "", "", "", ""])
    report = do_import(org["ar"], csv_bytes(rows))
    assert {
        (5, "external_id", "duplicate_in_file"),
        (6, "name", "duplicate_in_file"),
        (7, "reports_to", "cycle"),
        (8, "reports_to", "cycle"),
    } <= error_cells(report)
    assert not Contact.objects.exists()


def test_a_row_for_an_account_the_user_cannot_edit_is_an_error(org, account, reader):
    make_account(org["outsider"], name="北京银行")
    rows = [["", "北京银行", "行长", "", "", "", "", "", ""]]
    # The Shanghai AR does not see the Beijing bank at all; the reader sees it and may not change it.
    assert error_cells(do_import(org["ar"], csv_bytes(rows))) == {(2, "account", "unknown_account")}
    assert error_cells(do_import(reader, csv_bytes(rows))) == {(2, "account", "not_editable")}
    assert error_cells(do_import(reader, csv_bytes(body()[1:2]))) == {(2, "account", "not_editable")}
    assert not Contact.objects.exists()


def test_a_team_member_imports_and_an_external_id_of_another_account_is_refused(org, team_account, account):
    report = do_import(org["sr"], csv_bytes([["C-9", "中国移动上海公司", "周总", "", "", "", "", "", ""]]))
    assert report.applied, report.errors
    moved = [["C-9", "华润集团", "周总", "", "", "", "", "", ""]]
    assert error_cells(do_import(org["ar"], csv_bytes(moved))) == {(2, "external_id", "other_account")}


def test_export_reimports_unchanged_in_codes_and_labels(org, account):
    assert do_import(org["ar"], csv_bytes(body())).applied
    cio = Contact.objects.get(external_id="C-1")
    Contact.objects.filter(pk=cio.pk).update(phone="+86 10 8888 0000")
    for localised in (False, True):
        headers, rows = run_export(get_kind("contacts"), viewer_of(org["ar"]), localised=localised)
        rows = list(rows)
        assert len(rows) == 3
        for fmt in ("csv", "xlsx"):
            report = do_import(org["ar"], table_bytes(fmt, headers, rows), f"export.{fmt}")
            assert report.ok and report.unchanged == 3 and report.created == 0, (fmt, localised, report.errors)
    assert Contact.objects.get(pk=cio.pk).phone == "+86 10 8888 0000"


def test_export_shows_only_visible_contacts(org, account):
    make_contact(account, name="张信息")
    make_contact(make_account(org["outsider"], name="北京银行"), name="行长")
    headers, rows = run_export(get_kind("contacts"), viewer_of(org["ar"]))
    rows = list(rows)
    assert [row[headers.index("name")] for row in rows] == ["张信息"]
    assert rows[0][headers.index("account")] == CREDIT


# --- the command line ------------------------------------------------------------------------------


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_cli_import_contacts_exit_statuses(org, account, tmp_path):
    bad = tmp_path / "bad.csv"
    rows = body()
    rows[1][7] = "extreme"
    bad.write_bytes(csv_bytes(rows, encoding="gbk"))
    status, out, err = run_cli("import", "contacts", str(bad), "--as", "ar")
    assert status == 1 and "row 3, column intimacy:" in err and "nothing was imported" in out
    assert run_cli("import", "contacts", str(bad), "--dry-run", "--as", "ar")[0] == 1

    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(body(), encoding="gbk"))
    status, out, _err = run_cli("import", "contacts", str(good), "--dry-run", "--as", "ar")
    assert status == 0 and "3 to create" in out and not Contact.objects.exists()
    status, out, _err = run_cli("import", "contacts", str(good), "--as", "ar")
    assert status == 0 and "3 created" in out and Contact.objects.count() == 3
    status, out, _err = run_cli("import", "contacts", str(good), "--as", "ar")
    assert status == 0 and "3 unchanged" in out and Contact.objects.count() == 3

    assert run_cli("import", "contacts", str(good), "--as", "ghost")[0] == 2
    assert run_cli("import", "contacts", str(tmp_path / "missing.csv"), "--as", "ar")[0] == 2

    target = tmp_path / "out.xlsx"
    status, out, _err = run_cli("export", "contacts", str(target), "--as", "ar")
    assert status == 0
    table = read_table(target.read_bytes(), target.name)
    assert len(table.rows) == 3 and table.headers[:3] == ["external_id", "account", "name"]
