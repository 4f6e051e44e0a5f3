"""Load the demo data set through the services, once."""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

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
from irontriangle.collections.models import Contract, MilestoneTemplate, PaymentMilestone
from irontriangle.collections.services import (
    collection_action_log,
    contract_create,
    contract_tick,
    contract_update,
    evidence_upload,
    milestone_alerts_run,
    milestone_dispute,
    milestone_invoice,
    milestones_replace,
    payment_record,
    sign_off_add,
    template_rows,
)
from irontriangle.common.access import viewer_of
from irontriangle.demo import data
from irontriangle.org.models import OrgUnit, User
from irontriangle.org.services import unit_create, user_create
from irontriangle.pipeline.models import BANT, SPIN, Lead, Opportunity, ProcurementStep, ProcurementTemplate
from irontriangle.pipeline.services import (
    checklist_tick,
    competitor_add,
    guide_add,
    lead_convert,
    lead_create,
    lead_follow_up_add,
    opportunity_advance,
    opportunity_create,
    opportunity_team_add,
    opportunity_team_remove,
    opportunity_update,
    pain_link_add,
    quote_approve,
    quote_create,
    quote_submit,
    review_create,
    review_item_add,
    splits_replace,
)
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
from irontriangle.resources.defaults import ensure_defaults
from irontriangle.resources.models import (
    DealRegistration,
    Partner,
    RequestEvent,
    Resource,
    ResourceRequest,
    RoutingRule,
)
from irontriangle.resources.routing import sla_hours
from irontriangle.resources.services import (
    escalations_run,
    partner_contact_add,
    partner_create,
    partner_meeting_create,
    partner_user_create,
    registration_create,
    registration_decide,
    request_assign,
    request_create,
    request_decline,
    request_done,
    resource_create,
)


@dataclass
class Login:
    username: str
    password: str
    who: str


def demo_logins() -> list[Login]:
    people = [*data.USERS, *data.RESOURCE_USERS]
    logins = [Login(username, data.DEMO_PASSWORD, f"{name}: {who}") for username, name, *_rest, who in people]
    logins += [Login(username, data.DEMO_PASSWORD, f"{name}: {who}") for username, name, _p, who in data.PARTNER_LOGINS]
    return logins


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
    accounts, contacts = _relationships(users)
    _pipeline(users, accounts, contacts)
    # The hourly job's first run: the AR and FR hear of the milestones overdue or coming due.
    milestone_alerts_run()
    _call_for_fire(users)


def _users(people: list[tuple[str, str, list[str], list[str], bool, str]] | None = None) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, display_name, units, managed, admin, _who in data.USERS if people is None else people:
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


def _relationships(users: dict[str, User]) -> tuple[dict[str, Account], dict[str, Contact]]:
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
    return accounts, contacts


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


# --- pipeline ---------------------------------------------------------------------------------------


def _pipeline(users: dict[str, User], accounts: dict[str, Account], contacts: dict[str, Contact]) -> None:
    """Procurement templates, leads, and deals moved through their gates by the people who work them."""
    today = timezone.localdate()
    templates = _procurement_templates(users["admin"])
    leads = _leads(users, accounts, contacts, today)
    deals = {deal.key: _deal(users, accounts, contacts, templates, leads, deal, today) for deal in data.DEALS}
    for visit in data.DEAL_VISITS:
        person = users[visit.by]
        opportunity = deals[visit.deal]
        interaction_create(
            viewer=viewer_of(person),
            actor=person,
            data={
                "kind": visit.kind,
                "occurred_at": _at(today - timedelta(days=visit.days_ago), visit.hour),
                "account_id": opportunity.account_id,
                "contact_ids": [contacts[key].pk for key in visit.contacts],
                "participant_ids": [users[username].pk for username in visit.participants],
                "minutes": visit.minutes,
                "next_steps": visit.next_steps,
                "opportunity_id": opportunity.pk,
            },
        )
    _review(users, deals, today)


def _procurement_templates(admin: User) -> dict[str, ProcurementTemplate]:
    """Configuration, as an administrator enters it in the admin (there is no service for it)."""
    templates: dict[str, ProcurementTemplate] = {}
    for code, name_zh, name_en, description_zh, description_en, steps in data.PROCUREMENT_TEMPLATES:
        template = ProcurementTemplate(
            code=code, name_zh=name_zh, name_en=name_en, description_zh=description_zh, description_en=description_en
        )
        template._history_user = admin  # type: ignore[attr-defined]
        template.save()
        for position, (step_zh, step_en, roles) in enumerate(steps, start=1):
            step = ProcurementStep(
                template=template,
                position=position,
                name_zh=step_zh,
                name_en=step_en,
                stakeholder_roles=",".join(roles),
            )
            step._history_user = admin  # type: ignore[attr-defined]
            step.save()
        templates[code] = template
    return templates


