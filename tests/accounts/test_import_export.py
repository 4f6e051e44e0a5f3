"""Importing and exporting accounts: encodings, all-or-nothing, re-import, parents, access, CLI and web."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from irontriangle.accounts.credit_code import ALPHABET, check_character
from irontriangle.accounts.models import Account
from irontriangle.common.access import viewer_of
from irontriangle.common.importing import get_kind, run_export, run_import
from irontriangle.common.tabular import read_table, table_bytes
from tests.factories import make_account

HEADER = ["name", "credit_code", "region", "segment", "tier", "annual_revenue", "on_vendor_list", "parent"]


def code(seed: int) -> str:
    first = "91310000" + "".join(ALPHABET[(seed * 7 + i) % 30 + 1] for i in range(9))
    return first + check_character(first)


GROUP, EAST, SUZHOU = code(1), code(2), code(3)


def rows(**overrides: list[str]) -> list[list[str]]:
    """A group, a province company and a city company; the city row comes first and names its parent below."""
    data = {
        "suzhou": ["苏州分公司", SUZHOU, "华东", "ka", "b", "1,000,000", "否", EAST],
        "group": ["华润集团", GROUP, "全国", "KA", "S · strategic", "120000000000", "是", ""],
        "east": ["华润华东", EAST, "华东", "大客户（KA）", "A", "", "no", GROUP],
    }
    data.update(overrides)
    return list(data.values())


def csv_bytes(
    body: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(body)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(body: list[list], header: list[str] = HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in [header, *body]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def do_import(user, data: bytes, filename: str = "accounts.csv", *, dry_run: bool = False):
    return run_import(get_kind("accounts"), data, filename, viewer=viewer_of(user), actor=user, dry_run=dry_run)


def error_cells(report) -> set[tuple[int, str, str]]:
    return {(error.row, error.column, error.code) for error in report.errors}


def test_gbk_file_with_a_bad_row_changes_nothing_and_names_row_and_column(org):
    body = rows(east=["华润华东", EAST, "华东", "ka", "Z", "", "no", GROUP])
    body.append(["坏代码客户", "91310000ABCDEFGHIJ", "华东", "smb", "", "", "", ""])
    report = do_import(org["ar"], csv_bytes(body, encoding="gbk"))
    assert not report.ok and not report.applied
    assert ("tier", "invalid_choice") in {(e.column, e.code) for e in report.errors if e.row == 4}
    assert any(e.row == 5 and e.column == "credit_code" for e in report.errors)
    assert Account.objects.count() == 0
    outcome = {o.row: o.action for o in report.outcomes}
    assert outcome[4] == "error" and outcome[5] == "error" and outcome[3] == "create"


def test_the_fixed_file_imported_twice_creates_each_account_once(org):
    data = csv_bytes(rows(), encoding="gbk")
    first = do_import(org["ar"], data)
    assert first.ok and first.applied, first.errors
    assert (first.rows, first.created, first.updated, first.unchanged) == (3, 3, 0, 0)
    second = do_import(org["ar"], data)
    assert second.ok and (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert Account.objects.count() == 3
    suzhou = Account.objects.get(credit_code=SUZHOU)
    assert suzhou.parent.credit_code == EAST and suzhou.parent.parent.credit_code == GROUP
    assert suzhou.owner == org["ar"] and suzhou.owner_unit.code == "ka-sh"
    group = Account.objects.get(credit_code=GROUP)
    assert (group.segment, group.tier, group.on_vendor_list, str(group.annual_revenue)) == (
        "ka",
        "s",
        True,
        "120000000000.00",
    )
    changed = rows(group=["华润集团", GROUP, "华北", "ka", "s", "120000000000", "yes", ""])
    third = do_import(org["ar"], csv_bytes(changed))
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    assert Account.objects.get(credit_code=GROUP).region == "华北"


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("gb18030", ","), ("utf-8-sig", ";"), ("utf-8", "\t"), ("gbk", ",")]
)
def test_csv_encodings_and_delimiters(org, encoding, delimiter):
    body = rows(group=["𠀀华润集团" if encoding == "gb18030" else "华润集团", GROUP, "全国", "ka", "s", "", "", ""])
    report = do_import(org["ar"], csv_bytes(body, encoding=encoding, delimiter=delimiter))
    assert report.applied, report.errors
    assert Account.objects.get(credit_code=GROUP).name.endswith("华润集团")


def test_xlsx_with_numbers_and_booleans_as_the_spreadsheet_stores_them(org):
    body = [
        ["华润集团", GROUP, "全国", "ka", "s", 120000000000, True, None],
        ["华润华东", EAST, "华东", "ka", "a", 12.5, False, GROUP],
    ]
    report = do_import(org["ar"], xlsx_bytes(body), "accounts.xlsx")
    assert report.applied, report.errors
    east = Account.objects.get(credit_code=EAST)
    assert str(east.annual_revenue) == "12.50" and east.on_vendor_list is False and east.parent.credit_code == GROUP


def test_chinese_headers_and_labels(org):
    header = ["名称", "统一社会信用代码", "区域", "客户类型", "客户级别", "年营业收入", "已入围供应商名录", "上级客户"]
    report = do_import(org["ar"], csv_bytes(rows(), header=header, encoding="gbk"))
    assert report.applied, report.errors
    assert Account.objects.get(credit_code=EAST).tier == "a"


def test_parent_cycle_and_unknown_parent_are_errors_on_the_parent_column(org):
    body = [
        ["甲", GROUP, "", "ka", "", "", "", EAST],
        ["乙", EAST, "", "ka", "", "", "", GROUP],
        ["丙", SUZHOU, "", "ka", "", "", "", "91999999NOSUCHCODE"],
    ]
    report = do_import(org["ar"], csv_bytes(body))
    assert {(2, "parent", "cycle"), (3, "parent", "cycle"), (4, "parent", "unknown_parent")} <= error_cells(report)
    assert Account.objects.count() == 0


def test_the_same_key_twice_in_one_file_is_an_error_on_the_second_row(org):
    body = [*rows(), ["重复", GROUP.lower(), "", "", "", "", "", ""]]
    report = do_import(org["ar"], csv_bytes(body))
    assert (5, "credit_code", "duplicate_in_file") in error_cells(report)
    assert Account.objects.count() == 0


def test_unknown_and_missing_columns(org):
    report = do_import(org["ar"], csv_bytes([["x", "1"]], header=["credit_code", "colour"]))
    assert error_cells(report) == {(1, "colour", "unknown_column"), (1, "name", "missing_column")}


def test_unknown_owner_and_unit_name_their_columns(org):
    header = ["name", "owner_unit_code", "owner"]
    report = do_import(org["manager"], csv_bytes([["甲", "nope", "manager"], ["乙", "ka-sh", "ghost"]], header=header))
    assert {(2, "owner_unit_code", "unknown_unit"), (3, "owner", "unknown_user")} <= error_cells(report)


def test_dry_run_reports_what_would_happen_and_changes_nothing(org):
    report = do_import(org["ar"], csv_bytes(rows()), dry_run=True)
    assert report.ok and not report.applied and report.created == 3
    assert [outcome.action for outcome in report.outcomes] == ["create", "create", "create"]
    assert Account.objects.count() == 0


def test_an_account_of_another_unit_is_never_updated(org):
    theirs = make_account(org["outsider"], name="北京银行", credit_code=GROUP)
    report = do_import(org["ar"], csv_bytes([["北京银行（改）", GROUP, "", "", "", "", "", ""]]))
    assert error_cells(report) == {(2, "credit_code", "owned_elsewhere")}
    theirs.refresh_from_db()
    assert theirs.name == "北京银行" and theirs.version == 1


def test_managers_update_accounts_of_their_units(org):
    make_account(org["ar"], name="上海银行", credit_code=GROUP)
    report = do_import(org["manager"], csv_bytes([["上海银行", GROUP, "华东", "", "", "", "", ""]]))
    assert report.applied and report.updated == 1


def export_rows(user, *, localised: bool = False) -> tuple[list[str], list[list]]:
    headers, body = run_export(get_kind("accounts"), viewer_of(user), localised=localised)
    return headers, list(body)


def test_export_contains_only_what_the_user_can_see(org, team_account):
    make_account(org["outsider"], name="北京银行")
    for user, expected in [
        (org["sr"], {"中国移动上海公司"}),  # on the account team
        (org["manager"], {"中国移动上海公司"}),
        (org["outsider"], {"北京银行"}),
        (org["admin"], {"中国移动上海公司", "北京银行"}),
    ]:
        headers, body = export_rows(user)
        assert {row[headers.index("name")] for row in body} == expected, user


def test_export_reimports_cleanly(org):
    assert do_import(org["ar"], csv_bytes(rows())).applied
    make_account(org["ar"], name="无代码客户")  # no key to match it by: its row would create a copy
    names = [column.name for column in get_kind("accounts").columns()]
    keyed = names.index("credit_code")
    for localised in (False, True):  # API names and codes, or the labels people read
        headers, body = export_rows(org["ar"], localised=localised)
        assert len(headers) == len(names)
        body = [row for row in body if row[keyed]]
        for fmt in ("csv", "xlsx"):
            report = do_import(org["ar"], table_bytes(fmt, headers, body), f"export.{fmt}")
            assert report.ok and report.unchanged == 3 and report.created == 0, (fmt, localised, report.errors)


def test_export_neutralises_formulas(org, tmp_path):
    for index, name in enumerate(["=cmd|' /C calc'!A0", "+1", "-1", "@x"]):
        make_account(org["ar"], name=name, region='=HYPERLINK("http://x")', credit_code=code(10 + index))
    for suffix in ("csv", "xlsx"):
        target = tmp_path / f"accounts.{suffix}"
        call_command("export", "accounts", str(target), "--as", "ar", stdout=io.StringIO())
        table = read_table(target.read_bytes(), target.name)
        names = {row.cells[table.headers.index("name")] for row in table.rows}
        assert names == {"'=cmd|' /C calc'!A0", "'+1", "'-1", "'@x"}
        assert {row.cells[table.headers.index("region")] for row in table.rows} == {'\'=HYPERLINK("http://x")'}
    workbook = openpyxl.load_workbook(tmp_path / "accounts.xlsx")
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


# --- the command line ------------------------------------------------------------------------------


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as error:
        err.write(str(error))
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_cli_import_exit_statuses(org, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(rows(east=["华润华东", EAST, "", "ka", "Z", "", "", GROUP]), encoding="gbk"))
    status, out, err = run_cli("import", "accounts", str(bad), "--as", "ar")
    assert status == 1 and "row 4, column tier:" in err and "nothing was imported" in out
    assert Account.objects.count() == 0

    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(rows(), encoding="gbk"))
    status, out, _err = run_cli("import", "accounts", str(good), "--dry-run", "--as", "ar")
    assert status == 0 and "3 to create" in out and Account.objects.count() == 0
    status, out, _err = run_cli("import", "accounts", str(bad), "--dry-run", "--as", "ar")
    assert status == 1

    status, out, _err = run_cli("import", "accounts", str(good), "--as", "ar")
    assert status == 0 and "3 created" in out and Account.objects.count() == 3
    status, out, _err = run_cli("import", "accounts", str(good), "--as", "ar")
    assert status == 0 and "3 unchanged" in out and Account.objects.count() == 3


def test_cli_defaults_to_the_first_administrator(org, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(rows()))
    # The administrator belongs to no unit: the owner unit has to be named.
    status, _out, err = run_cli("import", "accounts", str(good))
    assert status == 1 and "column owner_unit_code" in err
    named = tmp_path / "named.csv"
    named.write_bytes(csv_bytes([[*row, "ka-north"] for row in rows()], header=[*HEADER, "owner_unit_code"]))
    assert run_cli("import", "accounts", str(named))[0] == 0
    assert set(Account.objects.values_list("owner_unit__code", "owner__username")) == {("ka-north", "admin")}


def test_cli_unknown_kind_file_user_and_extension(org, tmp_path):
    good = tmp_path / "good.csv"
    good.write_bytes(csv_bytes(rows()))
    status, _out, err = run_cli("import", "nonsense", str(good))
    assert status == 2 and "available kinds: accounts" in err
    assert run_cli("export", "nonsense", str(tmp_path / "x.csv"))[0] == 2
    assert run_cli("import", "accounts", str(tmp_path / "missing.csv"))[0] == 2
    assert run_cli("import", "accounts", str(good), "--as", "ghost")[0] == 2
    status, _out, err = run_cli("export", "accounts", str(tmp_path / "x.pdf"))
    assert status == 2 and ".csv or .xlsx" in err and not (tmp_path / "x.pdf").exists()


def test_cli_export_writes_what_the_user_sees(org, team_account, tmp_path):
    make_account(org["outsider"], name="北京银行")
    target = tmp_path / "out.csv"
    status, out, _err = run_cli("export", "accounts", str(target), "--as", "sr")
    assert status == 0 and "1 rows" in out
    table = read_table(target.read_bytes(), "out.csv")
    assert table.headers[0] == "name" and [row.cells[0] for row in table.rows] == ["中国移动上海公司"]


# --- the web pages -------------------------------------------------------------------------------------


def test_web_import_preview_then_apply(client, org, settings):
    client.force_login(org["ar"])
    assert client.get("/accounts/import/").status_code == 200
    upload = io.BytesIO(csv_bytes(rows(), encoding="gbk"))
    upload.name = "accounts.csv"
    page = client.post("/accounts/import/", {"file": upload})
    body = page.content.decode()
    assert page.status_code == 200 and Account.objects.count() == 0
    assert body.count('data-action="create"') == 3
    token = re.search(r'name="token" value="([^"]+)"', body)[1]
    stored = list((settings.DATA_DIR / "imports").iterdir())
    assert len(stored) == 1

    # Another person cannot apply someone else's upload.
    client.force_login(org["sr"])
    response = client.post("/accounts/import/apply/", {"token": token}, follow=True)
    assert Account.objects.count() == 0

    client.force_login(org["ar"])
    response = client.post("/accounts/import/apply/", {"token": token})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert Account.objects.count() == 3
    assert not [path for path in stored if path.exists()]
    assert "3 created" in client.get("/accounts/").content.decode()
    # The token is spent with its file: a second apply changes nothing.
    client.post("/accounts/import/apply/", {"token": token})
    assert Account.objects.count() == 3


def test_web_import_preview_shows_errors_and_offers_no_apply(client, org):
    client.force_login(org["ar"])
    upload = io.BytesIO(csv_bytes(rows(east=["华润华东", EAST, "", "ka", "Z", "", "", GROUP]), encoding="gbk"))
    upload.name = "accounts.csv"
    body = client.post("/accounts/import/", {"file": upload}).content.decode()
    assert 'data-action="error"' in body and "Unknown value" in body and 'name="token"' not in body
    assert "Apply import" not in body


def test_web_export_csv_and_xlsx(client, org, team_account):
    make_account(org["outsider"], name="北京银行")
    make_account(org["ar"], name="浦发银行", segment="smb")
    client.force_login(org["ar"])
    response = client.get("/accounts/export.csv")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    table = read_table(data, "a.csv")
    assert {row.cells[0] for row in table.rows} == {"中国移动上海公司", "浦发银行"}
    assert table.headers[0] == "Name"
    response = client.get("/accounts/export.xlsx", {"segment": "ka"})
    table = read_table(b"".join(response.streaming_content), "a.xlsx")
    assert [row.cells[0] for row in table.rows] == ["中国移动上海公司"]
    client.force_login(org["outsider"])
    table = read_table(b"".join(client.get("/accounts/export.csv").streaming_content), "a.csv")
    assert [row.cells[0] for row in table.rows] == ["北京银行"]


def test_external_ids_match_before_credit_codes_and_name_parents(org):
    header = ["external_id", "name", "credit_code", "parent"]
    first = [["CRM-2", "华润华东", EAST, "CRM-1"], ["CRM-1", "华润集团", "", ""]]
    report = do_import(org["ar"], csv_bytes(first, header=header))
    assert report.applied and report.created == 2, report.errors
    # The credit code arrives later: the external ID still finds the same account.
    second = [["CRM-1", "华润集团", GROUP, ""], ["CRM-2", "华润华东", EAST, "CRM-1"]]
    report = do_import(org["ar"], csv_bytes(second, header=header))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Account.objects.get(external_id="CRM-2").parent.credit_code == GROUP
    theirs = make_account(org["outsider"], name="北京银行", external_id="CRM-9")
    report = do_import(org["ar"], csv_bytes([["CRM-9", "北京银行", "", ""]], header=header))
    assert error_cells(report) == {(2, "external_id", "owned_elsewhere")}
    assert Account.objects.get(pk=theirs.pk).version == 1
