"""Writes around a deal: its team, guides, competitors, pain chain and splits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from irontriangle.common.access import Viewer
from irontriangle.common.errors import Conflict, FieldError, InvalidInput, NotFound
from irontriangle.common.services import validate
from irontriangle.org.models import OrgUnit, User
from irontriangle.pipeline import checklist
from irontriangle.pipeline.models import (
    Competitor,
    Guide,
    Opportunity,
    OpportunityRole,
    OpportunityTeamMember,
    PainChainLink,
    Split,
    SplitKind,
)
from irontriangle.pipeline.services.common import SplitTotal, announce, require_opportunity_editor, text
from irontriangle.relationships.models import Contact

HUNDRED = Decimal("100")


def _user(user_id: Any, field: str = "user_id") -> User:
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        raise InvalidInput.single(field, "unknown_user", _("Unknown user."))
    return user


def _contact_of(opportunity: Opportunity, contact_id: Any) -> Contact:
    contact = Contact.objects.filter(pk=contact_id, account_id=opportunity.account_id).first() if contact_id else None
    if contact is None:
        raise InvalidInput.single("contact_id", "unknown_contact", _("The contact must belong to the deal's account."))
    return contact


# --- team --------------------------------------------------------------------------------------------


@transaction.atomic
def opportunity_team_add(
    *, viewer: Viewer, actor: User, opportunity: Opportunity, user_id: Any, role: str
) -> OpportunityTeamMember:
    require_opportunity_editor(viewer, opportunity)
    user = _user(user_id)
    if user.is_external and role != OpportunityRole.PARTNER:
        raise InvalidInput.single(
            "role", "external_user", _("A partner's login joins a deal's team only as a partner member.")
        )
    if OpportunityTeamMember.objects.filter(opportunity=opportunity, user=user, role=role).exists():
        raise Conflict(_("This person already holds this role on the deal."), code="already_member")
    member = OpportunityTeamMember(opportunity=opportunity, user=user, role=role)
    validate(member, exclude=["opportunity", "user"])
    member._history_user = actor  # type: ignore[attr-defined]
    member.save()
    checklist.refresh(opportunity)
    announce(
        opportunity,
        kind="opportunity.team_changed",
        actor=actor,
        data={"added": {"user_id": user.pk, "role": role}},
        title=lambda: (
            _("%(user)s joined %(name)s as %(role)s")
            % {"user": user.label, "name": opportunity.name, "role": member.get_role_display()}
        ),
    )
    return member


@transaction.atomic
def opportunity_team_remove(*, viewer: Viewer, actor: User, opportunity: Opportunity, member_id: Any) -> None:
    require_opportunity_editor(viewer, opportunity)
    member = OpportunityTeamMember.objects.filter(pk=member_id, opportunity=opportunity).select_related("user").first()
    if member is None:
        raise NotFound()
    member._history_user = actor  # type: ignore[attr-defined]
    user, role = member.user, member.get_role_display()
    member.delete()
    checklist.refresh(opportunity)
    # The person who left hears of it too, though they are no longer on the team.
    announce(
        opportunity,
        kind="opportunity.team_changed",
        actor=actor,
        data={"removed": {"user_id": user.pk, "role": member.role}},
        title=lambda: (
            _("%(user)s left the team of %(name)s (%(role)s)")
            % {"user": user.label, "name": opportunity.name, "role": role}
        ),
        also=(user.pk,),
    )


# --- guides, competitors, pain chain -------------------------------------------------------------------


@transaction.atomic
def guide_add(*, viewer: Viewer, actor: User, opportunity: Opportunity, data: dict[str, Any]) -> Guide:
    require_opportunity_editor(viewer, opportunity)
    contact = _contact_of(opportunity, data.get("contact_id"))
    guide = Guide.objects.filter(opportunity=opportunity, contact=contact).first() or Guide(
        opportunity=opportunity, contact=contact
    )
    guide.level = data.get("level") or ""
    guide.cost_notes = text(data.get("cost_notes"))
    guide.notes = text(data.get("notes"))
    validate(guide, exclude=["opportunity", "contact"])
    guide._history_user = actor  # type: ignore[attr-defined]
    guide.save()
    checklist.refresh(opportunity)
    announce(
        opportunity,
        kind="opportunity.guides_changed",
        actor=actor,
        data={"contact_id": contact.pk, "level": guide.level},
    )
    return guide


@transaction.atomic
def guide_remove(*, viewer: Viewer, actor: User, opportunity: Opportunity, guide_id: Any) -> None:
    require_opportunity_editor(viewer, opportunity)
    guide = Guide.objects.filter(pk=guide_id, opportunity=opportunity).first()
    if guide is None:
        raise NotFound()
    guide._history_user = actor  # type: ignore[attr-defined]
    guide.delete()
    checklist.refresh(opportunity)
    announce(opportunity, kind="opportunity.guides_changed", actor=actor, data={"removed": guide.contact_id})


def _competitors_changed(opportunity: Opportunity, actor: User, competitor: Competitor, what: str) -> None:
    checklist.refresh(opportunity)
    titles = {
        "added": lambda: (
            _("%(name)s: competitor %(competitor)s added (threat: %(threat)s)")
            % {"name": opportunity.name, "competitor": competitor.name, "threat": competitor.get_threat_display()}
        ),
        "changed": lambda: (
            _("%(name)s: competitor %(competitor)s updated (threat: %(threat)s)")
            % {"name": opportunity.name, "competitor": competitor.name, "threat": competitor.get_threat_display()}
        ),
        "removed": lambda: (
            _("%(name)s: competitor %(competitor)s removed") % {"name": opportunity.name, "competitor": competitor.name}
        ),
    }
    announce(
        opportunity,
        kind="opportunity.competitors_changed",
        actor=actor,
        data={what: {"name": competitor.name, "threat": competitor.threat}},
        title=titles[what],
    )


COMPETITOR_FIELDS = ("name", "strengths", "weaknesses", "threat", "strategy")


def _fill_competitor(competitor: Competitor, data: dict[str, Any]) -> None:
    for name in COMPETITOR_FIELDS:
        if name in data and data[name] is not None:
            setattr(competitor, name, text(data[name]) if name != "threat" else data[name])


@transaction.atomic
def competitor_add(*, viewer: Viewer, actor: User, opportunity: Opportunity, data: dict[str, Any]) -> Competitor:
    require_opportunity_editor(viewer, opportunity)
    competitor = Competitor(opportunity=opportunity)
    _fill_competitor(competitor, data)
    if Competitor.objects.filter(opportunity=opportunity, name=competitor.name).exists():
        raise InvalidInput.single("name", "duplicate", _("This competitor is already listed on the deal."))
    validate(competitor, exclude=["opportunity"])
    competitor._history_user = actor  # type: ignore[attr-defined]
    competitor.save()
    _competitors_changed(opportunity, actor, competitor, "added")
    return competitor


@transaction.atomic
def competitor_update(
    *, viewer: Viewer, actor: User, opportunity: Opportunity, competitor_id: Any, data: dict[str, Any]
) -> Competitor:
    require_opportunity_editor(viewer, opportunity)
    competitor = Competitor.objects.select_for_update().filter(pk=competitor_id, opportunity=opportunity).first()
    if competitor is None:
        raise NotFound()
    _fill_competitor(competitor, data)
    if Competitor.objects.filter(opportunity=opportunity, name=competitor.name).exclude(pk=competitor.pk).exists():
        raise InvalidInput.single("name", "duplicate", _("This competitor is already listed on the deal."))
    validate(competitor, exclude=["opportunity"])
    competitor._history_user = actor  # type: ignore[attr-defined]
    competitor.save()
    _competitors_changed(opportunity, actor, competitor, "changed")
    return competitor


@transaction.atomic
def competitor_remove(*, viewer: Viewer, actor: User, opportunity: Opportunity, competitor_id: Any) -> None:
    require_opportunity_editor(viewer, opportunity)
    competitor = Competitor.objects.filter(pk=competitor_id, opportunity=opportunity).first()
    if competitor is None:
        raise NotFound()
    competitor._history_user = actor  # type: ignore[attr-defined]
    competitor.delete()
    _competitors_changed(opportunity, actor, competitor, "removed")


@transaction.atomic
def pain_link_add(*, viewer: Viewer, actor: User, opportunity: Opportunity, data: dict[str, Any]) -> PainChainLink:
    require_opportunity_editor(viewer, opportunity)
    link = PainChainLink(
        opportunity=opportunity,
        contact=_contact_of(opportunity, data.get("contact_id")),
        pain=text(data.get("pain")),
        cause=text(data.get("cause")),
        consequence=text(data.get("consequence")),
    )
    validate(link, exclude=["opportunity", "contact"])
    link._history_user = actor  # type: ignore[attr-defined]
    link.save()
    checklist.refresh(opportunity)
    announce(opportunity, kind="opportunity.pain_chain_changed", actor=actor, data={"contact_id": link.contact_id})
    return link


@transaction.atomic
def pain_link_remove(*, viewer: Viewer, actor: User, opportunity: Opportunity, link_id: Any) -> None:
    require_opportunity_editor(viewer, opportunity)
    link = PainChainLink.objects.filter(pk=link_id, opportunity=opportunity).first()
    if link is None:
        raise NotFound()
    link._history_user = actor  # type: ignore[attr-defined]
    link.delete()
    checklist.refresh(opportunity)
    announce(opportunity, kind="opportunity.pain_chain_changed", actor=actor, data={"removed": link.pk})


# --- splits ------------------------------------------------------------------------------------------


def _split_of(opportunity: Opportunity, row: dict[str, Any], index: int, errors: list[FieldError]) -> Split | None:
    field = f"splits.{index}"
    unit_code: Any = row.get("unit_code")
    user_id: Any = row.get("user_id")
    percent: Any = row.get("percent")
    if bool(unit_code) == bool(user_id):
        errors.append(FieldError(field, "one_holder", _("Name either a unit or a person.")))
        return None
    split = Split(
        opportunity=opportunity,
        percent=percent,
        kind=row.get("kind") or SplitKind.REVENUE,
        agreement_ref=text(row.get("agreement_ref")),
    )
    if unit_code:
        split.unit = OrgUnit.objects.filter(code=unit_code).first()
        if split.unit is None:
            errors.append(FieldError(f"{field}.unit_code", "unknown_unit", _("Unknown org unit.")))
            return None
    else:
        split.user = User.objects.filter(pk=user_id, is_active=True).first()
        if split.user is None:
            errors.append(FieldError(f"{field}.user_id", "unknown_user", _("Unknown user.")))
            return None
    if not split.agreement_ref:
        errors.append(
            FieldError(f"{field}.agreement_ref", "required", _("Name the agreement, e.g. the meeting minutes."))
        )
    percent = split.percent
    if not isinstance(percent, Decimal) or not Decimal("0") < percent <= HUNDRED:
        errors.append(
            FieldError(f"{field}.percent", "out_of_range", _("A share is more than 0 and at most 100 percent."))
        )
    return split


@transaction.atomic
def splits_replace(*, viewer: Viewer, actor: User, opportunity: Opportunity, rows: list[dict[str, Any]]) -> list[Split]:
    """Replace the deal's splits as one set: revenue shares add up to exactly 100, or none are kept."""
    require_opportunity_editor(viewer, opportunity)
    errors: list[FieldError] = []
    splits = [split for index, row in enumerate(rows) if (split := _split_of(opportunity, row, index, errors))]
    holders = [(split.kind, split.unit_id, split.user_id) for split in splits]
    if len(set(holders)) != len(holders):
        errors.append(FieldError("splits", "duplicate_holder", _("Each holder appears once per kind of split.")))
    if errors:
        raise InvalidInput(errors)
    revenue = [split.percent for split in splits if split.kind == SplitKind.REVENUE]
    if revenue and sum(revenue) != HUNDRED:
        raise SplitTotal(
            [
                FieldError(
                    "splits",
                    "split_total",
                    _("Revenue shares add up to %(total)s%%, not 100%%.") % {"total": sum(revenue)},
                )
            ],
            _("Revenue shares must add up to exactly 100 percent."),
        )
    before = {(split.kind, split.unit_id, split.user_id, split.percent) for split in opportunity.splits.all()}
    for old in opportunity.splits.all():
        old._history_user = actor  # type: ignore[attr-defined]
        old.delete()
    for split in splits:
        split._history_user = actor  # type: ignore[attr-defined]
        split.save()
    after = {(split.kind, split.unit_id, split.user_id, split.percent) for split in splits}
    if before != after:
        announce(
            opportunity,
            kind="opportunity.splits_changed",
            actor=actor,
            data={
                "splits": [
                    {"unit_id": s.unit_id, "user_id": s.user_id, "percent": str(s.percent), "kind": s.kind}
                    for s in splits
                ]
            },
            title=lambda: _("The splits of %(name)s changed") % {"name": opportunity.name},
        )
    return splits