def _leads(
    users: dict[str, User], accounts: dict[str, Account], contacts: dict[str, Contact], today: date
) -> dict[str, Opportunity | Lead]:
    """Leads in every status; the converted ones give their opportunity, the others themselves."""
    made: dict[str, Opportunity | Lead] = {}
    for entry in data.LEADS:
        owner = users[entry.owner]
        lead = lead_create(
            viewer=viewer_of(owner),
            actor=owner,
            data={
                "name": entry.name,
                "source": entry.source,
                "scenario": entry.scenario,
                **({"segment": "smb" if entry.owner == "smb" else "ka"} if entry.account is None else {}),
                "account_id": accounts[entry.account].pk if entry.account else None,
                "company_name": entry.company_name,
                "contact_id": contacts[entry.contact].pk if entry.contact else None,
                "contact_name": entry.contact_name,
                "estimated_amount": entry.amount,
                "bant": dict(zip(BANT, entry.bant, strict=True)),
                "bant_evidence": {
                    f"{letter}_evidence": text for letter, text in zip(BANT, entry.evidence, strict=True)
                },
                "spin": dict(zip(SPIN, entry.spin, strict=True)),
                "status": entry.status,
                "disqualified_reason": entry.disqualified_reason,
            },
        )
        for follow_up in entry.follow_ups:
            lead_follow_up_add(
                viewer=viewer_of(owner),
                actor=owner,
                lead=lead,
                data={
                    "kind": follow_up.kind,
                    "occurred_on": today - timedelta(days=follow_up.days_ago),
                    "note": follow_up.note,
                    "next_step": follow_up.next_step,
                    "next_on": today + timedelta(days=follow_up.next_in_days)
                    if follow_up.next_in_days is not None
                    else None,
                },
            )
        made[entry.key] = lead
        if entry.convert is not None:
            username, override = entry.convert
            person = users[username]
            made[entry.key] = lead_convert(
                viewer=viewer_of(person),
                actor=person,
                lead=Lead.objects.select_related("owner_unit", "account").get(pk=lead.pk),
                override_reason=override,
            )
    return made


