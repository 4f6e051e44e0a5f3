"""Accounts (customers) and their iron-triangle account team."""

from __future__ import annotations

from decimal import Decimal

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


class MatrixClass(models.TextChoices):
    CORE = "core", _("Core")
    GROWTH = "growth", _("Growth")
    TRACTION = "traction", _("Traction")
    PROBLEM = "problem", _("Problem")


class PotentialBasis(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    DRIVERS = "drivers", _("Estimated from purchase drivers")


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
    potential_basis = models.CharField(
        _("potential basis"), max_length=10, choices=PotentialBasis.choices, default=PotentialBasis.MANUAL
    )
    external_id = models.CharField(_("external id"), max_length=100, blank=True)
    listed_in_ranking = models.BooleanField(_("listed in a ranking"), default=False)
    high_willingness_to_pay = models.BooleanField(_("high willingness to pay"), default=False)
    # Computed by the services, never written by a client: see accounts/profiling.py.
    relationship_score = models.PositiveSmallIntegerField(_("relationship strength"), default=0)
    matrix_class = models.CharField(
        _("customer matrix"), max_length=10, choices=MatrixClass.choices, default=MatrixClass.PROBLEM
    )
    ka_rule = models.CharField(_("KA profile rule"), max_length=30, blank=True)
    segment_confirmed_at = models.DateTimeField(_("segment confirmed at"), null=True, blank=True)
    segment_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("segment confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The name reduced for duplicate detection (width, case, spaces, company suffixes).
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)
    # Materialised path of ids from the root ("/3/17/"), so a group's whole tree is one prefix match.
    tree_path = models.CharField(max_length=1000, blank=True, editable=False, db_index=True)

    # Lookup keys are bookkeeping: the change of name that moved them is already in the history.
    HISTORY_HIDDEN_FIELDS = BusinessModel.HISTORY_HIDDEN_FIELDS | {"name_key", "tree_path"}
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
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="account_external_id_unique"
            ),
            models.CheckConstraint(condition=Q(matrix_class__in=MatrixClass.values), name="account_matrix_valid"),
            models.CheckConstraint(condition=Q(relationship_score__lte=100), name="account_relationship_score_max"),
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
            models.Index(fields=["matrix_class", "name"], name="account_matrix_name"),
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


class KaRuleKind(models.TextChoices):
    GLOBAL = "global", _("Global key account")
    NATIONAL = "national", _("National key account")
    REGIONAL = "regional", _("Regional key account")
    HIGH_WILLINGNESS = "high_willingness", _("High willingness-to-pay account")


