"""Load the demo data set through the services, once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from irontriangle.accounts.models import Account
from irontriangle.accounts.services import account_create, team_member_add
from irontriangle.common.access import viewer_of
from irontriangle.demo import data
from irontriangle.org.models import OrgUnit, User
from irontriangle.org.services import unit_create, user_create


@dataclass
class Login:
    username: str
    password: str
    who: str


def demo_logins() -> list[Login]:
    return [Login(username, data.DEMO_PASSWORD, f"{name}: {who}") for username, name, *_rest, who in data.USERS]


def is_loaded() -> bool:
    return OrgUnit.objects.filter(code="hq").exists() and User.objects.filter(username="ar").exists()


def is_empty() -> bool:
    return not (OrgUnit.objects.exists() or Account.all_objects.exists() or User.objects.exists())


@transaction.atomic
def load_demo() -> None:
    for code, name, name_en, segment, parent in data.UNITS:
        unit_create(code=code, name=name, name_en=name_en, segment=segment, parent_code=parent)
    users: dict[str, User] = {}
    for username, display_name, units, managed, admin, _who in data.USERS:
        users[username] = user_create(
            username=username,
            password=data.DEMO_PASSWORD,
            display_name=display_name,
            email=f"{username}@demo.irontriangle.invalid",
            is_admin=admin,
            unit_codes=units,
            manager_of=managed,
        )
    accounts: dict[str, Account] = {}
    for key, name, legal_name, parent, owner, unit, fields in data.ACCOUNTS:
        actor = users[owner]
        accounts[key] = account_create(
            viewer=viewer_of(actor),
            actor=actor,
            data={
                **fields,
                "name": name,
                "legal_name": legal_name,
                "parent_id": accounts[parent].pk if parent else None,
                "owner_unit_code": unit,
                "owner_id": actor.pk,
            },
        )
    for key, username, role, primary in data.TEAMS:
        account = accounts[key]
        account_owner = users[account.owner.username]  # type: ignore[union-attr]
        team_member_add(
            viewer=viewer_of(account_owner),
            actor=account_owner,
            account=account,
            user_id=users[username].pk,
            role=role,
            is_primary=primary,
        )