def _deal(
    users: dict[str, User],
    accounts: dict[str, Account],
    contacts: dict[str, Contact],
    templates: dict[str, ProcurementTemplate],
    leads: dict[str, Opportunity | Lead],
    deal: data.Deal,
    today: date,
) -> Opportunity:
    owner = users[deal.owner]
    as_owner: dict[str, Any] = {"viewer": viewer_of(owner), "actor": owner}
    fields: dict[str, object] = {
        "name": deal.name,
        "amount": deal.amount,
        "currency": deal.currency,
        "expected_close": today + timedelta(days=deal.close_in_days),
        "project_type": deal.project_type,
        "decision_process_notes": deal.decision_process,
        "procurement_template_id": templates[deal.template].pk if deal.template else None,
        "lead_unit_code": deal.lead_unit[0] if deal.lead_unit else None,
        "lead_basis": deal.lead_unit[1] if deal.lead_unit else "",
    }
    if deal.lead is None:
        opportunity = opportunity_create(
            **as_owner, account=accounts[deal.account], data={**fields, "lead_source": deal.lead_source}
        )
    else:
        opportunity = leads[deal.lead]  # type: ignore[assignment]
        converter = users[opportunity.owner.username]
        if converter != owner:
            # A manager converted it; the deal goes to the person who works it.
            _as_converter: dict[str, Any] = {"viewer": viewer_of(converter), "actor": converter}
            opportunity = opportunity_update(
                **_as_converter, opportunity=opportunity, data={"owner_id": owner.pk}, version=opportunity.version
            )
            opportunity_team_add(**_as_converter, opportunity=opportunity, user_id=owner.pk, role="ar")
            mine = opportunity.team_members.get(user=converter, role="ar")
            opportunity_team_remove(**_as_converter, opportunity=opportunity, member_id=mine.pk)
        opportunity = opportunity_update(**as_owner, opportunity=opportunity, data=fields, version=opportunity.version)
    for username, role in deal.team:
        opportunity_team_add(**as_owner, opportunity=opportunity, user_id=users[username].pk, role=role)
    for contact, level, cost_notes in deal.guides:
        guide_add(
            **as_owner,
            opportunity=opportunity,
            data={"contact_id": contacts[contact].pk, "level": level, "cost_notes": cost_notes},
        )
    for name, strengths, weaknesses, threat, strategy in deal.competitors:
        competitor_add(
            **as_owner,
            opportunity=opportunity,
            data={
                "name": name,
                "strengths": strengths,
                "weaknesses": weaknesses,
                "threat": threat,
                "strategy": strategy,
            },
        )
    for contact, pain, cause, consequence in deal.pains:
        pain_link_add(
            **as_owner,
            opportunity=opportunity,
            data={"contact_id": contacts[contact].pk, "pain": pain, "cause": cause, "consequence": consequence},
        )
    for key, evidence in deal.ticks:
        checklist_tick(**as_owner, opportunity=opportunity, key=key, done=True, evidence=evidence)
    if deal.splits:
        splits_replace(
            **as_owner,
            opportunity=opportunity,
            rows=[
                {"unit_code": unit, "percent": percent, "agreement_ref": agreement}
                for unit, percent, agreement in deal.splits
            ],
        )
    contract = None
    for stage in deal.path:
        if stage == "won" and deal.key in data.CONTRACTS:
            # Signed before the deal is marked won: the KA gate to won wants the milestones in a contract.
            contract = _contract_open(owner, opportunity, data.CONTRACTS[deal.key], today)
        if deal.override and deal.override[0] == stage:
            manager = users[deal.override[1]]
            opportunity = opportunity_advance(
                viewer=viewer_of(manager),
                actor=manager,
                opportunity=opportunity,
                to_stage=stage,
                override_reason=deal.override[2],
            )
        else:
            opportunity = opportunity_advance(**as_owner, opportunity=opportunity, to_stage=stage, reason=deal.reason)
        if stage in ("bid", "proposal"):
            for entry in deal.quotes:
                _quote(users, owner, opportunity, entry)
    if contract is not None:
        _contract_life(users, contacts, contract, data.CONTRACTS[deal.key], today)
    return opportunity


# --- collection ---------------------------------------------------------------------------------------


def _contract_open(owner: User, opportunity: Opportunity, entry: data.ContractEntry, today: date) -> Contract:
    """The deal owner records the signed contract and its payment schedule (a template's, or as agreed)."""
    as_owner: dict[str, Any] = {"viewer": viewer_of(owner), "actor": owner}
    contract = contract_create(
        **as_owner,
        opportunity=opportunity,
        data={
            "number": entry.number,
            "signed_on": today - timedelta(days=entry.signed_days_ago),
            "payment_terms": entry.payment_terms,
        },
    )
    if entry.template:
        rows = template_rows(MilestoneTemplate.objects.get(code=entry.template))
    else:
        rows = [
            {"kind": row.kind, "percent": Decimal(row.percent), "trigger": row.trigger, "offset_days": row.offset_days}
            for row in entry.milestones
        ]
    milestones_replace(**as_owner, contract=contract, rows=rows)
    return contract


