"""Load the demo data set through the services, once."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from irontriangle.accounts.models import Account
from irontriangle.accounts.services import (
    account_confirm_segment,
    account_create,
    customer_info_create,
    driver_create,
    ownership_request_create,
    ownership_request_decide,
    team_member_add,
)
from irontriangle.accounts.services.intelligence import DRIVER_FIELDS, INFO_FIELDS
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
    """Everything is made as people would make it, by the person who would make it, so that history,
    events and derived fields (matrix class, KA rule, tree path) are exactly what the product makes."""
    for code, name, name_en, segment, parent in data.UNITS:
        unit_create(code=code, name=name, name_en=name_en, segment=segment, parent_code=parent)
    users = _users()
    accounts = _accounts(users)
    _teams(users, accounts)
    _intelligence(users, accounts)
    for key, username, segment, reason in data.SEGMENT_DECISIONS:
        person = users[username]
        account_confirm_segment(
            viewer=viewer_of(person), actor=person, account=accounts[key], segment=segment, reason=reason
        )
    _ownership(users, accounts)


def _users() -> dict[str, User]:
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
    return users


def _accounts(users: dict[str, User]) -> dict[str, Account]:
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
    return accounts


def _owner(users: dict[str, User], account: Account) -> User:
    assert account.owner is not None
    return users[account.owner.username]


def _teams(users: dict[str, User], accounts: dict[str, Account]) -> None:
    for entry in data.TEAMS:
        account = accounts[entry.account]
        owner = _owner(users, account)
        team_member_add(
            viewer=viewer_of(owner),
            actor=owner,
            account=account,
            user_id=users[entry.username].pk,
            role=entry.role,
            is_primary=entry.primary,
            started_on=entry.since,
        )


def _intelligence(users: dict[str, User], accounts: dict[str, Account]) -> None:
    kinds = ((data.DRIVERS, driver_create, DRIVER_FIELDS), (data.INFORMATION, customer_info_create, INFO_FIELDS))
    for records, create, fields in kinds:
        for record in records:
            account = accounts[record.account]
            owner = _owner(users, account)
            create(
                viewer=viewer_of(owner),
                actor=owner,
                account=account,
                data={name: getattr(record, name) for name in fields},
            )


def _ownership(users: dict[str, User], accounts: dict[str, Account]) -> None:
    middle_office = users["ops"]
    for item in data.OWNERSHIP:
        person = users[item.requested_by]
        request = ownership_request_create(
            viewer=viewer_of(person),
            actor=person,
            account_id=accounts[item.account].pk,
            unit_code=item.unit,
            reason=item.reason,
            new_owner_id=users[item.new_owner].pk if item.new_owner else None,
        )
        if item.approve is not None:
            ownership_request_decide(
                viewer=viewer_of(middle_office),
                actor=middle_office,
                request=request,
                approve=item.approve,
                reason=item.decision,
            )
