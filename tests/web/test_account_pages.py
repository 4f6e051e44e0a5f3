"""Account pages through the Django test client: visibility, create, stale edits, query budgets."""

from __future__ import annotations

from irontriangle.accounts.models import Account
from irontriangle.common.access import viewer_of
from irontriangle.common.history import history_of
from tests.factories import make_account


def form_data(**fields):
    data = {
        "name": "",
        "segment": "smb",
        "lifecycle_stage": "exploring",
        "strategic_fit": "neutral",
        "currency": "CNY",
    }
    data.update(fields)
    return data


def edit_data(client, account, **changes):
    """What a browser posts back from the edit page: every field as shown, with the person's changes."""
    initial = client.get(f"/accounts/{account.pk}/edit/").context["form"].initial
    data = {name: ("" if value is None else value) for name, value in initial.items()}
    for name in ("on_vendor_list", "cash_flow_customer"):
        if not data.pop(name):
            continue
        data[name] = "on"
    data.update(changes)
    return data


def test_every_page_needs_sign_in(client, org):
    account = make_account(org["ar"])
    for url in ["/", "/accounts/", f"/accounts/{account.pk}/", "/accounts/new/", "/notifications/", "/trash/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url


def test_list_shows_only_visible_accounts(client, org):
    make_account(org["ar"], name="上海电信")
    make_account(org["outsider"], name="北京银行")
    client.force_login(org["ar"])
    page = client.get("/accounts/").content.decode()
    assert "上海电信" in page and "北京银行" not in page
    client.force_login(org["manager"])  # manages the unit above the owner's
    assert "上海电信" in client.get("/accounts/").content.decode()


def test_live_search_answers_with_the_results_only(client, org):
    make_account(org["ar"], name="上海电信")
    make_account(org["ar"], name="浦发银行")
    client.force_login(org["ar"])
    response = client.get("/accounts/", {"q": "电信"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "上海电信" in body and "浦发银行" not in body
    assert '<nav class="navbar' not in body  # a fragment, not the page
    assert "HX-Request" in response["Vary"]


def test_list_pages_with_the_next_cursor(client, org):
    for n in range(55):
        make_account(org["ar"], name=f"客户{n:03d}")
    client.force_login(org["ar"])
    first = client.get("/accounts/")
    cursor = first.context["page"].next_cursor
    assert cursor and len(first.context["page"].items) == 50
    second = client.get("/accounts/", {"cursor": cursor})
    assert [a.name for a in second.context["page"].items] == [f"客户{n:03d}" for n in range(50, 55)]
    # A cursor that was tampered with starts again at the first page instead of failing.
    assert client.get("/accounts/", {"cursor": "garbage"}).status_code == 200


def test_detail_of_an_invisible_account_is_404(client, org):
    account = make_account(org["ar"], name="上海电信")
    client.force_login(org["outsider"])
    assert client.get(f"/accounts/{account.pk}/").status_code == 404
    assert client.get(f"/accounts/{account.pk}/edit/").status_code == 404
    assert client.post(f"/accounts/{account.pk}/delete/").status_code == 404
    assert client.get("/accounts/99999999999999999999999/").status_code == 404
    page = client.get(f"/accounts/{account.pk}/").content.decode()
    assert "This page does not exist, or you do not have access to it." in page and "上海电信" not in page
    assert Account.objects.filter(pk=account.pk).exists()


def test_create_calls_the_service(client, org):
    client.force_login(org["ar"])
    response = client.post(
        "/accounts/new/",
        form_data(name="中国移动上海公司", segment="ka", tier="s", region="上海", annual_revenue="1000"),
    )
    account = Account.objects.get(name="中国移动上海公司")
    assert response.status_code == 302 and response["Location"] == f"/accounts/{account.pk}/"
    assert (account.segment, account.tier, account.owner, account.owner_unit.code) == ("ka", "s", org["ar"], "ka-sh")
    assert history_of(account, viewer_of(org["ar"]))[0].kind == "created"
    assert account.team_members.filter(user=org["ar"], role="ar").exists()


def test_service_errors_show_next_to_their_fields(client, org):
    make_account(org["ar"], name="已有客户", credit_code="91350100M000100Y43")
    client.force_login(org["ar"])
    response = client.post("/accounts/new/", form_data(name="重复", credit_code="91350100M000100Y43"))
    assert response.status_code == 200
    assert "Another account already has this credit code." in response.context["form"].errors["credit_code"][0]
    response = client.post("/accounts/new/", form_data(name="外部门", owner_unit_code="ka-north"))
    assert "owner_unit_code" in response.context["form"].errors


def test_stale_version_on_edit_shows_the_conflict(client, org):
    account = make_account(org["ar"], name="上海电信")
    client.force_login(org["ar"])
    mine = edit_data(client, account, region="华北")
    first = client.post(f"/accounts/{account.pk}/edit/", edit_data(client, account, region="华东"))
    assert first.status_code == 302
    stale = client.post(f"/accounts/{account.pk}/edit/", mine)
    assert stale.status_code == 409
    assert b'data-testid="version-conflict"' in stale.content
    account.refresh_from_db()
    assert account.region == "华东"


def test_edit_sends_only_what_changed(client, org):
    """A team member from another unit edits without being refused for the owner unit they did not touch."""
    account = make_account(org["ar"], name="上海电信")
    from irontriangle.accounts.services import team_member_add

    team_member_add(
        viewer=viewer_of(org["ar"]), actor=org["ar"], account=account, user_id=org["outsider"].pk, role="fr"
    )
    client.force_login(org["outsider"])
    assert client.post(f"/accounts/{account.pk}/edit/", edit_data(client, account, industry="通信")).status_code == 302
    account.refresh_from_db()
    assert account.industry == "通信" and account.owner_unit.code == "ka-sh"


def test_delete_moves_to_the_trash(client, org):
    account = make_account(org["ar"], name="上海电信")
    client.force_login(org["sr"])  # sees nothing of it
    assert client.post(f"/accounts/{account.pk}/delete/").status_code == 404
    client.force_login(org["ar"])
    assert client.get(f"/accounts/{account.pk}/delete/").status_code == 405
    assert client.post(f"/accounts/{account.pk}/delete/").status_code == 302
    assert Account.all_objects.get(pk=account.pk).deleted_at is not None


def test_team_add_and_remove(client, org):
    account = make_account(org["ar"], name="上海电信")
    client.force_login(org["ar"])
    response = client.post(f"/accounts/{account.pk}/team/", {"user_id": org["sr"].pk, "role": "sr", "is_primary": "on"})
    assert response.status_code == 302
    member = account.team_members.get(user=org["sr"])
    detail = client.get(f"/accounts/{account.pk}/").content.decode()
    assert "李娜" in detail
    client.post(f"/accounts/{account.pk}/team/{member.pk}/remove/")
    member.refresh_from_db()
    assert member.ended_on is not None


def test_history_names_references(client, org):
    account = make_account(org["ar"], name="上海电信")
    client.force_login(org["ar"])
    client.post(f"/accounts/{account.pk}/edit/", edit_data(client, account, owner_id=org["sr"].pk, tier="a"))
    history = client.get(f"/accounts/{account.pk}/").context["history"]
    changes = {change.field: (change.old, change.new) for change in history[0].changes}
    assert changes["owner"] == ("王磊", "李娜")
    assert changes["tier"] == ("", "A · partner")


def test_query_counts_do_not_grow_with_rows(client, org, django_assert_max_num_queries):
    parent = make_account(org["ar"], name="集团")
    for n in range(30):
        make_account(org["ar"], name=f"子公司{n}", parent_id=parent.pk)
    client.force_login(org["ar"])
    with django_assert_max_num_queries(9):
        assert client.get("/accounts/").status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get("/accounts/", {"q": "子公司", "segment": "smb"}).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(f"/accounts/{parent.pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200