def _contract_life(
    users: dict[str, User], contacts: dict[str, Contact], contract: Contract, entry: data.ContractEntry, today: date
) -> None:
    """What happened on the contract since it was signed, each step by the person who does it."""

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def person(username: str) -> dict[str, Any]:
        return {"viewer": viewer_of(users[username]), "actor": users[username]}

    def milestone(position: int) -> PaymentMilestone:
        # Read afresh each time: the services store figures computed from the row they are given.
        return PaymentMilestone.objects.select_related("contract__opportunity", "contract__account").get(
            contract_id=contract.pk, position=position
        )

    def current() -> Contract:
        return Contract.objects.select_related("opportunity", "account").get(pk=contract.pk)

    assert contract.ar is not None
    ar = contract.ar.username
    events = {
        "delivered_on": ago(entry.delivered_days_ago) if entry.delivered_days_ago is not None else None,
        "accepted_on": ago(entry.accepted_days_ago) if entry.accepted_days_ago is not None else None,
        "warranty_ends_on": today + timedelta(days=entry.warranty_ends_in_days)
        if entry.warranty_ends_in_days is not None
        else None,
    }
    happened = {name: day for name, day in events.items() if day is not None}
    if happened:
        signed = current()
        # The FR records delivery and acceptance; the due dates waiting on them follow.
        assert signed.fr is not None
        contract_update(**person(signed.fr.username), contract=signed, data=happened, version=signed.version)
    for position, days_ago, number in entry.invoices:
        milestone_invoice(
            **person("finance"), milestone=milestone(position), invoiced_on=ago(days_ago), invoice_number=number
        )
    for position, amount, days_ago, reference in entry.payments:
        payment_record(
            **person("finance"),
            milestone=milestone(position),
            data={"amount": Decimal(amount), "received_on": ago(days_ago), "reference": reference},
        )
    for paper in entry.evidence:
        content = evidence_file(paper.name, f"{entry.number} {paper.kind}")
        evidence_upload(
            **person(paper.by),
            contract=current(),
            milestone=milestone(paper.milestone) if paper.milestone else None,
            kind=paper.kind,
            name=paper.name,
            data=io.BytesIO(content),
            size=len(content),
            notes=paper.notes,
        )
    for position, contact, role, signed_days_ago in entry.sign_offs:
        sign_off_add(
            **person(ar),
            milestone=milestone(position),
            data={
                "contact_id": contacts[contact].pk,
                "role": role,
                "signed_on": ago(signed_days_ago) if signed_days_ago is not None else None,
            },
        )
    if entry.dispute is not None:
        position, reason = entry.dispute
        milestone_dispute(**person(ar), milestone=milestone(position), reason=reason)
    for chase in entry.actions:
        chased = milestone(chase.milestone) if chase.milestone else None
        collection_action_log(
            **person(chase.by),
            contract=current(),
            data={
                "kind": chase.kind,
                "occurred_on": ago(chase.days_ago),
                "contact_id": contacts[chase.contact].pk if chase.contact else None,
                "milestone_id": chased.pk if chased else None,
                "outcome": chase.outcome,
                "promised_on": today + timedelta(days=chase.promised_in_days)
                if chase.promised_in_days is not None
                else None,
            },
        )
    for key, username, note in entry.ticks:
        contract_tick(**person(username), contract=current(), key=key, done=True, note=note)


def evidence_file(name: str, title: str) -> bytes:
    """A small real file for the evidence chain: a one-page PDF, or a PNG 'scan', by the name's extension."""
    return _png(title) if name.lower().endswith(".png") else _pdf(title)


def _pdf(title: str) -> bytes:
    """A valid one-page PDF showing `title` (ASCII only: the built-in fonts have no Chinese)."""
    text = "".join(ch for ch in title if 32 <= ord(ch) < 127).replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 18 Tf 72 720 Td (IronTriangle demo evidence) Tj 0 -28 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _png(title: str, width: int = 120, height: int = 80) -> bytes:
    """A valid grey 'scan' with a darker band whose height depends on the title, so files differ."""
    band = 10 + sum(title.encode()) % 40
    rows = b"".join(b"\x00" + (b"\x60" if band <= y < band + 12 else b"\xe8") * width for y in range(height))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _quote(users: dict[str, User], owner: User, opportunity: Opportunity, entry: data.QuoteEntry) -> None:
    as_owner: dict[str, Any] = {"viewer": viewer_of(owner), "actor": owner}
    quote = quote_create(
        **as_owner,
        opportunity=opportunity,
        data={
            "notes": entry.notes,
            "lines": [
                {
                    "product": line.product,
                    "quantity": line.quantity,
                    "list_price": line.list_price,
                    "discount": line.discount,
                    "unit_cost": line.unit_cost,
                }
                for line in entry.lines
            ],
        },
    )
    if entry.until == "draft":
        return
    quote = quote_submit(**as_owner, quote=quote)
    if entry.until == "submitted":
        return
    approvers = [users[entry.approver]] + ([users[entry.manager]] if entry.until == "manager" else [])
    for person in approvers:
        quote = quote_approve(viewer=viewer_of(person), actor=person, quote=quote)


