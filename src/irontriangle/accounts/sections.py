"""What each part of the account 360 page shows. Built for the whole page, and again for the one card an
htmx request refreshes, so the two can never drift apart. Reads only: everything comes from selectors."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from irontriangle.accounts import profiling, selectors
from irontriangle.accounts.forms import TeamMemberForm
from irontriangle.accounts.forms_360 import CustomerInfoForm, DriverForm, PotentialBasisForm
from irontriangle.accounts.models import (
    Account,
    AccountTeamMember,
    MatrixClass,
    OwnershipStatus,
    PotentialBasis,
    TeamRole,
)
from irontriangle.common.access import Viewer
from irontriangle.common.history import history_of
from irontriangle.web.history import readable_history

HISTORY_SHOWN = 50
# A group with more subsidiaries than this is browsed in the account list, filtered by parent.
TREE_SHOWN = 200
ROLE_ORDER = [TeamRole.AR, TeamRole.SR, TeamRole.FR, TeamRole.EXECUTIVE_SPONSOR, TeamRole.OTHER]


def _amount(value: Decimal | None) -> str:
    return "—" if value is None else number_format(value, 0, force_grouping=True)


# --- customer matrix -------------------------------------------------------------------------------


def _potential_position(potential: Decimal | None, threshold: Decimal) -> float:
    """Threshold in the middle; above it the scale flattens, so a giant customer never pushes the others
    into a corner (a linear axis would, with potentials that differ a thousandfold)."""
    if potential is None or potential <= 0:
        return 2.0
    if threshold <= 0:
        return 75.0
    ratio = float(potential / threshold)
    position = 50 * ratio if ratio < 1 else 50 + 50 * (1 - 1 / ratio)
    return max(2.0, min(98.0, position))


def _strength_position(score: int, threshold: int) -> float:
    if threshold <= 0:
        position = 50 + score / 2
    elif score < threshold:
        position = 50 * score / threshold
    else:
        position = 50 + 50 * (score - threshold) / max(1, 100 - threshold)
    return max(2.0, min(98.0, position))


# What the seed's tracking strategy asks for in each quadrant; translated when shown.
ACTIONS = {
    MatrixClass.CORE: gettext_noop("Keep investing: protect and deepen the relationship."),
    MatrixClass.GROWTH: gettext_noop("The potential is there: build the relationship."),
    MatrixClass.TRACTION: gettext_noop("The relationship is good: use it to uncover new needs."),
    MatrixClass.PROBLEM: gettext_noop("Limit the effort until something changes the picture."),
}


def matrix_section(account: Account) -> dict[str, Any]:
    settings = profiling.matrix_settings()
    high = account.matrix_class in (MatrixClass.CORE, MatrixClass.GROWTH)
    strong = account.matrix_class in (MatrixClass.CORE, MatrixClass.TRACTION)
    potential = _amount(account.potential)
    threshold = _amount(settings.potential_threshold)
    if account.potential is None:
        sentence = _(
            "No potential recorded yet, so it counts as low (high from %(threshold)s); relationship strength "
            "%(score)s is %(strength)s (strong from %(strength_threshold)s)."
        )
    else:
        sentence = _(
            "Potential %(potential)s is %(level)s (high from %(threshold)s); relationship strength "
            "%(score)s is %(strength)s (strong from %(strength_threshold)s)."
        )
    explanation = sentence % {
        "potential": potential,
        "level": _("high") if high else _("low"),
        "threshold": threshold,
        "score": account.relationship_score,
        "strength": _("strong") if strong else _("weak"),
        "strength_threshold": settings.strength_threshold,
    }
    chart = {
        "point": [
            round(_potential_position(account.potential, settings.potential_threshold), 1),
            round(_strength_position(account.relationship_score, settings.strength_threshold), 1),
        ],
        "current": account.matrix_class,
        "name": account.name,
        "tooltip": [
            f"{_('Potential per year')}: {potential} {account.currency}",
            f"{_('Relationship strength')}: {account.relationship_score} / 100",
        ],
        "quadrants": {code: str(label) for code, label in MatrixClass.choices},
        "axes": {"x": _("Potential"), "y": _("Relationship strength")},
        "thresholds": {"x": f"{threshold} {account.currency}", "y": str(settings.strength_threshold)},
        "low": _("low"),
        "high": _("high"),
        "weak": _("weak"),
        "strong": _("strong"),
    }
    return {
        "chart": chart,
        "explanation": explanation,
        "action": _(ACTIONS[MatrixClass(account.matrix_class)]),
        "settings": settings,
    }


# --- team ------------------------------------------------------------------------------------------


def team_groups(team: list[AccountTeamMember]) -> list[dict[str, Any]]:
    """The team by role in iron-triangle order, primary first; triangle roles nobody holds stay visible."""
    groups = []
    for role in ROLE_ORDER:
        members = sorted((m for m in team if m.role == role), key=lambda m: (not m.is_primary, m.pk))
        if members or role in selectors.TRIANGLE:
            groups.append(
                {"role": role, "label": role.label, "members": members, "triangle": role in selectors.TRIANGLE}
            )
    return groups


# --- potential -------------------------------------------------------------------------------------


def potential_section(
    account: Account, *, can_edit: bool, new_form: DriverForm | None = None, editing: Any = None, error: str = ""
) -> dict[str, Any]:
    estimate = selectors.drivers_estimate(account)
    uses_drivers = account.potential_basis == PotentialBasis.DRIVERS
    return {
        "account": account,
        "can_edit": can_edit,
        "estimate": estimate,
        "uses_drivers": uses_drivers,
        "differs": estimate.total is not None and estimate.total != account.potential,
        "driver_form": new_form or DriverForm(prefix="new-driver"),
        "open_add": new_form is not None and bool(new_form.errors),
        # (driver id, bound or initial form) of the row being edited, if any.
        "editing": editing,
        "basis_form": PotentialBasisForm(initial={"use_drivers": uses_drivers, "version": account.version}),
        "potential_error": error,
    }


# --- customer information --------------------------------------------------------------------------


def information_section(
    account: Account, *, can_edit: bool, new_form: CustomerInfoForm | None = None, editing: Any = None, error: str = ""
) -> dict[str, Any]:
    return {
        "account": account,
        "can_edit": can_edit,
        "information": selectors.account_information(account),
        "info_form": new_form or CustomerInfoForm(prefix="new-info", initial={"recorded_on": timezone.localdate()}),
        "open_info_add": new_form is not None and bool(new_form.errors),
        "info_editing": editing,
        "info_error": error,
    }


# --- ownership -------------------------------------------------------------------------------------


def ownership_section(
    account: Account, *, can_edit: bool, transfer_form: Any = None, notice: str = ""
) -> dict[str, Any]:
    requests = selectors.account_ownership_history(account)
    return {
        "account": account,
        "can_edit": can_edit,
        "ownership_requests": requests,
        "ownership_pending": sum(1 for r in requests if r.status == OwnershipStatus.PENDING),
        "transfer_form": transfer_form,
        "ownership_notice": notice,
    }


# --- the whole page --------------------------------------------------------------------------------


def account_page(who: Viewer, account: Account) -> dict[str, Any]:
    can_edit = selectors.can_edit_account(who, account)
    team = selectors.account_team(account)
    # A record from before trees had paths would match every account as its "subtree": show none instead.
    ancestors, nodes = selectors.account_tree(who, account, limit=TREE_SHOWN) if account.tree_path else ([], [])
    missing = selectors.missing_roles(account)
    context: dict[str, Any] = {
        "account": account,
        "can_edit": can_edit,
        "can_delete": selectors.can_delete_account(who, account),
        "team": team,
        "team_groups": team_groups(team),
        "team_form": TeamMemberForm(),
        "missing_roles": [TeamRole(role).label for role in missing],
        # AR, SR and FR are the method's own abbreviations, the same in both languages.
        "missing_codes": [role.upper() for role in missing],
        "ka": selectors.ka_suggestion(account),
        "ancestors": ancestors,
        "tree": nodes,
        "tree_truncated": len(nodes) >= TREE_SHOWN,
        "history": readable_history(who, history_of(account, who, display=True, limit=HISTORY_SHOWN)),
    }
    context.update(matrix_section(account))
    context.update(potential_section(account, can_edit=can_edit))
    context.update(information_section(account, can_edit=can_edit))
    context.update(ownership_section(account, can_edit=can_edit))
    return context
