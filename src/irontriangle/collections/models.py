"""Collect (SPEC §7, seed 003 回款): contracts, their payment milestones, payments, the evidence chain,
the customer's delivery decision chain, collection actions and the relationship / performance / evidence
checklist."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from irontriangle.accounts.models import Account
from irontriangle.common.models import BusinessModel
from irontriangle.common.money import MoneyField
from irontriangle.pipeline.models import Opportunity
from irontriangle.relationships.models import Contact


class MilestoneKind(models.TextChoices):
    DOWN_PAYMENT = "down_payment", _("Down payment")
    ON_DELIVERY = "on_delivery", _("On delivery")
    ON_ACCEPTANCE = "on_acceptance", _("On acceptance")
    WARRANTY_RETENTION = "warranty_retention", _("Warranty retention")
    OTHER = "other", _("Other")


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    INVOICED = "invoiced", _("Invoiced")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")
    OVERDUE = "overdue", _("Overdue")
    DISPUTED = "disputed", _("Disputed")


class Trigger(models.TextChoices):
    """The contract events a due date can hang on; each is recorded on the contract when it happens."""

    SIGNING = "signing", _("Signing")
    DELIVERY = "delivery", _("Delivery")
    ACCEPTANCE = "acceptance", _("Acceptance")
    WARRANTY_END = "warranty_end", _("End of warranty")


# The contract field that records when each trigger happened.
TRIGGER_FIELDS = {
    Trigger.SIGNING: "signed_on",
    Trigger.DELIVERY: "delivered_on",
    Trigger.ACCEPTANCE: "accepted_on",
    Trigger.WARRANTY_END: "warranty_ends_on",
}


class EvidenceKind(models.TextChoices):
    CONTRACT = "contract", _("Signed contract")
    DELIVERY_NOTE = "delivery_note", _("Delivery note")
    ACCEPTANCE_CERTIFICATE = "acceptance_certificate", _("Acceptance certificate")
    INVOICE = "invoice", _("Invoice")
    CORRESPONDENCE = "correspondence", _("Correspondence")
    OTHER = "other", _("Other")


# What a milestone asks for by default: the papers a customer's finance wants before it pays.
DEFAULT_EVIDENCE = {
    MilestoneKind.DOWN_PAYMENT: [EvidenceKind.INVOICE],
    MilestoneKind.ON_DELIVERY: [EvidenceKind.DELIVERY_NOTE, EvidenceKind.INVOICE],
    MilestoneKind.ON_ACCEPTANCE: [EvidenceKind.ACCEPTANCE_CERTIFICATE, EvidenceKind.INVOICE],
    MilestoneKind.WARRANTY_RETENTION: [EvidenceKind.INVOICE],
    MilestoneKind.OTHER: [EvidenceKind.INVOICE],
}
REQUIRABLE_EVIDENCE = [
    EvidenceKind.DELIVERY_NOTE,
    EvidenceKind.ACCEPTANCE_CERTIFICATE,
    EvidenceKind.INVOICE,
    EvidenceKind.CORRESPONDENCE,
]


class SignOffRole(models.TextChoices):
    """The delivery decision chain (seed 003): more people sign at delivery than ever met us in the sale."""

    FINANCE = "finance", _("Finance")
    SUPPLY_CHAIN = "supply_chain", _("Supply chain")
    QUALITY = "quality", _("Quality")
    SUPERVISOR = "supervisor", _("Supervisor / third party")
    USER = "user", _("User department")
    DECISION_MAKER = "decision_maker", _("Final signatory")


class ActionKind(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    LETTER = "letter", _("Letter")
    LEGAL = "legal", _("Legal")


class CollectionSettings(models.Model):
    """One row: how far ahead a milestone coming due is announced."""

    due_soon_days = models.PositiveSmallIntegerField(_("announce milestones coming due (days ahead)"), default=7)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("collection settings")
        verbose_name_plural = _("collection settings")
        constraints = [models.CheckConstraint(condition=Q(due_soon_days__lte=90), name="due_soon_days_range")]

    def __str__(self) -> str:
        return str(_("Collection settings"))


class MilestoneTemplate(models.Model):
    """A payment schedule people apply to a contract and then edit (e.g. 30 / 60 / 10)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("milestone template")
        verbose_name_plural = _("milestone templates")

    def __str__(self) -> str:
        return self.name_en

    def label(self, language: str | None) -> str:
        return self.name_zh if (language or "").startswith("zh") else self.name_en


class MilestoneTemplateLine(models.Model):
    template = models.ForeignKey(MilestoneTemplate, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)
    trigger = models.CharField(_("due after"), max_length=12, choices=Trigger.choices)
    offset_days = models.PositiveSmallIntegerField(_("days after the trigger"), default=30)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("template line")
        verbose_name_plural = _("template lines")
        constraints = [
            models.CheckConstraint(condition=Q(percent__gt=0, percent__lte=100), name="template_line_percent_range")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.percent}%"