def _review(users: dict[str, User], deals: dict[str, Opportunity], today: date) -> None:
    unit, title, days_ago, participants, notes, items = data.REVIEW
    chair = users["director"]
    as_chair: dict[str, Any] = {"viewer": viewer_of(chair), "actor": chair}
    meeting = review_create(
        **as_chair,
        data={
            "unit_code": unit,
            "title": title,
            "held_on": today - timedelta(days=days_ago),
            "notes": notes,
            "participant_ids": [users[username].pk for username in participants],
        },
    )
    for deal, decision, owner, due_in_days in items:
        review_item_add(
            **as_chair,
            meeting=meeting,
            data={
                "opportunity_id": deals[deal].pk,
                "decision": decision,
                "owner_id": users[owner].pk,
                "due_on": today + timedelta(days=due_in_days),
            },
        )


# --- call for fire: the pool, partners, requests and registrations (SPEC §6) ------------------------------


def _call_for_fire(users: dict[str, User]) -> None:
    """The solution centre's pool and its head, a branch technical team and a call centre behind the three
    tiers of support; partners with a login; requests in every status, one escalated past its SLA; deal
    registrations approved, waiting and expired. Each step is taken by the person who would take it."""
    for code, name, name_en, segment, parent in data.RESOURCE_UNITS:
        unit_create(code=code, name=name, name_en=name_en, segment=segment, parent_code=parent)
    users = {**users, **_users(data.RESOURCE_USERS)}
    _route_to_pools(users["admin"])
    partners = _partners(users)
    pool = _pool(users, partners)
    deals = {deal.key: Opportunity.objects.get(name=deal.name) for deal in data.DEALS}
    _requests(users, pool, deals)
    _registrations(users, partners, deals)
    name, deal, days_ago, participants, theirs, subject, minutes, next_steps = data.PARTNER_MEETING
    channel = users["ops"]
    partner_meeting_create(
        viewer=viewer_of(channel),
        actor=channel,
        partner=partners[name],
        opportunity=deals[deal],
        data={
            "occurred_on": timezone.localdate() - timedelta(days=days_ago),
            "subject": subject,
            "participant_ids": [users[username].pk for username in participants],
            "partner_participants": theirs,
            "minutes": minutes,
            "next_steps": next_steps,
        },
    )


def _route_to_pools(admin: User) -> None:
    """Configuration, as an administrator sets it in the admin: which unit answers which tier."""
    ensure_defaults()  # the rules a migration installs, should the table have been emptied
    units = {unit.code: unit for unit in OrgUnit.objects.filter(code__in=["presales", "tech-south", "callcentre"])}
    targets = [
        (RoutingRule.objects.filter(tier="tier1"), "presales"),
        (RoutingRule.objects.filter(project_type="partner_led", serve_with="people"), "tech-south"),
        (RoutingRule.objects.filter(tier="tier3"), "callcentre"),
    ]
    for rules, code in targets:
        for rule in rules:
            rule.pool_unit = units[code]
            rule._history_user = admin  # type: ignore[attr-defined]
            rule.save()


def _partners(users: dict[str, User]) -> dict[str, Partner]:
    """The channel manager (the middle office) records the partners, their contacts and the login."""
    channel = users["ops"]
    as_channel: dict[str, Any] = {"viewer": viewer_of(channel), "actor": channel}
    partners: dict[str, Partner] = {}
    for entry in data.PARTNERS:
        partner = partner_create(
            **as_channel,
            data={
                "name": entry.name,
                "name_en": entry.name_en,
                "type": entry.type,
                "tier": entry.tier,
                "capabilities": list(entry.capabilities),
                "regions": list(entry.regions),
                "website": entry.website,
            },
        )
        for name, title, phone, email, primary in entry.contacts:
            partner_contact_add(
                **as_channel,
                partner=partner,
                data={"name": name, "title": title, "phone": phone, "email": email, "is_primary": primary},
            )
        partners[entry.name] = partner
    for username, display_name, partner_name, _who in data.PARTNER_LOGINS:
        link = partner_user_create(
            **as_channel,
            partner=partners[partner_name],
            data={
                "username": username,
                "password": data.DEMO_PASSWORD,
                "display_name": display_name,
                "email": f"{username}@demo.irontriangle.invalid",
            },
        )
        users[username] = link.user
    return partners


