"""Load the demo data set through the services, once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

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
from irontriangle.relationships.cadence import TREND_WEEKS, week_start
from irontriangle.relationships.models import Contact
from irontriangle.relationships.services import (
    contact_create,
    contact_owner_add,
    contact_update,
    evaluation_save,
    interaction_create,
    org_activity_create,
    plan_action_add,
    plan_create,
)


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
    _relationships(users)


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


# --- relationships ----------------------------------------------------------------------------------


def _relationships(users: dict[str, User]) -> None:
    """Contacts and their owners, plans, visits, organisational activities and an evaluation, each made
    by a person who works on the account. Ownership has moved by now, so accounts are read afresh."""
    keys = {name: key for key, name, *_rest in data.ACCOUNTS}
    accounts = {keys[account.name]: account for account in Account.objects.select_related("owner_unit", "owner")}
    today = timezone.localdate()
    contacts = _contacts(users, accounts)
    _plans(users, contacts, today)
    _meetings(users, accounts, contacts, today)
    _routine_visits(users, accounts, contacts, today)
    _status_changes(users, contacts, today)
    _activities(users, accounts, contacts, today)
    account_key, username, values = data.EVALUATION
    person = users[username]
    evaluation_save(
        viewer=viewer_of(person),
        actor=person,
        account=accounts[account_key],
        year=today.year,
        data=values,
        version=None,
    )


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _contacts(users: dict[str, User], accounts: dict[str, Account]) -> dict[str, Contact]:
    contacts: dict[str, Contact] = {}
    for person in data.CONTACTS:
        account = accounts[person.account]
        owner = _owner(users, account)
        contact = contact_create(
            viewer=viewer_of(owner),
            actor=owner,
            account=account,
            data={
                "name": person.name,
                "title": person.title,
                "department": person.department,
                "reports_to_id": contacts[person.reports_to].pk if person.reports_to else None,
                "buying_roles": list(person.roles),
                "influence": person.influence,
                "stance": person.stance,
                "intimacy": person.intimacy,
                "support": person.support,
                "is_key": person.is_key,
                "phone": person.phone,
                "email": person.email,
                "wechat": person.wechat,
            },
        )
        for username, primary in person.owners:
            contact_owner_add(
                viewer=viewer_of(owner), actor=owner, contact=contact, user_id=users[username].pk, is_primary=primary
            )
        contacts[person.key] = contact
    return contacts


def _plans(users: dict[str, User], contacts: dict[str, Contact], today: date) -> None:
    for item in data.PLANS:
        person = users[item.by]
        plan = plan_create(
            viewer=viewer_of(person),
            actor=person,
            contact=contacts[item.contact],
            data={
                "goal": item.goal,
                "target_intimacy": item.target_intimacy,
                "target_support": item.target_support,
                "target_stance": item.target_stance,
                "due_on": today + timedelta(days=item.due_in_days),
            },
        )
        for action in item.actions:
            plan_action_add(
                viewer=viewer_of(person),
                actor=person,
                plan=plan,
                data={
                    "title": action.title,
                    "owner_id": users[action.owner].pk,
                    "due_on": today + timedelta(days=action.due_in_days),
                    "done_on": today - timedelta(days=action.done_days_ago)
                    if action.done_days_ago is not None
                    else None,
                },
            )


def _meetings(users: dict[str, User], accounts: dict[str, Account], contacts: dict[str, Contact], today: date) -> None:
    for meeting in data.MEETINGS:
        person = users[meeting.by]
        interaction_create(
            viewer=viewer_of(person),
            actor=person,
            data={
                "kind": meeting.kind,
                "occurred_at": _at(today - timedelta(days=meeting.days_ago), meeting.hour),
                "account_id": accounts[meeting.account].pk,
                "contact_ids": [contacts[key].pk for key in meeting.contacts],
                "participant_ids": [users[username].pk for username in meeting.participants],
                "minutes": meeting.minutes,
                "next_steps": meeting.next_steps,
            },
        )


def _routine_visits(
    users: dict[str, User], accounts: dict[str, Account], contacts: dict[str, Contact], today: date
) -> None:
    """Eight weeks of visits (this week's between Monday and now) and a few calls this week."""
    now = timezone.localtime()
    this_week = week_start(today)
    by_account: dict[str, list[Contact]] = {}
    for entry in data.CONTACTS:
        if entry.later is None:  # nobody visits a person who has gone
            by_account.setdefault(entry.account, []).append(contacts[entry.key])
    calls = [((username,), (0,) * (TREND_WEEKS - 1) + (count,), ()) for username, count in data.CALLS_THIS_WEEK.items()]
    turn = 0
    for group, weeks, keys in [*data.ROUTINE_VISITS, *calls]:
        logger = users[group[0]]
        kind = "call" if not keys else "visit"
        keys = keys or next(accounts for people, _weeks, accounts in data.ROUTINE_VISITS if group[0] in people)
        for index, count in enumerate(weeks):
            monday = this_week - timedelta(days=7 * (TREND_WEEKS - 1 - index))
            for number in range(count):
                if monday == this_week:
                    start = _at(monday, 0)
                    occurred_at = start + (now - start) * (number + 1 + turn % 3) / (count + 4)
                else:
                    occurred_at = _at(monday + timedelta(days=(number + turn) % 5), 9 + 2 * number % 8)
                key = keys[turn % len(keys)]
                met = by_account.get(key, [])
                interaction_create(
                    viewer=viewer_of(logger),
                    actor=logger,
                    data={
                        "kind": kind,
                        "occurred_at": occurred_at,
                        "account_id": accounts[key].pk,
                        "contact_ids": [met[turn % len(met)].pk] if met else [],
                        "participant_ids": [users[username].pk for username in group],
                        "minutes": data.VISIT_NOTES[turn % len(data.VISIT_NOTES)],
                    },
                )
                turn += 1


def _status_changes(users: dict[str, User], contacts: dict[str, Contact], today: date) -> None:
    for person in data.CONTACTS:
        if person.later is None:
            continue
        status, days_ago, note = person.later
        contact = Contact.objects.select_related("account__owner_unit").get(pk=contacts[person.key].pk)
        owner = _owner(users, contact.account)
        contacts[person.key] = contact_update(
            viewer=viewer_of(owner),
            actor=owner,
            contact=contact,
            data={"status": status, "status_changed_on": today - timedelta(days=days_ago), "status_note": note},
            version=contact.version,
        )


def _activities(
    users: dict[str, User], accounts: dict[str, Account], contacts: dict[str, Contact], today: date
) -> None:
    for activity in data.ACTIVITIES:
        account = accounts[activity.account]
        owner = _owner(users, account)
        occurred_on = today - timedelta(days=activity.days_ago)
        org_activity_create(
            viewer=viewer_of(owner),
            actor=owner,
            data={
                "kind": activity.kind,
                "account_id": account.pk,
                "occurred_on": occurred_on,
                "title": activity.title,
                "outcome": activity.outcome,
                "key_projects": activity.key_projects,
                "exclusive": activity.exclusive,
                "valid_until": occurred_on + timedelta(days=activity.valid_for_days)
                if activity.valid_for_days
                else None,
                "participant_ids": [users[username].pk for username in activity.participants],
                "contact_ids": [contacts[key].pk for key in activity.contacts],
            },
        )
