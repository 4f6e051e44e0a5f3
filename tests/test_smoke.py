from tests.conftest import api_as
from tests.factories import make_account


def test_owner_reads_outsider_does_not(org):
    account = make_account(org["ar"], name="中国电信集团")
    owner = api_as(org["ar"])
    response = owner.get(f"/accounts/{account.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["name"] == "中国电信集团"
    assert api_as(org["outsider"]).get(f"/accounts/{account.pk}").status_code == 404
    assert api_as(org["manager"]).get(f"/accounts/{account.pk}").status_code == 200