def _pool(users: dict[str, User], partners: dict[str, Partner]) -> dict[str, Resource]:
    """Each unit's manager puts its people in the pool; the channel manager adds the partner's team."""
    managers = {"presales": users["pool"], "tech-south": users["director"], "hq": users["gm"]}
    pool: dict[str, Resource] = {}
    for username, unit, tier, skills, region, hours, executive in data.POOL:
        manager = managers[unit]
        pool[username] = resource_create(
            viewer=viewer_of(manager),
            actor=manager,
            user=users[username],
            data={
                "unit_code": unit,
                "support_tier": tier,
                "skills": list(skills),
                "region": region,
                "weekly_capacity_hours": hours,
                "is_executive": executive,
            },
        )
    partner_name, team, unit, tier, skills, region, hours = data.PARTNER_TEAM
    channel = users["ops"]
    pool[team] = resource_create(
        viewer=viewer_of(channel),
        actor=channel,
        partner=partners[partner_name],
        data={
            "name": team,
            "unit_code": unit,
            "support_tier": tier,
            "skills": list(skills),
            "region": region,
            "weekly_capacity_hours": hours,
        },
    )
    return pool


def _requests(users: dict[str, User], pool: dict[str, Resource], deals: dict[str, Opportunity]) -> None:
    today = timezone.localdate()
    monday = week_start(today)
    for entry in data.REQUESTS:
        person = users[entry.by]
        request = request_create(
            viewer=viewer_of(person),
            actor=person,
            opportunity=deals[entry.deal],
            data={
                "kind": entry.kind,
                "skills": list(entry.skills),
                "hours": entry.hours,
                "needed_by": today + timedelta(days=entry.needed_in_days),
                "notes": entry.notes,
            },
        )
        answerer = users.get(entry.answered_by)
        as_answerer: dict[str, Any] = {"viewer": viewer_of(answerer), "actor": answerer} if answerer else {}
        if entry.outcome in ("assigned", "done"):
            request = request_assign(
                **as_answerer,
                request=_fresh(request),
                resource=pool[entry.to],
                starts_on=monday + timedelta(days=entry.starts),
                ends_on=monday + timedelta(days=entry.ends),
            )
        if entry.outcome == "done":
            server = users[entry.to]
            request_done(viewer=viewer_of(server), actor=server, request=_fresh(request), outcome=entry.answer)
        elif entry.outcome == "declined":
            request_decline(**as_answerer, request=_fresh(request), reason=entry.answer)
        elif entry.outcome == "escalated":
            # Raised three days ago with a one-day SLA: both escalation levels are due, and the job that
            # runs every ten minutes announces them as it would have.
            raised = timezone.now() - timedelta(days=3)
            ResourceRequest.objects.filter(pk=request.pk).update(
                created_at=raised, answer_due_at=raised + timedelta(hours=sla_hours(entry.kind))
            )
            RequestEvent.objects.filter(request=request, kind="raised").update(at=raised)
    escalations_run()


def _fresh(request: ResourceRequest) -> ResourceRequest:
    return ResourceRequest.objects.select_related(
        "opportunity", "opportunity__account", "opportunity__account__owner_unit", "pool_unit", "routing_rule"
    ).get(pk=request.pk)


def _registrations(users: dict[str, User], partners: dict[str, Partner], deals: dict[str, Opportunity]) -> None:
    """The partner's login registers its project and the channel manager approves it with the deal (which
    shares the deal with the login); the channel manager records the others the partners phoned in."""
    today = timezone.localdate()
    channel = users["ops"]
    as_channel: dict[str, Any] = {"viewer": viewer_of(channel), "actor": channel}
    logins = {partner_name: users[username] for username, _name, partner_name, _who in data.PARTNER_LOGINS}
    keys = {key: name for key, name, *_rest in data.ACCOUNTS}
    for partner_name, account_key, project, deal_key, outcome, days, note in data.REGISTRATIONS:
        account = Account.objects.get(name=keys[account_key])
        fields = {"project": project, "expires_on": today + timedelta(days=days)}
        login = logins.get(partner_name)
        if login is not None:
            registration = registration_create(
                viewer=viewer_of(login), actor=login, data={**fields, "customer_name": account.name}
            )
        else:
            registration = registration_create(
                **as_channel, partner=partners[partner_name], account=account, data=fields
            )
        if outcome == "approved":
            registration_decide(
                **as_channel,
                registration=DealRegistration.objects.select_related("partner", "account").get(pk=registration.pk),
                approve=True,
                note=note,
                opportunity=deals[deal_key] if deal_key else None,
            )
        elif outcome == "expired":
            # Registered a quarter ago; its window ended ten days ago and the project is free again.
            DealRegistration.objects.filter(pk=registration.pk).update(
                created_at=timezone.now() - timedelta(days=100), expires_on=today - timedelta(days=days)
            )
