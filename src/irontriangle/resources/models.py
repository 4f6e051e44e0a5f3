"""Call for fire (SPEC §6, seeds 002 and 000 呼唤炮火): the presales resource pool, resource requests with
their routing, SLA and escalation, support tiers, solution-centre double counting, partners, deal
registration and partner meetings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from irontriangle.accounts.models import Account
from irontriangle.common.enums import register_enum
from irontriangle.common.models import BusinessModel
from irontriangle.pipeline.models import Opportunity, ProjectType


class SupportTier(models.TextChoices):
    TIER1 = "tier1", _("Tier 1 · solution centre, one-stop")
    TIER2 = "tier2", _("Tier 2 · branch technical team or partner presales")
    TIER3 = "tier3", _("Tier 3 · call centre with experts")


class PartnerType(models.TextChoices):
    ISV = "isv", _("Software vendor (ISV)")
    SI = "si", _("System integrator")
    DISTRIBUTOR = "distributor", _("Distributor")
    ECOMMERCE = "ecommerce", _("E-commerce")
    CONSULTANCY = "consultancy", _("Consultancy")


class PartnerTier(models.TextChoices):
    PLATINUM = "platinum", _("Platinum")
    GOLD = "gold", _("Gold")
    SILVER = "silver", _("Silver")
    REGISTERED = "registered", _("Registered")


# --- partners ----------------------------------------------------------------------------------------


class Partner(BusinessModel):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    type = models.CharField(_("type"), max_length=12, choices=PartnerType.choices)
    tier = models.CharField(_("partner tier"), max_length=12, choices=PartnerTier.choices)
    capabilities = models.JSONField(_("capabilities"), default=list, blank=True)
    regions = models.JSONField(_("regions"), default=list, blank=True)
    website = models.CharField(_("website"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # The channel manager who looks after the partner: told of its registrations and may decide them.
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("channel manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_partners",
    )

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.CheckConstraint(condition=Q(type__in=PartnerType.values), name="partner_type_valid"),
            models.CheckConstraint(condition=Q(tier__in=PartnerTier.values), name="partner_tier_valid"),
            models.UniqueConstraint(fields=["name"], condition=Q(deleted_at__isnull=True), name="partner_live_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        if self.name_en and not (get_language() or "en").startswith("zh"):
            return self.name_en
        return self.name


class PartnerContact(models.Model):
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner contact")
        verbose_name_plural = _("partner contacts")
        ordering = ["-is_primary", "name", "pk"]

    def __str__(self) -> str:
        return self.name


class PartnerUser(models.Model):
    """An external login of a partner: it sees the partner's registrations and the deals shared with it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_link")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="users")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("partner user")
        verbose_name_plural = _("partner users")

    def __str__(self) -> str:
        return f"{self.user} · {self.partner}"


