"""The cathedral of customer relationships (SPEC §3): key people, general contact, organisational ties."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from irontriangle.common.enums import register_enum
from irontriangle.common.models import BusinessModel


class BuyingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("Decision maker")
    ECONOMIC_BUYER = "economic_buyer", _("Economic buyer")
    TECHNICAL_EVALUATOR = "technical_evaluator", _("Technical evaluator")
    USER = "user", _("User")
    PROCUREMENT = "procurement", _("Procurement")
    FINANCE = "finance", _("Finance")
    LEGAL = "legal", _("Legal")
    RISK_AUDIT = "risk_audit", _("Risk and audit")
    SUPERVISOR_THIRD_PARTY = "supervisor_third_party", _("Supervisor / third party")
    EXECUTIVE = "executive", _("Executive")


class Stance(models.TextChoices):
    SUPPORTER = "supporter", _("Supporter")
    NEUTRAL = "neutral", pgettext_lazy("stance", "Neutral")
    OPPONENT = "opponent", _("Opponent")


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


LEVEL_ORDER: dict[str, int] = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}
STANCE_ORDER: dict[str, int] = {Stance.OPPONENT: 0, Stance.NEUTRAL: 1, Stance.SUPPORTER: 2}


class ContactStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("contact status", "Active")
    MOVED = "moved", _("Moved")
    PROMOTED = "promoted", _("Promoted")
    LEFT = "left", _("Left")


class Contact(BusinessModel):
    """A person at the customer: where they sit, what part they play in buying, and how they stand with us."""

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="contacts"
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=100)
    title = models.CharField(pgettext_lazy("job", "title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    reports_to = models.ForeignKey(
        "self", verbose_name=_("reports to"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), max_length=200, blank=True)
    wechat = models.CharField(_("WeChat"), max_length=100, blank=True)
    # Comma-separated codes of BuyingRole, kept sorted: filterable as whole tokens on every database.
    buying_roles = models.CharField(_("buying roles"), max_length=300, blank=True)
    influence = models.PositiveSmallIntegerField(
        _("influence"), default=3, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices, default=Stance.NEUTRAL)
    intimacy = models.CharField(_("intimacy"), max_length=10, choices=Level.choices, default=Level.LOW)
    support = models.CharField(_("support"), max_length=10, choices=Level.choices, default=Level.LOW)
    is_key = models.BooleanField(_("key person"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=ContactStatus.choices, default=ContactStatus.ACTIVE)
    status_changed_on = models.DateField(_("status since"), null=True, blank=True)
    status_note = models.CharField(_("status note"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(condition=Q(influence__gte=1, influence__lte=5), name="contact_influence_range"),
            models.CheckConstraint(condition=Q(stance__in=Stance.values), name="contact_stance_valid"),
            models.CheckConstraint(condition=Q(intimacy__in=Level.values), name="contact_intimacy_valid"),
            models.CheckConstraint(condition=Q(support__in=Level.values), name="contact_support_valid"),
            models.CheckConstraint(condition=Q(status__in=ContactStatus.values), name="contact_status_valid"),
            models.UniqueConstraint(
                fields=["external_id"], condition=~Q(external_id=""), name="contact_external_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "name"], name="contact_account_name"),
            models.Index(fields=["name", "id"], name="contact_name_id"),
            models.Index(fields=["updated_at", "id"], name="contact_updated_id"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def roles(self) -> list[str]:
        return [role for role in self.buying_roles.split(",") if role]

    def get_roles_display(self) -> list[str]:
        labels = dict(BuyingRole.choices)
        return [str(labels.get(role, role)) for role in self.roles]


class ContactOwner(models.Model):
    """Who at our company owns the relationship with a contact: one primary and backups (seed 000)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="owners")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="owned_contacts")
    is_primary = models.BooleanField(_("primary"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relationship owner")
        verbose_name_plural = _("relationship owners")
        constraints = [
            models.UniqueConstraint(fields=["contact", "user"], name="contact_owner_unique"),
            models.UniqueConstraint(fields=["contact"], condition=Q(is_primary=True), name="contact_owner_one_primary"),
        ]
        indexes = [models.Index(fields=["user", "contact"], name="contact_owner_user")]

    def __str__(self) -> str:
        return f"{self.user} → {self.contact}"


class PlanStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("plan status", "Active")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class RelationshipPlan(BusinessModel):
    """How a relationship should move: from where it stands to a target, through dated actions."""

    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="plans")
    goal = models.CharField(_("goal"), max_length=300)
    # Where the relationship stood when the plan was made, so progress is measured from there.
    start_intimacy = models.CharField(_("intimacy at start"), max_length=10, choices=Level.choices)
    start_support = models.CharField(_("support at start"), max_length=10, choices=Level.choices)
    start_stance = models.CharField(_("stance at start"), max_length=10, choices=Stance.choices)
    target_intimacy = models.CharField(_("target intimacy"), max_length=10, choices=Level.choices)
    target_support = models.CharField(_("target support"), max_length=10, choices=Level.choices)
    target_stance = models.CharField(_("target stance"), max_length=10, choices=Stance.choices)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)

    class Meta:
        verbose_name = _("relationship plan")
        verbose_name_plural = _("relationship plans")
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(status="active", deleted_at__isnull=True),
                name="relationship_plan_one_active",
            ),
        ]

    def __str__(self) -> str:
        return self.goal