class Contract(BusinessModel):
    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.PROTECT, related_name="contracts"
    )
    # The account is the opportunity's, kept here so the battle map filters and groups without a hop.
    account = models.ForeignKey(Account, verbose_name=_("account"), on_delete=models.PROTECT, related_name="contracts")
    number = models.CharField(_("contract number"), max_length=60)
    title = models.CharField(_("title"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"))
    amount = MoneyField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    payment_terms = models.TextField(_("payment terms"), blank=True)
    ar = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("AR"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts_as_ar",
    )
    fr = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("FR"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts_as_fr",
    )
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    warranty_ends_on = models.DateField(_("warranty ends on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=Q(deleted_at__isnull=True), name="contract_number_unique_alive"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["ar", "signed_on"], name="contract_ar_signed"),
            models.Index(fields=["fr", "signed_on"], name="contract_fr_signed"),
            models.Index(fields=["signed_on", "id"], name="contract_signed_id"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class PaymentMilestone(BusinessModel):
    contract = models.ForeignKey(
        Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="milestones"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=MilestoneKind.choices)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)
    amount = MoneyField(_("amount"))
    # Either a fixed date, or a trigger event plus days; `due` is whichever applies once it is known.
    due_on = models.DateField(_("due on (fixed date)"), null=True, blank=True)
    trigger = models.CharField(_("due after"), max_length=12, choices=Trigger.choices, blank=True)
    offset_days = models.PositiveSmallIntegerField(_("days after the trigger"), default=0)
    due = models.DateField(_("due"), null=True, blank=True, db_index=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence_required = models.JSONField(_("evidence required"), default=list, blank=True)
    # Kept by the evidence services so the battle map reads completeness without counting documents.
    evidence_present = models.PositiveSmallIntegerField(_("evidence kinds present"), default=0)
    evidence_needed = models.PositiveSmallIntegerField(_("evidence kinds required"), default=0)
    received = MoneyField(_("received"), default=0)
    status = models.CharField(_("status"), max_length=16, choices=MilestoneStatus.choices, default="planned")
    invoiced_on = models.DateField(_("invoiced on"), null=True, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    dispute_reason = models.TextField(_("dispute"), blank=True)
    disputed_on = models.DateField(_("disputed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["contract_id", "position", "pk"]
        verbose_name = _("payment milestone")
        verbose_name_plural = _("payment milestones")
        constraints = [
            models.CheckConstraint(condition=Q(percent__gte=0, percent__lte=100), name="milestone_percent_range"),
            models.CheckConstraint(condition=Q(received__gte=0), name="milestone_received_not_negative"),
            models.CheckConstraint(
                condition=Q(evidence_present__lte=F("evidence_needed")), name="milestone_evidence_counts"
            ),
        ]
        indexes = [models.Index(fields=["status", "due"], name="milestone_status_due")]

    def __str__(self) -> str:
        return f"{self.contract.number} · {self.get_kind_display()}"

    @property
    def outstanding(self):  # type: ignore[no-untyped-def]
        return max(self.amount - self.received, 0)


class MilestoneAlert(models.Model):
    """One row per announcement, so each milestone is announced once per kind and due date."""

    milestone = models.ForeignKey(PaymentMilestone, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=10)  # due_soon / overdue
    due = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["milestone", "kind", "due"], name="milestone_alert_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due}"


class Payment(BusinessModel):
    milestone = models.ForeignKey(
        PaymentMilestone, verbose_name=_("milestone"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = MoneyField(_("amount"))
    received_on = models.DateField(_("received on"), db_index=True)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)
    # Money above what the milestone still expects is accepted only when said so explicitly.
    is_overpayment = models.BooleanField(_("recorded as over-payment"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.amount} {self.received_on}"


class Evidence(models.Model):
    """A document of the evidence chain. The file lives outside the web root under a random name."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="evidence")
    milestone = models.ForeignKey(
        PaymentMilestone, null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EvidenceKind.choices)
    original_name = models.CharField(_("file name"), max_length=200)
    stored_name = models.CharField(max_length=80, unique=True)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class SignOff(models.Model):
    """A customer-side person who must sign before a milestone is paid."""

    milestone = models.ForeignKey(PaymentMilestone, on_delete=models.CASCADE, related_name="sign_offs")
    contact = models.ForeignKey(Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=SignOffRole.choices)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("sign-off")
        verbose_name_plural = _("sign-offs")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "contact", "role"], name="sign_off_once_per_role"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} ({self.get_role_display()})"


class CollectionAction(BusinessModel):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="actions")
    milestone = models.ForeignKey(
        PaymentMilestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ActionKind.choices)
    occurred_on = models.DateField(_("date"))
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(_("outcome"))
    promised_on = models.DateField(_("customer promised payment by"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        verbose_name = _("collection action")
        verbose_name_plural = _("collection actions")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class ContractTick(models.Model):
    """A manual item of the relationship / performance / evidence checklist, ticked with a note."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="ticks")
    key = models.SlugField(max_length=40)
    done = models.BooleanField(default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contract", "key"], name="contract_tick_once")]

    def __str__(self) -> str:
        return self.key
