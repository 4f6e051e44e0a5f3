"""Acquire and win (SPEC §4, §5): sales processes, leads, opportunities and everything around a deal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from irontriangle.accounts.models import Account, PurchasePattern, Segment
from irontriangle.common.enums import register_enum
from irontriangle.common.models import BusinessModel
from irontriangle.relationships.models import Contact


def localised(record: models.Model, field: str) -> str:
    """The Chinese or English text of a configurable label, falling back to the other language."""
    zh, en = getattr(record, f"{field}_zh"), getattr(record, f"{field}_en")
    if (get_language() or "").lower().startswith("zh"):
        return zh or en
    return en or zh


# --- configuration -----------------------------------------------------------------------------------


class ForecastCategory(models.TextChoices):
    COMMIT = "commit", _("Commit")
    BEST_CASE = "best_case", _("Best case")
    PIPELINE = "pipeline", _("Pipeline")
    OMITTED = "omitted", _("Omitted")


class Outcome(models.TextChoices):
    OPEN = "", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class SalesProcess(models.Model):
    """A segment's way of selling: its stages in order, and what each stage asks before it is left."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    segment = models.CharField(_("segment"), max_length=3, choices=Segment.choices)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sales process")
        verbose_name_plural = _("sales processes")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self, "name")


class Stage(models.Model):
    process = models.ForeignKey(SalesProcess, on_delete=models.CASCADE, related_name="stages")
    code = models.SlugField(_("code"), max_length=20)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"))
    probability = models.PositiveSmallIntegerField(_("default probability"))
    forecast_category = models.CharField(_("forecast category"), max_length=10, choices=ForecastCategory.choices)
    outcome = models.CharField(_("outcome"), max_length=4, choices=Outcome.choices, blank=True, default="")
    # An optional stage (the KA trial) is only entered when someone names it.
    is_optional = models.BooleanField(_("optional"), default=False)
    # Seed 000: the weight of each triangle role shifts with the stage (AR early, SR in bidding, FR after signing).
    ar_weight = models.PositiveSmallIntegerField(_("AR weight"), default=34)
    sr_weight = models.PositiveSmallIntegerField(_("SR weight"), default=33)
    fr_weight = models.PositiveSmallIntegerField(_("FR weight"), default=33)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["process", "position"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="stage_code_unique"),
            models.UniqueConstraint(fields=["process", "position"], name="stage_position_unique"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="stage_probability_range"),
            models.CheckConstraint(
                condition=Q(ar_weight__lte=100, sr_weight__lte=100, fr_weight__lte=100), name="stage_weights_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process.code} · {self.name}"

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def is_closed(self) -> bool:
        return bool(self.outcome)


class Tool(models.TextChoices):
    """What a checklist item needs. Every tool but `manual` is checked from the data, never ticked."""

    MANUAL = "manual", _("Ticked with evidence")
    BANT_CONFIRMED = "bant_confirmed", _("BANT confirmed")
    POWER_MAP_MAPPED = "power_map_mapped", _("Decision maker on the power map")
    PAIN_CHAIN_RECORDED = "pain_chain_recorded", _("Pain chain recorded")
    GUIDE_IDENTIFIED = "guide_identified", _("Guide who can advise or intervene")
    COMPETITORS_ANALYSED = "competitors_analysed", _("Competitors analysed")
    DECISION_PROCESS_RECORDED = "decision_process_recorded", _("Decision process recorded")
    SR_ASSIGNED = "sr_assigned", _("SR on the team")
    FR_ASSIGNED = "fr_assigned", _("FR on the team")
    QUOTE_APPROVED = "quote_approved", _("Quote approved")
    PROCUREMENT_COVERED = "procurement_covered", _("Procurement stakeholders covered")
    MULTI_THREADED = "multi_threaded", _("More than one contact met")
    MILESTONES_AGREED = "milestones_agreed", _("Contract with payment milestones")


class ChecklistItem(models.Model):
    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("key"), max_length=40)
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_zh = models.CharField(_("label (Chinese)"), max_length=200)
    required = models.BooleanField(_("required to leave the stage"), default=False)
    tool = models.CharField(_("checked by"), max_length=30, choices=Tool.choices, default=Tool.MANUAL)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["stage__position", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["stage", "key"], name="checklist_item_key_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return localised(self, "label")


class PipelineSettings(models.Model):
    """One row: the margin floor below which a quote also needs a manager."""

    margin_floor_percent = models.DecimalField(_("margin floor (%)"), max_digits=5, decimal_places=2, default=15)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pipeline settings")
        verbose_name_plural = _("pipeline settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(margin_floor_percent__gte=-100, margin_floor_percent__lte=100), name="margin_floor_range"
            )
        ]

    def __str__(self) -> str:
        return str(_("Pipeline settings"))


