"""What the pipeline's writes share: errors, the ownership check and the change announcement."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account, OwnershipRequest, OwnershipStatus
from irontriangle.common.access import Viewer
from irontriangle.common.errors import Forbidden, InvalidInput
from irontriangle.notifications.messages import bilingual
from irontriangle.notifications.services import event_emit
from irontriangle.org.models import Membership, User
from irontriangle.pipeline import checklist
from irontriangle.pipeline.models import Opportunity
from irontriangle.pipeline.selectors import can_edit_opportunity, concerned_user_ids


class StageGateUnmet(InvalidInput):
    """422 with the required checklist items still open, so the caller can show what is missing."""

    code = "stage_gate_unmet"

    def __init__(self, unmet: list[checklist.ItemState]) -> None:
        self.unmet = [{"key": state.key, "label": state.label} for state in unmet]
        super().__init__(
            [],
            _("This stage cannot be left yet: %(items)s.") % {"items": "; ".join(item["label"] for item in self.unmet)},
        )

    def payload(self) -> dict[str, Any]:
        data = super().payload()
        data["unmet"] = self.unmet
        return data


class BantIncomplete(InvalidInput):
    code = "bant_incomplete"

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            [],
            _("BANT is not confirmed yet: %(letters)s.") % {"letters": ", ".join(missing)},
        )

    def payload(self) -> dict[str, Any]:
        data = super().payload()
        data["missing"] = self.missing
        return data


class SplitTotal(InvalidInput):
    code = "split_total"


def require_opportunity_editor(viewer: Viewer, opportunity: Opportunity) -> None:
    if not can_edit_opportunity(viewer, opportunity):
        raise Forbidden()


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def require_reason(field: str, reason: str, message: str) -> str:
    reason = text(reason)
    if not reason:
        raise InvalidInput.single(field, "required", message)
    return reason


def primary_unit_of(user: User) -> Any:
    membership = Membership.objects.filter(user=user).select_related("unit").order_by("-is_primary", "id").first()
    return membership.unit if membership else None


def raise_ownership_conflict(*, viewer: Viewer, actor: User, account: Account, what: str) -> OwnershipRequest | None:
    """Seed 004: a lead or deal opened by another unit on an owned account goes before the middle office.

    The work goes on; the request records the conflict and tells the owner unit and the middle office.
    """
    from irontriangle.accounts.services import ownership_request_create

    if viewer.is_admin or viewer.middle_office or viewer.manages_path(account.owner_unit.path):
        return None
    unit = primary_unit_of(actor)
    if unit is None or unit.path.startswith(account.owner_unit.path):
        return None
    if OwnershipRequest.objects.filter(account=account, to_unit=unit, status=OwnershipStatus.PENDING).exists():
        return None
    return ownership_request_create(
        viewer=viewer,
        actor=actor,
        account_id=account.pk,
        unit_code=unit.code,
        reason=_("%(what)s opened by %(unit)s on an account owned by %(owner)s")
        % {"what": what, "unit": unit.name, "owner": account.owner_unit.name},
        claim=True,
    )


def announce(
    opportunity: Opportunity,
    *,
    kind: str,
    actor: User,
    data: dict[str, Any],
    title: Callable[[], str] | None = None,
    also: tuple[int, ...] = (),
) -> None:
    """Tell the team and the split holders (not the actor), and nudge open pages to refresh."""
    event_emit(
        kind=kind,
        subject=opportunity,
        actor=actor,
        data={"opportunity_id": opportunity.pk, "account_id": opportunity.account_id, **data},
        recipient_ids=(concerned_user_ids(opportunity) | set(also)) if title else (),
        message=bilingual(title, link=f"/opportunities/{opportunity.pk}/") if title else None,
    )
