"""The landing page's read model: how the viewer's accounts spread over segment and tier."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from irontriangle.accounts.models import Account, Segment, Tier
from irontriangle.accounts.selectors import accounts_visible
from irontriangle.common.access import Viewer

# A landing page must not scan every account of a large company: past this many it says "at least".
MIX_CAP = 10_000


@dataclass
class AccountMix:
    tiers: list[tuple[str, str]]  # (code, label); "" is "no tier"
    segments: list[tuple[str, str]]
    counts: dict[tuple[str, str], int]  # (segment, tier) -> accounts
    total: int
    capped: bool

    def segment_totals(self) -> list[tuple[str, int]]:
        return [
            (label, sum(n for (seg, _tier), n in self.counts.items() if seg == segment))
            for segment, label in self.segments
        ]

    def series(self) -> list[dict[str, object]]:
        return [
            {"name": label, "data": [self.counts.get((segment, tier), 0) for tier, _label in self.tiers]}
            for segment, label in self.segments
        ]


def account_mix(viewer: Viewer, *, cap: int = MIX_CAP) -> AccountMix:
    visible_ids = accounts_visible(viewer).order_by().values("pk")[:cap]
    rows = Account.objects.filter(pk__in=visible_ids).order_by().values_list("segment", "tier").annotate(n=Count("pk"))
    counts = {(segment, tier or ""): n for segment, tier, n in rows}
    total = sum(counts.values())
    return AccountMix(
        tiers=[*[(str(code), str(label)) for code, label in Tier.choices], ("", _("No tier"))],
        segments=[(str(code), str(label)) for code, label in Segment.choices],
        counts=counts,
        total=total,
        capped=total >= cap,
    )
