"""Test data made through the services, as the product makes it."""

from __future__ import annotations

from itertools import count
from typing import Any

from irontriangle.accounts.models import Account
from irontriangle.accounts.services import account_create
from irontriangle.common.access import viewer_of
from irontriangle.org.models import OrgUnit, User
from irontriangle.org.services import unit_create, user_create

PASSWORD = "Tr1angle-pass!"
_sequence = count(1)


def make_unit(code: str, name: str, segment: str, parent: OrgUnit | None = None) -> OrgUnit:
    return unit_create(code=code, name=name, segment=segment, parent_code=parent.code if parent else None)


def make_user(
    username: str | None = None,
    *,
    units: list[OrgUnit] = (),  # type: ignore[assignment]
    manager_of: list[OrgUnit] = (),  # type: ignore[assignment]
    admin: bool = False,
    display_name: str = "",
    email: str = "",
) -> User:
    username = username or f"user{next(_sequence)}"
    return user_create(
        username=username,
        password=PASSWORD,
        display_name=display_name,
        email=email or f"{username}@example.com",
        is_admin=admin,
        unit_codes=[unit.code for unit in units],
        manager_of=[unit.code for unit in manager_of],
    )


def make_account(owner: User, **data: Any) -> Account:
    data.setdefault("name", f"测试客户 {next(_sequence)}")
    return account_create(viewer=viewer_of(owner), actor=owner, data=data)


def grant_permission(user: User, codename: str) -> User:
    """Give a user one of the product's permissions (`read_all_records`, ...) and return a fresh copy:
    Django caches permissions on the instance."""
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(content_type__app_label="org", codename=codename))
    return User.objects.get(pk=user.pk)


def add_to_team(account: Account, user: User, role: str = "sr", *, by: User | None = None, is_primary: bool = True):
    """Put a user on an account team through the service, as the owner (or `by`) would."""
    from irontriangle.accounts.services import team_member_add

    actor = by or account.owner
    return team_member_add(
        viewer=viewer_of(actor), actor=actor, account=account, user_id=user.pk, role=role, is_primary=is_primary
    )


def update_account(account: Account, actor: User, **data: Any) -> Account:
    """Change an account through the service with its current version, as a client would."""
    from irontriangle.accounts.services import account_update

    current = Account.all_objects.get(pk=account.pk)
    return account_update(viewer=viewer_of(actor), actor=actor, account=current, data=data, version=current.version)


def make_contact(account: Account, *, by: User | None = None, **data: Any):
    """A contact of an account, created through the service by the account owner (or `by`)."""
    from irontriangle.relationships.services import contact_create

    actor = by or account.owner
    data.setdefault("name", f"联系人 {next(_sequence)}")
    return contact_create(viewer=viewer_of(actor), actor=actor, account=account, data=data)


def strengthen(account: Account, *, strong: int = 1, weak: int = 0, by: User | None = None) -> Account:
    """Give an account key contacts: `strong` supporters with high intimacy and `weak` neutral ones with low
    intimacy, so its relationship strength is 100 × strong ÷ (strong + weak). Returns the account as saved."""
    for _index in range(strong):
        make_contact(account, by=by, is_key=True, stance="supporter", intimacy="high", support="high")
    for _index in range(weak):
        make_contact(account, by=by, is_key=True)
    return Account.all_objects.get(pk=account.pk)


def add_owner(contact: Any, user: User, *, primary: bool = False, by: User | None = None):
    from irontriangle.relationships.services import contact_owner_add

    actor = by or contact.account.owner
    return contact_owner_add(viewer=viewer_of(actor), actor=actor, contact=contact, user_id=user.pk, is_primary=primary)


def log_interaction(account: Account, *, by: User | None = None, **data: Any):
    """An interaction logged through the service (default: a visit now, by the account owner)."""
    from irontriangle.relationships.services import interaction_create

    actor = by or account.owner
    data["account_id"] = account.pk
    return interaction_create(viewer=viewer_of(actor), actor=actor, data=data)


def make_opportunity(account: Account, *, by: User | None = None, **data: Any):
    """A deal on an account, opened through the service by the account owner (or `by`)."""
    from irontriangle.pipeline.services import opportunity_create

    actor = by or account.owner
    data.setdefault("name", f"商机 {next(_sequence)}")
    return opportunity_create(viewer=viewer_of(actor), actor=actor, account=account, data=data)


def make_lead(owner: User, *, account: Account | None = None, **data: Any):
    """A lead through the service; `bant="confirmed"` sets all four letters at once."""
    from irontriangle.pipeline.services import lead_create

    state = data.pop("bant", None)
    if isinstance(state, str):
        data["bant"] = dict.fromkeys(("budget", "authority", "need", "timeline"), state)
    elif state:
        data["bant"] = state
    data.setdefault("name", f"线索 {next(_sequence)}")
    data.setdefault("source", "referral")
    data.setdefault("scenario", "continuous")
    if account is not None:
        data["account_id"] = account.pk
    else:
        data.setdefault("company_name", "新公司")
    return lead_create(viewer=viewer_of(owner), actor=owner, data=data)


def pass_verify_gate(opportunity: Any, *, by: User | None = None) -> Any:
    """Meet what the KA `verify` stage asks: BANT (ticked when the deal has no lead), a guide who
    advises, and a decision maker on the power map. Returns the opportunity as saved."""
    from irontriangle.pipeline.models import Opportunity
    from irontriangle.pipeline.services import checklist_tick, guide_add

    actor = by or opportunity.owner
    viewer = viewer_of(actor)
    guide = make_contact(opportunity.account, by=actor, buying_roles="decision_maker", stance="supporter")
    if opportunity.lead_id is None:
        checklist_tick(viewer=viewer, actor=actor, opportunity=opportunity, key="bant", done=True, evidence="预算已批")
    guide_add(viewer=viewer, actor=actor, opportunity=opportunity, data={"contact_id": guide.pk, "level": "advise"})
    return Opportunity.all_objects.get(pk=opportunity.pk)


def make_contract(opportunity: Any, *, by: User | None = None, milestones: Any = None, **data: Any):
    """A contract on the deal; `milestones` is a list of rows for PUT `/milestones` (or a template code)."""
    from datetime import date

    from irontriangle.collections.models import MilestoneTemplate
    from irontriangle.collections.services import contract_create, milestones_replace, template_rows

    actor = by or opportunity.owner
    data.setdefault("number", f"HT-{opportunity.pk}-{date.today():%Y%m%d}")
    data.setdefault("signed_on", date.today())
    contract = contract_create(viewer=viewer_of(actor), actor=actor, opportunity=opportunity, data=data)
    if isinstance(milestones, str):
        milestones = template_rows(MilestoneTemplate.objects.get(code=milestones))
    if milestones:
        milestones_replace(viewer=viewer_of(actor), actor=actor, contract=contract, rows=milestones)
    return contract