class PlanAction(BusinessModel):
    plan = models.ForeignKey(RelationshipPlan, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="relationship_actions",
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class InteractionKind(models.TextChoices):
    VISIT = "visit", _("Visit")
    MEAL = "meal", _("Meal")
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EXHIBITION = "exhibition", _("Exhibition")
    SITE_TOUR = "site_tour", _("Site tour")


# Meeting the customer in person counts towards the weekly visit cadence; a call does not.
FACE_TO_FACE = (
    InteractionKind.VISIT,
    InteractionKind.MEAL,
    InteractionKind.MEETING,
    InteractionKind.EXHIBITION,
    InteractionKind.SITE_TOUR,
)


class Interaction(BusinessModel):
    """One contact with the customer (general relationship): what was said, with whom, what comes next."""

    kind = models.CharField(_("kind"), max_length=20, choices=InteractionKind.choices, default=InteractionKind.VISIT)
    occurred_at = models.DateTimeField(_("when"), db_index=True)
    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="interactions"
    )
    contacts = models.ManyToManyField(Contact, verbose_name=_("contacts met"), blank=True, related_name="interactions")
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("who went"), blank=True, related_name="interactions"
    )
    # The deal it served: its contacts met tell whether the deal is single-threaded.
    opportunity = models.ForeignKey(
        "pipeline.Opportunity",
        verbose_name=_("opportunity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interactions",
    )
    minutes = models.TextField(_("minutes"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    # Minutes, next steps and the names involved in one column: what full-text search indexes.
    search_text = models.TextField(blank=True, editable=False)

    HISTORY_HIDDEN_FIELDS = BusinessModel.HISTORY_HIDDEN_FIELDS | {"search_text"}

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=InteractionKind.values), name="interaction_kind_valid")
        ]
        indexes = [
            models.Index(fields=["account", "occurred_at"], name="interaction_account_when"),
            models.Index(fields=["occurred_at", "id"], name="interaction_when_id"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.account} · {self.occurred_at:%Y-%m-%d}"


class OrgActivityKind(models.TextChoices):
    STRATEGIC_ALIGNMENT_MEETING = "strategic_alignment_meeting", _("Strategic alignment meeting")
    EXECUTIVE_VISIT = "executive_visit", _("Executive mutual visit")
    STRATEGIC_AGREEMENT = "strategic_agreement", _("Strategic cooperation agreement")
    JOINT_INNOVATION_CENTRE = "joint_innovation_centre", _("Joint innovation centre")


class OrgActivity(BusinessModel):
    """Company-to-company relationship work with S and A accounts (the organisational layer)."""

    kind = models.CharField(_("kind"), max_length=40, choices=OrgActivityKind.choices)
    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="org_activities"
    )
    occurred_on = models.DateField(_("date"), db_index=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("our participants"), blank=True, related_name="org_activities"
    )
    contacts = models.ManyToManyField(
        Contact, verbose_name=_("customer participants"), blank=True, related_name="org_activities"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    # Strategic agreements: the key projects of the next two years it fences in, exclusivity, validity.
    key_projects = models.TextField(_("key projects"), blank=True)
    exclusive = models.BooleanField(_("exclusive"), default=False)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("organisational activity")
        verbose_name_plural = _("organisational activities")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=OrgActivityKind.values), name="org_activity_kind_valid")
        ]
        indexes = [models.Index(fields=["account", "kind", "occurred_on"], name="org_activity_account_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.account} · {self.occurred_on}"


class OrgCadenceTarget(models.Model):
    """How many activities of a kind a year an account of a tier should get (seed 001)."""

    kind = models.CharField(_("kind"), max_length=40, choices=OrgActivityKind.choices)
    tier = models.CharField(_("tier"), max_length=1)
    per_year = models.PositiveSmallIntegerField(_("per year"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisational cadence target")
        verbose_name_plural = _("organisational cadence targets")
        ordering = ["kind", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "tier"], name="org_cadence_target_unique"),
            models.CheckConstraint(condition=Q(per_year__lte=52), name="org_cadence_target_max"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.tier.upper()} · {self.per_year}"


class RelationshipSettings(models.Model):
    """Relationship cadences (one row): weekly visits per person, how long a key contact may go unmet."""

    weekly_visit_target = models.PositiveSmallIntegerField(_("customer visits per person per week"), default=5)
    key_contact_stale_days = models.PositiveSmallIntegerField(_("key contact unmet after (days)"), default=60)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relationship settings")
        verbose_name_plural = _("relationship settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="relationship_settings_single_row"),
            models.CheckConstraint(condition=Q(weekly_visit_target__lte=100), name="relationship_visit_target_max"),
            models.CheckConstraint(
                condition=Q(key_contact_stale_days__gte=1, key_contact_stale_days__lte=3650),
                name="relationship_stale_days_range",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Relationship settings"))


class NineGridCell(models.Model):
    """The recommended action for key contacts in one cell of the intimacy × support grid."""

    intimacy = models.CharField(_("intimacy"), max_length=10, choices=Level.choices)
    support = models.CharField(_("support"), max_length=10, choices=Level.choices)
    action_en = models.CharField(_("action (English)"), max_length=300)
    action_zh = models.CharField(_("action (Chinese)"), max_length=300)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nine-grid action")
        verbose_name_plural = _("nine-grid actions")
        constraints = [models.UniqueConstraint(fields=["intimacy", "support"], name="nine_grid_cell_unique")]

    def __str__(self) -> str:
        return f"{self.get_intimacy_display()} × {self.get_support_display()}"


# The nine key actions of seed 001, in its order: the relationship evaluation checklist.
EVALUATION_ITEMS = (
    ("strategy_set", _("Customer strategy set")),
    ("plan_made", _("Relationship plan made")),
    ("information_maintained", _("Customer information maintained")),
    ("key_relationships_owned", _("Key relationships owned through the nine-grid")),
    ("strategic_agreement", _("Strategic agreement signed and useful")),
    ("satisfaction_survey", _("Yearly satisfaction survey done")),
    ("contact_activities_standardised", _("Contact activities standardised")),
    ("voice_of_customer_closed", _("Voice of the customer closed")),
    ("executive_minutes_timely", _("Executive-visit minutes timely")),
)


class RelationshipEvaluation(BusinessModel):
    """The nine key actions of one account for one year, ticked by the team and reviewed by managers."""

    account = models.ForeignKey(
        "accounts.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="relationship_evaluations"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    strategy_set = models.BooleanField(EVALUATION_ITEMS[0][1], default=False)
    plan_made = models.BooleanField(EVALUATION_ITEMS[1][1], default=False)
    information_maintained = models.BooleanField(EVALUATION_ITEMS[2][1], default=False)
    key_relationships_owned = models.BooleanField(EVALUATION_ITEMS[3][1], default=False)
    strategic_agreement = models.BooleanField(EVALUATION_ITEMS[4][1], default=False)
    satisfaction_survey = models.BooleanField(EVALUATION_ITEMS[5][1], default=False)
    contact_activities_standardised = models.BooleanField(EVALUATION_ITEMS[6][1], default=False)
    voice_of_customer_closed = models.BooleanField(EVALUATION_ITEMS[7][1], default=False)
    executive_minutes_timely = models.BooleanField(EVALUATION_ITEMS[8][1], default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("relationship evaluation")
        verbose_name_plural = _("relationship evaluations")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "year"], condition=Q(deleted_at__isnull=True), name="relationship_evaluation_unique"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="relationship_evaluation_year"),
        ]

    def __str__(self) -> str:
        return f"{self.account} · {self.year}"

    @property
    def checked(self) -> int:
        return sum(1 for key, _label in EVALUATION_ITEMS if getattr(self, key))

    @property
    def score(self) -> int:
        return round(100 * self.checked / len(EVALUATION_ITEMS))


class CadenceAlert(models.Model):
    """An overdue organisational cadence already announced, so each one is announced once."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40, choices=OrgActivityKind.choices)
    due_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "kind", "due_on"], name="cadence_alert_unique")]

    def __str__(self) -> str:
        return f"{self.account_id} · {self.kind} · {self.due_on}"


_ENUMS: dict[str, type[models.TextChoices]] = {
    "contact.buying_role": BuyingRole,
    "contact.stance": Stance,
    "contact.level": Level,
    "contact.status": ContactStatus,
    "interaction.kind": InteractionKind,
    "org_activity.kind": OrgActivityKind,
    "relationship_plan.status": PlanStatus,
}
for _name, _choices in _ENUMS.items():
    register_enum(_name, _choices)
