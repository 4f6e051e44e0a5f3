"""Org units, users, memberships and API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from irontriangle.common.enums import register_enum


class UnitSegment(models.TextChoices):
    KA = "ka", _("Key accounts (KA)")
    SMB = "smb", _("SMB")
    PRESALES = "presales", _("Presales")
    SERVICE = "service", _("Service")
    MARKETING = "marketing", _("Marketing")
    FINANCE = "finance", _("Finance")
    OPS = "ops", _("Sales operations (middle office)")


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    # A partner's login (SPEC §1): it sees its registrations and the deals shared with it, nothing else.
    is_external = models.BooleanField(_("external partner user"), default=False)

    history = HistoricalRecords(excluded_fields=["last_login", "password"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("read_all_records", _("Can read every account and its records")),
            ("view_financials", _("Can see costs, margins and bonus figures")),
            ("arbitrate_ownership", _("Can decide account ownership requests")),
        ]

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def label(self) -> str:
        return self.display_name or self.username


class OrgUnit(models.Model):
    """A node of the company tree: company → region / industry BU → branch → team."""

    code = models.SlugField(_("code"), max_length=50, unique=True, allow_unicode=False)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    segment = models.CharField(_("segment"), max_length=20, choices=UnitSegment.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # "/1/4/9/": the ids from the root down, so "everything below unit 4" is one prefix match.
    path = models.CharField(max_length=500, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    @property
    def label(self) -> str:
        """The unit's name in the reader's language, where an English name was given."""
        from django.utils.translation import get_language

        if self.name_en and not (get_language() or "en").startswith("zh"):
            return self.name_en
        return self.name


class Membership(models.Model):
    """A user in a unit. A user may belong to several units (matrix organisation), one primary."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships")
    is_primary = models.BooleanField(_("primary unit"), default=False)
    is_manager = models.BooleanField(_("manager of the unit"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="membership_user_unit_unique"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_primary=True), name="membership_one_primary_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}"


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the token itself is shown once, at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


register_enum("org_unit.segment", UnitSegment)
