"""Accounts (customers) and their iron-triangle account team."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from irontriangle.accounts.credit_code import validate_credit_code
from irontriangle.common.enums import register_enum
from irontriangle.common.models import BusinessModel
from irontriangle.common.money import MoneyField


class Coverage(models.TextChoices):
    GLOBAL = "global", _("Global")
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    LOCAL = "local", _("Local")


class Segment(models.TextChoices):
    KA = "ka", _("KA")
    SMB = "smb", _("SMB")


class Tier(models.TextChoices):
    S = "s", _("S · strategic")
    A = "a", _("A · partner")
    B = "b", _("B")
    C = "c", _("C")


class PurchasePattern(models.TextChoices):
    CONTINUOUS = "continuous", _("Continuous")
    OCCASIONAL = "occasional", _("Occasional")


class LifecycleStage(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    RISING = "rising", _("Rising")
    STABLE = "stable", _("Stable")
    DECLINING = "declining", _("Declining")


class StrategicFit(models.TextChoices):
    ALIGNED = "aligned", _("Aligned")
    NEUTRAL = "neutral", _("Neutral")
    DIVERGENT = "divergent", _("Divergent")


class TeamRole(models.TextChoices):
    AR = "ar", _("AR · account manager")
    SR = "sr", _("SR · solution manager")
    FR = "fr", _("FR · fulfilment manager")
    EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")
    OTHER = "other", _("Other")


class Account(BusinessModel):
    name = models.CharField(_("name"), max_length=200)
    legal_name = models.CharField(_("legal name"), max_length=200, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_credit_code]
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent account"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    coverage = models.CharField(_("coverage"), max_length=20, choices=Coverage.choices, blank=True)
    annual_revenue = MoneyField(_("annual revenue"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    website = models.URLField(_("website"), max_length=300, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    segment = models.CharField(_("segment"), max_length=10, choices=Segment.choices, default=Segment.SMB)
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, blank=True)
    purchase_pattern = models.CharField(
        _("purchase pattern"), max_length=20, choices=PurchasePattern.choices, blank=True
    )
    on_vendor_list = models.BooleanField(_("on the vendor list"), default=False)
    lifecycle_stage = models.CharField(
        _("relationship lifecycle"), max_length=20, choices=LifecycleStage.choices, default=LifecycleStage.EXPLORING
    )
    strategic_fit = models.CharField(
        _("strategic fit"), max_length=20, choices=StrategicFit.choices, default=StrategicFit.NEUTRAL
    )
    cash_flow_customer = models.BooleanField(_("cash-flow customer"), default=False)
    potential = MoneyField(_("potential per year"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    owner_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="accounts"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (AR)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_accounts",
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        constraints = [
            # Unique among live and trashed accounts alike, so restoring one can never clash.
            models.UniqueConstraint(
                fields=["credit_code"], condition=~Q(credit_code=""), name="account_credit_code_unique"
            ),
            models.CheckConstraint(
                condition=Q(annual_revenue__isnull=True) | Q(annual_revenue__gte=0), name="account_revenue_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(potential__isnull=True) | Q(potential__gte=0), name="account_potential_not_negative"
            ),
            models.CheckConstraint(condition=Q(segment__in=Segment.values), name="account_segment_valid"),
            models.CheckConstraint(condition=Q(tier__in=[*Tier.values, ""]), name="account_tier_valid"),
        ]
        indexes = [
            models.Index(fields=["name", "id"], name="account_name_id"),
            models.Index(fields=["updated_at", "id"], name="account_updated_id"),
            models.Index(fields=["owner_unit", "name"], name="account_unit_name"),
        ]

    def __str__(self) -> str:
        return self.name


class AccountTeamMember(models.Model):
    """A person on the account team (iron triangle plus sponsors); membership grants visibility."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_teams")
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    is_primary = models.BooleanField(_("primary"), default=True)
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("account team member")
        verbose_name_plural = _("account team members")
        constraints = [
            models.UniqueConstraint(fields=["account", "user", "role"], name="account_team_unique_role"),
            models.UniqueConstraint(
                fields=["account", "role"],
                condition=Q(is_primary=True, ended_on__isnull=True),
                name="account_team_one_primary_per_role",
            ),
        ]
        indexes = [models.Index(fields=["user", "account"], name="account_team_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


_ENUMS: dict[str, type[models.TextChoices]] = {
    "account.coverage": Coverage,
    "account.segment": Segment,
    "account.tier": Tier,
    "account.purchase_pattern": PurchasePattern,
    "account.lifecycle_stage": LifecycleStage,
    "account.strategic_fit": StrategicFit,
    "account_team.role": TeamRole,
}
for _name, _choices in _ENUMS.items():
    register_enum(_name, _choices)