class ProcurementTemplate(models.Model):
    """How a kind of customer buys (seed 004): the steps and the stakeholders at each."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_zh = models.CharField(_("name (Chinese)"), max_length=150)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procurement template")
        verbose_name_plural = _("procurement templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def description(self) -> str:
        return localised(self, "description")


class ProcurementStep(models.Model):
    template = models.ForeignKey(ProcurementTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_zh = models.CharField(_("name (Chinese)"), max_length=150)
    # Buying-role codes of the contacts who take part in this step, comma-separated like a contact's.
    stakeholder_roles = models.CharField(_("stakeholder roles"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("procurement step")
        verbose_name_plural = _("procurement steps")
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "position"], name="procurement_step_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self, "name")

    @property
    def roles(self) -> list[str]:
        return [code for code in self.stakeholder_roles.split(",") if code]


# --- leads -------------------------------------------------------------------------------------------


class LeadSource(models.TextChoices):
    EXHIBITION = "exhibition", _("Exhibition")
    REFERRAL = "referral", _("Referral")
    INTERNET = "internet", _("Internet")
    ALLIANCE = "alliance", _("Alliance")
    INBOUND = "inbound", _("Inbound")
    OUTBOUND = "outbound", _("Outbound")
    PARTNER = "partner", _("Partner")


class LeadStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("lead status", "New")
    WORKING = "working", _("Working")
    QUALIFIED = "qualified", _("Qualified")
    DISQUALIFIED = "disqualified", _("Disqualified")
    CONVERTED = "converted", _("Converted")


class BantState(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    PARTIAL = "partial", _("Partial")
    CONFIRMED = "confirmed", _("Confirmed")


BANT = ("budget", "authority", "need", "timeline")
SPIN = ("situation", "problem", "implication", "need_payoff")


class Lead(BusinessModel):
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=12, choices=LeadSource.choices)
    scenario = models.CharField(_("purchase scenario"), max_length=12, choices=PurchasePattern.choices)
    segment = models.CharField(_("segment"), max_length=3, choices=Segment.choices, default=Segment.KA)
    account = models.ForeignKey(
        Account, verbose_name=_("account"), null=True, blank=True, on_delete=models.PROTECT, related_name="leads"
    )
    # A lead may come before its account exists: the company as the lead names it.
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="leads"
    )
    owner_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="leads"
    )
    status = models.CharField(_("status"), max_length=12, choices=LeadStatus.choices, default=LeadStatus.NEW)
    estimated_amount = models.DecimalField(
        _("estimated amount"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    bant_budget = models.CharField(_("budget"), max_length=10, choices=BantState.choices, default="unknown")
    bant_authority = models.CharField(_("authority"), max_length=10, choices=BantState.choices, default="unknown")
    bant_need = models.CharField(_("need"), max_length=10, choices=BantState.choices, default="unknown")
    bant_timeline = models.CharField(_("timeline"), max_length=10, choices=BantState.choices, default="unknown")
    budget_evidence = models.TextField(_("budget evidence"), blank=True)
    authority_evidence = models.TextField(_("authority evidence"), blank=True)
    need_evidence = models.TextField(_("need evidence"), blank=True)
    timeline_evidence = models.TextField(_("timeline evidence"), blank=True)
    spin_situation = models.TextField(_("situation"), blank=True)
    spin_problem = models.TextField(_("problem"), blank=True)
    spin_implication = models.TextField(_("implication"), blank=True)
    spin_need_payoff = models.TextField(_("need-payoff"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    disqualified_reason = models.TextField(_("reason for disqualifying"), blank=True)
    converted_at = models.DateTimeField(_("converted at"), null=True, blank=True)
    conversion_override_reason = models.TextField(_("override reason"), blank=True)

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        constraints = [
            models.CheckConstraint(condition=Q(source__in=LeadSource.values), name="lead_source_valid"),
            models.CheckConstraint(condition=Q(status__in=LeadStatus.values), name="lead_status_valid"),
            models.CheckConstraint(condition=Q(scenario__in=PurchasePattern.values), name="lead_scenario_valid"),
            models.CheckConstraint(
                condition=Q(bant_budget__in=BantState.values)
                & Q(bant_authority__in=BantState.values)
                & Q(bant_need__in=BantState.values)
                & Q(bant_timeline__in=BantState.values),
                name="lead_bant_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="converted") | Q(converted_at__isnull=False), name="lead_converted_has_date"
            ),
        ]
        indexes = [
            models.Index(fields=["owner", "status"], name="lead_owner_status"),
            models.Index(fields=["account"], name="lead_account"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def missing_bant(self) -> list[str]:
        """The letters of BANT not yet confirmed, in order: `["T"]` when only the timeline is open."""
        return [name[0].upper() for name in BANT if getattr(self, f"bant_{name}") != BantState.CONFIRMED]


class FollowUpKind(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    EMAIL = "email", _("E-mail")
    MESSAGE = "message", _("Message")
    MEETING = "meeting", _("Meeting")


class LeadFollowUp(models.Model):
    """A row of the lead follow-up record table (seed 003)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField(_("kind"), max_length=10, choices=FollowUpKind.choices, default=FollowUpKind.CALL)
    occurred_on = models.DateField(_("date"))
    note = models.TextField(_("what happened"))
    next_step = models.TextField(_("next step"), blank=True)
    next_on = models.DateField(_("next step on"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.lead_id} · {self.occurred_on}"


# --- opportunities -------------------------------------------------------------------------------------


class ProjectType(models.TextChoices):
    COMPANY_LED = "company_led", _("Company-led")
    PARTNER_LED = "partner_led", _("Partner-led")
    STANDARD_PRODUCT = "standard_product", _("Standard product")


class LeadBasis(models.TextChoices):
    RESPONSIBILITY = "responsibility", _("By responsibility")
    INTEREST = "interest", _("By interest")
    RELATIONSHIP = "relationship", _("By relationship")


class Opportunity(BusinessModel):
    account = models.ForeignKey(
        Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="opportunities"
    )
    name = models.CharField(_("name"), max_length=200)
    process = models.ForeignKey(SalesProcess, verbose_name=_("sales process"), on_delete=models.PROTECT)
    stage = models.ForeignKey(Stage, verbose_name=_("stage"), on_delete=models.PROTECT, related_name="+")
    stage_entered_at = models.DateTimeField(_("in this stage since"))
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    probability = models.PositiveSmallIntegerField(_("probability (%)"))
    forecast_category = models.CharField(_("forecast category"), max_length=10, choices=ForecastCategory.choices)
    project_type = models.CharField(
        _("project type"), max_length=20, choices=ProjectType.choices, default=ProjectType.COMPANY_LED
    )
    lead_source = models.CharField(_("lead source"), max_length=12, choices=LeadSource.choices, blank=True)
    lead = models.OneToOneField(
        Lead, verbose_name=_("lead"), null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunity"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="opportunities"
    )
    decision_process_notes = models.TextField(_("customer's decision process"), blank=True)
    win_loss_reason = models.TextField(_("win / loss reason"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    lead_basis = models.CharField(_("lead team basis"), max_length=16, choices=LeadBasis.choices, blank=True)
    lead_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("lead team"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_opportunities",
    )
    procurement_template = models.ForeignKey(
        ProcurementTemplate,
        verbose_name=_("procurement template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opportunities",
    )
    # Kept current by every write that can change the checklist, so lists never compute it per row.
    checklist_done = models.PositiveSmallIntegerField(_("checklist items done"), default=0)
    checklist_total = models.PositiveSmallIntegerField(_("checklist items"), default=0)
    checklist_score = models.PositiveSmallIntegerField(_("checklist score"), default=0)
    # The current quote's figures: restricted fields (pipeline/margins.py).
    margin = models.DecimalField(_("margin"), max_digits=18, decimal_places=2, null=True, blank=True)
    margin_percent = models.DecimalField(_("margin (%)"), max_digits=7, decimal_places=2, null=True, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="opportunity_amount_not_negative"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="opportunity_probability_range"),
            models.CheckConstraint(
                condition=Q(forecast_category__in=ForecastCategory.values), name="opportunity_forecast_valid"
            ),
            models.CheckConstraint(condition=Q(project_type__in=ProjectType.values), name="opportunity_type_valid"),
            models.CheckConstraint(condition=Q(checklist_score__lte=100), name="opportunity_score_range"),
        ]
        indexes = [
            models.Index(fields=["account", "stage"], name="opportunity_account_stage"),
            models.Index(fields=["process", "stage"], name="opportunity_process_stage"),
            models.Index(fields=["owner"], name="opportunity_owner"),
            models.Index(fields=["expected_close"], name="opportunity_close"),
            # The default order of the opportunity list: a page is read off this index, not sorted.
            models.Index(fields=["updated_at", "id"], name="opportunity_updated_id"),
        ]

    HISTORY_HIDDEN_FIELDS = BusinessModel.HISTORY_HIDDEN_FIELDS | {
        "checklist_done",
        "checklist_total",
        "checklist_score",
        "stage_entered_at",
    }

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.stage.is_closed


class OpportunityRole(models.TextChoices):
    AR = "ar", _("AR · account manager")
    SR = "sr", _("SR · solution manager")
    FR = "fr", _("FR · fulfilment manager")
    PRESALES = "presales", _("Presales")
    EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive sponsor")
    PARTNER = "partner", _("Partner")


class OpportunityTeamMember(models.Model):
    """A person on the deal's team; membership lets them see this opportunity and the account's basics."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="team_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunity_teams")
    role = models.CharField(_("role"), max_length=20, choices=OpportunityRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("opportunity team member")
        verbose_name_plural = _("opportunity team members")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "user", "role"], name="opportunity_team_unique_role"),
            models.CheckConstraint(condition=Q(role__in=OpportunityRole.values), name="opportunity_team_role_valid"),
        ]
        indexes = [models.Index(fields=["user", "opportunity"], name="opportunity_team_user")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class GuideLevel(models.TextChoices):
    INTERVENE = "intervene", _("Can intervene")
    ADVISE = "advise", _("Can advise")
    INFORM = "inform", _("Gives information")


class Guide(models.Model):
    """A customer insider who helps us (向导)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="guides")
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="guiding")
    level = models.CharField(_("level"), max_length=10, choices=GuideLevel.choices)
    cost_notes = models.TextField(_("cost notes"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("guide")
        verbose_name_plural = _("guides")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "contact"], name="guide_unique_contact"),
            models.CheckConstraint(condition=Q(level__in=GuideLevel.values), name="guide_level_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} · {self.get_level_display()}"


class Threat(models.TextChoices):
    LOW = "low", pgettext_lazy("threat", "Low")
    MEDIUM = "medium", pgettext_lazy("threat", "Medium")
    HIGH = "high", pgettext_lazy("threat", "High")


class Competitor(models.Model):
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="competitors")
    name = models.CharField(_("name"), max_length=200)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)
    threat = models.CharField(_("threat"), max_length=6, choices=Threat.choices, default=Threat.MEDIUM)
    strategy = models.TextField(_("how we win"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "name"], name="competitor_unique_name"),
            models.CheckConstraint(condition=Q(threat__in=Threat.values), name="competitor_threat_valid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_analysed(self) -> bool:
        return bool(self.strengths.strip() and self.weaknesses.strip())


class PainChainLink(models.Model):
    """A contact's pain, its cause and what it costs others in the customer (痛苦链)."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="pain_chain")
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="pains")
    pain = models.TextField(_("pain"))
    cause = models.TextField(_("cause"), blank=True)
    consequence = models.TextField(_("consequence for others"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("pain chain link")
        verbose_name_plural = _("pain chain")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.pain[:60]


class ChecklistTick(models.Model):
    """A manual checklist item marked done, with its evidence."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="ticks")
    key = models.SlugField(_("item"), max_length=40)
    done = models.BooleanField(_("done"), default=True)
    evidence = models.TextField(_("evidence"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist tick")
        verbose_name_plural = _("checklist ticks")
        constraints = [models.UniqueConstraint(fields=["opportunity", "key"], name="checklist_tick_unique")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} · {self.key}"


class StageChange(models.Model):
    """Every move between stages: the funnel's conversions and the audit of overrides come from here."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(Stage, null=True, on_delete=models.PROTECT, related_name="+")
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    override_reason = models.TextField(_("override reason"), blank=True)
    # The required items that were still open when a manager overrode the gate.
    overridden = models.JSONField(_("items overridden"), default=list, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["to_stage", "opportunity"], name="stage_change_to")]

    def __str__(self) -> str:
        return f"{self.opportunity_id}: {self.from_stage_id} → {self.to_stage_id}"


# --- quotes and splits ---------------------------------------------------------------------------------


class QuoteStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the SR")
    PENDING_MANAGER = "pending_manager", _("Waiting for a manager")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Quote(BusinessModel):
    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.PROTECT, related_name="quotes"
    )
    number = models.PositiveIntegerField(_("number"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    status = models.CharField(_("status"), max_length=16, choices=QuoteStatus.choices, default=QuoteStatus.DRAFT)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    total = models.DecimalField(_("total"), max_digits=18, decimal_places=2, default=0)
    # Restricted (pipeline/margins.py): the cost behind the price and what is left.
    cost = models.DecimalField(_("cost"), max_digits=18, decimal_places=2, default=0)
    margin = models.DecimalField(_("margin"), max_digits=18, decimal_places=2, default=0)
    margin_percent = models.DecimalField(_("margin (%)"), max_digits=7, decimal_places=2, null=True, blank=True)
    below_floor = models.BooleanField(_("below the margin floor"), default=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    sr_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by the SR"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sr_approved_at = models.DateTimeField(_("SR approved at"), null=True, blank=True)
    manager_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by a manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    manager_approved_at = models.DateTimeField(_("manager approved at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "number"], name="quote_number_unique"),
            models.CheckConstraint(condition=Q(status__in=QuoteStatus.values), name="quote_status_valid"),
            models.CheckConstraint(condition=Q(total__gte=0), name="quote_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"Q-{self.opportunity_id}-{self.number}"

    @property
    def reference(self) -> str:
        return str(self)


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"))
    product = models.CharField(_("product"), max_length=200)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    list_price = models.DecimalField(_("list price"), max_digits=18, decimal_places=2)
    discount = models.DecimalField(_("discount (%)"), max_digits=5, decimal_places=2, default=0)
    unit_cost = models.DecimalField(_("unit cost"), max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("quote line")
        verbose_name_plural = _("quote lines")
        ordering = ["quote", "position"]
        constraints = [
            models.UniqueConstraint(fields=["quote", "position"], name="quote_line_position_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="quote_line_quantity_positive"),
            models.CheckConstraint(condition=Q(list_price__gte=0), name="quote_line_price_not_negative"),
            models.CheckConstraint(condition=Q(unit_cost__gte=0), name="quote_line_cost_not_negative"),
            models.CheckConstraint(condition=Q(discount__gte=0, discount__lte=100), name="quote_line_discount_range"),
        ]

    def __str__(self) -> str:
        return self.product


class SplitKind(models.TextChoices):
    REVENUE = "revenue", _("Revenue")
    OVERLAY = "overlay", _("Overlay")


class Split(models.Model):
    """A share of an opportunity's credit (业绩分配) held by a unit or a person."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="splits")
    unit = models.ForeignKey("org.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="opportunity_splits"
    )
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=8, choices=SplitKind.choices, default=SplitKind.REVENUE)
    agreement_ref = models.CharField(_("agreement"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("split")
        verbose_name_plural = _("splits")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(user__isnull=True))
                | (Q(unit__isnull=True) & Q(user__isnull=False)),
                name="split_one_holder",
            ),
            models.CheckConstraint(condition=Q(percent__gt=0, percent__lte=100), name="split_percent_range"),
            models.CheckConstraint(condition=Q(kind__in=SplitKind.values), name="split_kind_valid"),
        ]
        indexes = [models.Index(fields=["user", "opportunity"], name="split_user")]

    def __str__(self) -> str:
        return f"{self.opportunity_id} · {self.percent}%"


# --- review meetings -----------------------------------------------------------------------------------


class ReviewMeeting(BusinessModel):
    """A periodic opportunity review (seed 002): which deals were looked at, what was decided."""

    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    unit = models.ForeignKey("org.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="+"
    )
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("participants"), blank=True, related_name="review_meetings"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")
        indexes = [models.Index(fields=["unit", "held_on"], name="review_unit_date")]

    def __str__(self) -> str:
        return self.title


class ReviewItem(models.Model):
    meeting = models.ForeignKey(ReviewMeeting, on_delete=models.CASCADE, related_name="items")
    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="reviews"
    )
    decision = models.TextField(_("decision"))
    next_actions = models.TextField(_("next actions"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reviewed opportunity")
        verbose_name_plural = _("reviewed opportunities")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "opportunity"], name="review_item_unique")]

    def __str__(self) -> str:
        return f"{self.meeting_id} · {self.opportunity_id}"


_ENUMS: dict[str, type[models.TextChoices]] = {
    "lead.source": LeadSource,
    "lead.status": LeadStatus,
    "lead.bant_state": BantState,
    "lead.follow_up_kind": FollowUpKind,
    "opportunity.forecast_category": ForecastCategory,
    "opportunity.project_type": ProjectType,
    "opportunity.lead_basis": LeadBasis,
    "opportunity.team_role": OpportunityRole,
    "opportunity.checklist_tool": Tool,
    "guide.level": GuideLevel,
    "competitor.threat": Threat,
    "quote.status": QuoteStatus,
    "split.kind": SplitKind,
}
for _name, _choices in _ENUMS.items():
    register_enum(_name, _choices)