class KaProfileRule(models.Model):
    """One KA profile (seed 004). An account matching an enabled rule is proposed as KA; a person confirms."""

    code = models.CharField(_("rule"), max_length=30, unique=True, choices=KaRuleKind.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    priority = models.PositiveSmallIntegerField(_("priority"), default=10, help_text=_("Lower is checked first."))
    coverage = models.CharField(
        _("coverage"), max_length=20, choices=Coverage.choices, blank=True, help_text=_("Empty: any coverage.")
    )
    min_annual_revenue = MoneyField(_("minimum annual revenue"), null=True, blank=True)
    requires_region = models.BooleanField(_("requires a home region"), default=False)
    requires_ranking = models.BooleanField(_("requires a ranking listing"), default=False)
    requires_high_willingness = models.BooleanField(_("requires high willingness to pay"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("KA profile rule")
        verbose_name_plural = _("KA profile rules")
        ordering = ["priority", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_annual_revenue__isnull=True) | Q(min_annual_revenue__gte=0),
                name="ka_rule_revenue_not_negative",
            )
        ]

    def __str__(self) -> str:
        return str(self.get_code_display())


class MatrixSettings(models.Model):
    """Thresholds of the customer matrix (seed 003); one row. Changing them re-classifies every account."""

    potential_threshold = MoneyField(_("high potential from"), default=Decimal("10000000.00"))
    strength_threshold = models.PositiveSmallIntegerField(_("strong relationship from (score)"), default=60)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer matrix settings")
        verbose_name_plural = _("customer matrix settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="matrix_settings_single_row"),
            models.CheckConstraint(condition=Q(strength_threshold__lte=100), name="matrix_strength_max"),
        ]

    def __str__(self) -> str:
        return str(_("Customer matrix settings"))


class PurchaseDriver(BusinessModel):
    """A driver of the customer's purchases and its volume, converted into purchase volume (seed 003)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="purchase_drivers")
    name = models.CharField(_("driver"), max_length=100)
    volume = models.DecimalField(_("volume"), max_digits=18, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    factor = models.DecimalField(_("purchase per unit per year"), max_digits=18, decimal_places=4)
    as_of = models.DateField(_("as of"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("purchase driver")
        verbose_name_plural = _("purchase drivers")
        constraints = [
            models.CheckConstraint(condition=Q(volume__gte=0), name="driver_volume_not_negative"),
            models.CheckConstraint(condition=Q(factor__gte=0), name="driver_factor_not_negative"),
        ]
        indexes = [models.Index(fields=["account", "id"], name="driver_account")]

    def __str__(self) -> str:
        return self.name

    @property
    def contribution(self) -> Decimal:
        return (self.volume * self.factor).quantize(Decimal("0.01"))


class InfoKind(models.TextChoices):
    PRODUCTION = "production", _("Production")
    EQUIPMENT = "equipment", _("Equipment")
    BUSINESS = "business", _("Business")


class CustomerInfo(BusinessModel):
    """A dated fact about the customer's production, equipment or business (seed 001)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="information")
    kind = models.CharField(_("kind"), max_length=20, choices=InfoKind.choices)
    title = models.CharField(_("title"), max_length=200)
    detail = models.TextField(_("detail"), max_length=5000, blank=True)
    recorded_on = models.DateField(_("recorded on"))
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("customer information")
        verbose_name_plural = _("customer information")
        constraints = [models.CheckConstraint(condition=Q(kind__in=InfoKind.values), name="customer_info_kind_valid")]
        indexes = [models.Index(fields=["account", "-recorded_on"], name="customer_info_account_date")]

    def __str__(self) -> str:
        return self.title


class OwnershipKind(models.TextChoices):
    CLAIM = "claim", _("Claim")
    TRANSFER = "transfer", _("Transfer")


class OwnershipStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OwnershipRequest(models.Model):
    """A unit's claim on an account, or an owner's request to hand it over; the middle office decides."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="ownership_requests")
    kind = models.CharField(_("kind"), max_length=10, choices=OwnershipKind.choices)
    from_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    to_unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("to"))
    new_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("new owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ownership_requests"
    )
    reason = models.TextField(_("reason"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=OwnershipStatus.choices, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ownership request")
        verbose_name_plural = _("ownership requests")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "to_unit"], condition=Q(status="pending"), name="ownership_one_pending_per_unit"
            ),
            models.CheckConstraint(condition=~Q(from_unit=models.F("to_unit")), name="ownership_units_differ"),
            models.CheckConstraint(condition=Q(status__in=OwnershipStatus.values), name="ownership_status_valid"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False), name="ownership_decided_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="ownership_status_created"),
            models.Index(fields=["account", "-created_at"], name="ownership_account_created"),
        ]

    def __str__(self) -> str:
        return f"{self.account} → {self.to_unit}"


_ENUMS: dict[str, type[models.TextChoices]] = {
    "account.coverage": Coverage,
    "account.segment": Segment,
    "account.tier": Tier,
    "account.purchase_pattern": PurchasePattern,
    "account.lifecycle_stage": LifecycleStage,
    "account.strategic_fit": StrategicFit,
    "account_team.role": TeamRole,
    "account.matrix_class": MatrixClass,
    "account.potential_basis": PotentialBasis,
    "account.ka_rule": KaRuleKind,
    "customer_info.kind": InfoKind,
    "ownership_request.kind": OwnershipKind,
    "ownership_request.status": OwnershipStatus,
}
for _name, _choices in _ENUMS.items():
    register_enum(_name, _choices)