class PartnerMeeting(models.Model):
    """Seed 002: regular project meetings with the partner keep both sides on the same information."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="meetings")
    occurred_on = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=200)
    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("our participants"), blank=True)
    partner_participants = models.CharField(_("partner's participants"), max_length=300, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        verbose_name = _("partner meeting")
        verbose_name_plural = _("partner meetings")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.partner} · {self.occurred_on} · {self.subject}"


# --- the pool -----------------------------------------------------------------------------------------


class Resource(BusinessModel):
    """One entry of the presales pool: a person, or a partner's presales team."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pool_entries",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), null=True, blank=True, on_delete=models.PROTECT, related_name="resources"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    # The unit whose managers run this part of the pool (the solution centre, a branch technical team…).
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("pool unit"), on_delete=models.PROTECT, related_name="pool_resources"
    )
    skills = models.JSONField(_("skills"), default=list, blank=True)
    product_lines = models.JSONField(_("product lines"), default=list, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    support_tier = models.CharField(_("support tier"), max_length=5, choices=SupportTier.choices)
    weekly_capacity_hours = models.PositiveSmallIntegerField(_("weekly capacity (hours)"))
    is_executive = models.BooleanField(
        _("executive"), default=False, help_text=_("Can be asked to join a customer meeting as executive sponsor.")
    )
    is_active = models.BooleanField(_("available for requests"), default=True)

    class Meta:
        verbose_name = _("pool resource")
        verbose_name_plural = _("resource pool")
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(partner__isnull=True))
                | (Q(user__isnull=True) & Q(partner__isnull=False)),
                name="resource_person_or_partner",
            ),
            models.CheckConstraint(condition=Q(support_tier__in=SupportTier.values), name="resource_tier_valid"),
            models.CheckConstraint(condition=Q(weekly_capacity_hours__lte=168), name="resource_capacity_range"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(deleted_at__isnull=True, user__isnull=False), name="resource_live_user"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name:
            return self.name
        if self.user is not None:
            return self.user.label
        return self.partner.label if self.partner is not None else ""


# --- routing, SLA -------------------------------------------------------------------------------------


class ServeWith(models.TextChoices):
    PEOPLE = "people", _("Our people")
    PARTNER = "partner", _("The partner's presales")


class RoutingRule(models.Model):
    """Seed 002's tiered support: which tier and which part of the pool serves a kind of project."""

    position = models.PositiveSmallIntegerField(_("order"), default=0)
    project_type = models.CharField(_("project type"), max_length=20, choices=ProjectType.choices)
    min_amount = models.DecimalField(_("from amount"), max_digits=18, decimal_places=2, default=0)
    max_amount = models.DecimalField(
        _("below amount"), max_digits=18, decimal_places=2, null=True, blank=True, help_text=_("Empty: no limit.")
    )
    tier = models.CharField(_("support tier"), max_length=5, choices=SupportTier.choices)
    pool_unit = models.ForeignKey(
        "org.OrgUnit",
        verbose_name=_("pool unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: any unit of the tier; escalation then goes to the account's owner unit."),
    )
    serve_with = models.CharField(_("served by"), max_length=8, choices=ServeWith.choices, default=ServeWith.PEOPLE)
    double_count = models.BooleanField(
        _("double-count in the pool unit's results"),
        default=False,
        help_text=_("双算: the solution centre also counts the deals it serves in its own results."),
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    description_en = models.CharField(_("English description"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(tier__in=SupportTier.values), name="routing_tier_valid"),
            models.CheckConstraint(condition=Q(project_type__in=ProjectType.values), name="routing_type_valid"),
            models.CheckConstraint(
                condition=Q(max_amount__isnull=True) | Q(max_amount__gt=models.F("min_amount")),
                name="routing_amount_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_project_type_display()} → {self.get_tier_display()}"


class RequestKind(models.TextChoices):
    SOLUTION_DESIGN = "solution_design", _("Solution design")
    POC = "poc", _("Proof of concept (POC)")
    BID_WRITING = "bid_writing", _("Bid writing")
    EXPERT = "expert", _("Expert")
    EXECUTIVE_SPONSOR = "executive_sponsor", _("Executive to join a customer meeting")
    PARTNER = "partner", _("Partner")


class SlaRule(models.Model):
    kind = models.CharField(_("request kind"), max_length=20, choices=RequestKind.choices, unique=True)
    answer_within_hours = models.PositiveSmallIntegerField(_("answer within (hours)"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request SLA")
        verbose_name_plural = _("request SLAs")
        ordering = ["kind"]
        constraints = [models.CheckConstraint(condition=Q(answer_within_hours__gte=1), name="sla_hours_positive")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.answer_within_hours} h"


class ResourceSettings(models.Model):
    registration_window_days = models.PositiveSmallIntegerField(_("deal registration protects for (days)"), default=90)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resource and partner settings")
        verbose_name_plural = _("resource and partner settings")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)


# --- requests -----------------------------------------------------------------------------------------


class RequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ASSIGNED = "assigned", _("Assigned")
    DECLINED = "declined", _("Declined")
    DONE = "done", _("Done")


class ResourceRequest(BusinessModel):
    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.PROTECT, related_name="resource_requests"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours"))
    needed_by = models.DateField(_("needed by"))
    success_criteria = models.TextField(_("what success looks like"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=0)
    routed_tier = models.CharField(_("support tier"), max_length=5, choices=SupportTier.choices)
    routing_rule = models.ForeignKey(RoutingRule, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    pool_unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("pool unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_due_at = models.DateTimeField(_("answer due"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # 0: nobody told yet; 1: the pool unit's managers; 2: the managers one level up.
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("resource request")
        verbose_name_plural = _("resource requests")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=RequestKind.values), name="request_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=RequestStatus.values), name="request_status_valid"),
            models.CheckConstraint(condition=Q(hours__gte=1), name="request_hours_positive"),
            models.CheckConstraint(condition=Q(priority__lte=100), name="request_priority_range"),
            models.CheckConstraint(
                condition=~Q(status=RequestStatus.DECLINED) | ~Q(decline_reason=""), name="request_decline_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "priority"], name="request_status_priority"),
            models.Index(fields=["pool_unit", "status"], name="request_pool_status"),
            models.Index(fields=["status", "answer_due_at"], name="request_sla"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.opportunity}"


class Assignment(models.Model):
    """Who answers a request, and the load it puts on them: hours spread evenly from start to end."""

    request = models.OneToOneField(ResourceRequest, on_delete=models.CASCADE, related_name="assignment")
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="assignments")
    # The person, copied from the resource so that "may this user see the deal" is one indexed lookup.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="resource_assignments"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=6, decimal_places=2)
    is_active = models.BooleanField(default=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="assignment_dates"),
            models.CheckConstraint(condition=Q(hours_per_week__gte=0), name="assignment_load_positive"),
        ]
        indexes = [models.Index(fields=["user", "is_active"], name="assignment_user_active")]

    def __str__(self) -> str:
        return f"{self.resource} · {self.request}"


class RequestEventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    ASSIGNED = "assigned", _("Assigned")
    DECLINED = "declined", _("Declined")
    DONE = "done", _("Done")
    ESCALATED = "escalated", _("Escalated")


class RequestEvent(models.Model):
    """The request's own story, escalations included: who was told, when, at which level."""

    request = models.ForeignKey(ResourceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=RequestEventKind.choices)
    level = models.PositiveSmallIntegerField(default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey("org.OrgUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    notified = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "level"], condition=Q(kind="escalated"), name="request_escalated_once_per_level"
            )
        ]

    def __str__(self) -> str:
        return f"{self.request_id} · {self.kind}"


class DoubleCount(models.Model):
    """双算: the solution centre counts a deal it serves in its own results, beside the sales splits."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="double_counts")
    unit = models.ForeignKey("org.OrgUnit", on_delete=models.PROTECT, related_name="double_counts")
    request = models.ForeignKey(ResourceRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("double count")
        verbose_name_plural = _("double counts")
        constraints = [models.UniqueConstraint(fields=["opportunity", "unit"], name="double_count_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.opportunity} · {self.unit}"


# --- deal registration --------------------------------------------------------------------------------


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


LIVE_REGISTRATION = (RegistrationStatus.SUBMITTED, RegistrationStatus.APPROVED)


class DealRegistration(BusinessModel):
    """A partner's (or a unit's) claim on an account's project, protected against others for a window."""

    partner = models.ForeignKey(
        Partner,
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    unit = models.ForeignKey(
        "org.OrgUnit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    account = models.ForeignKey(
        Account, verbose_name=_("account"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the partner called the customer; the account once a channel manager matched it.
    customer_name = models.CharField(_("customer"), max_length=200)
    project = models.CharField(_("project"), max_length=200)
    # Lower case, spaces and punctuation removed: "CRM 二期" and "crm二期" are the same project.
    project_key = models.CharField(max_length=200, editable=False, db_index=True)
    customer_key = models.CharField(max_length=220, editable=False, db_index=True)
    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    estimated_amount = models.DecimalField(
        _("estimated amount"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    expires_on = models.DateField(_("protected until"))
    status = models.CharField(
        _("status"), max_length=10, choices=RegistrationStatus.choices, default=RegistrationStatus.SUBMITTED
    )
    notes = models.TextField(_("notes"), blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("deal registration")
        verbose_name_plural = _("deal registrations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(partner__isnull=False) & Q(unit__isnull=True))
                | (Q(partner__isnull=True) & Q(unit__isnull=False)),
                name="registration_partner_or_unit",
            ),
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"),
        ]
        indexes = [models.Index(fields=["customer_key", "project_key", "expires_on"], name="registration_window")]

    def __str__(self) -> str:
        return f"{self.customer_name} · {self.project}"


register_enum("resource.support_tier", SupportTier)
register_enum("resource_request.kind", RequestKind)
register_enum("resource_request.status", RequestStatus)
register_enum("partner.type", PartnerType)
register_enum("partner.tier", PartnerTier)
register_enum("deal_registration.status", RegistrationStatus)
register_enum("routing_rule.serve_with", ServeWith)
