from irontriangle.common.access import viewer_of
from irontriangle.common.history import history_of
from tests.factories import make_account, update_account


def test_limited_history_keeps_the_diff_of_its_oldest_entry(org):
    ar = org["ar"]
    account = make_account(ar, name="历史客户")
    for region in ("北京", "上海", "广州", "深圳"):
        account = update_account(account, ar, region=region)
    full = history_of(account, viewer_of(ar))
    limited = history_of(account, viewer_of(ar), limit=2)
    assert len(full) == 5
    assert [entry.changes for entry in limited] == [entry.changes for entry in full[:2]]
    assert [(c.old, c.new) for c in limited[-1].changes if c.field == "region"] == [("上海", "广州")]
