"""The evidence chain (seed 003, 法): documents per milestone, uploaded safely, removed without loss."""

from __future__ import annotations

from typing import Any, BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from irontriangle.collections import files
from irontriangle.collections.models import Contract, Evidence, EvidenceKind, PaymentMilestone
from irontriangle.collections.services.common import announce, refresh_milestone, require_contract_editor, text
from irontriangle.common.access import Viewer
from irontriangle.common.errors import InvalidInput
from irontriangle.org.models import User


def evidence_upload(
    *,
    viewer: Viewer,
    actor: User,
    contract: Contract,
    milestone: PaymentMilestone | None,
    kind: str,
    name: str,
    data: BinaryIO,
    size: int,
    notes: str = "",
) -> Evidence:
    require_contract_editor(viewer, contract)
    if milestone is not None and milestone.contract_id != contract.pk:
        raise InvalidInput.single("milestone_id", "other_contract", _("Not a milestone of this contract."))
    if kind not in EvidenceKind.values:
        raise InvalidInput.single("kind", "invalid", _("Unknown evidence kind."))
    if size <= 0:
        raise InvalidInput.single("file", "empty", _("The file is empty."))
    if size > settings.EVIDENCE_MAX_BYTES:
        raise InvalidInput.single(
            "file",
            "file_too_large",
            _("The file is larger than %(mb)s MB.") % {"mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)},
        )
    original = files.safe_name(name)
    checked = files.detect(data, original)
    if checked is None:
        raise InvalidInput.single(
            "file",
            "file_type",
            _("This file is not what its name says, or not a kind kept as evidence (%(kinds)s).")
            % {"kinds": ", ".join(files.ACCEPTED_EXTENSIONS)},
        )
    stored, real_size, digest = files.store(data)
    # A failure while saving the row removes the file again, so no orphan is left behind.
    try:
        with transaction.atomic():
            evidence = Evidence(
                contract=contract,
                milestone=milestone,
                kind=kind,
                original_name=original,
                stored_name=stored,
                content_type=checked.content_type,
                size=real_size,
                sha256=digest,
                notes=text(notes)[:300],
                uploaded_by=actor,
            )
            evidence._history_user = actor  # type: ignore[attr-defined]
            evidence.save()
            if milestone is not None:
                refresh_milestone(milestone)
            announce(
                contract,
                kind="evidence.uploaded",
                actor=actor,
                data={"evidence_id": evidence.pk, "milestone_id": getattr(milestone, "pk", None), "kind": kind},
            )
    except Exception:
        files.discard(stored)
        raise
    return evidence


@transaction.atomic
def evidence_remove(*, viewer: Viewer, actor: User, evidence: Evidence) -> None:
    """The row stays (with its file) for the audit; it only stops counting and showing."""
    require_contract_editor(viewer, evidence.contract)
    evidence.removed_at = timezone.now()
    evidence.removed_by = actor
    evidence._history_user = actor  # type: ignore[attr-defined]
    evidence.save(update_fields=["removed_at", "removed_by"])
    if evidence.milestone is not None:
        refresh_milestone(evidence.milestone)
    announce(evidence.contract, kind="evidence.removed", actor=actor, data={"evidence_id": evidence.pk})


def evidence_open(evidence: Evidence) -> Any:
    """Only call with evidence obtained through `evidence_get` (access-checked)."""
    return open(files.path_of(evidence.stored_name), "rb")
