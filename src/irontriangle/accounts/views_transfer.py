"""Account import (upload, preview, apply) and export (CSV / XLSX) pages.

The preview is a dry run; applying runs the same import again for real. Between the two the upload
waits in the data directory under a random name, and the form carries a signed token bound to the
person, so no database table holds half-finished imports and another person cannot apply it.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from irontriangle.accounts.forms import AccountSearchForm
from irontriangle.accounts.importing import ACCOUNTS
from irontriangle.common.importing import ImportReport, run_export, run_import
from irontriangle.common.tabular import CONTENT_TYPES, MAX_BYTES, csv_chunks, table_bytes
from irontriangle.web.forms import StyledForm
from irontriangle.web.guards import actor, viewer, web_view

TOKEN_SALT = "irontriangle.accounts.import"
TOKEN_MAX_AGE = 3600  # seconds a preview stays valid; older uploads are removed
PREVIEW_ROWS = 500  # rows listed in the preview; the counts and every error cover the whole file
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


class ImportUploadForm(StyledForm):
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s MB).") % {"size": MAX_BYTES // (1024 * 1024)}
            )
        return upload


def _uploads() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store(data: bytes, user_id: int, filename: str) -> str:
    """Keep the upload for the apply step; return the token that names it."""
    folder = _uploads()
    # Previews nobody applied are dropped here rather than by a scheduled job.
    expired = time.time() - TOKEN_MAX_AGE
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < expired:
            old.unlink(missing_ok=True)
    name = secrets.token_hex(16)
    (folder / name).write_bytes(data)
    return signing.dumps({"file": name, "user": user_id, "name": filename[:200]}, salt=TOKEN_SALT)


def _stored(token: str, user_id: int) -> tuple[Path, str] | None:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return None
    name = str(payload.get("file", ""))
    if payload.get("user") != user_id or not _STORED_NAME.match(name):
        return None
    path = _uploads() / name
    return (path, str(payload.get("name", ""))) if path.is_file() else None


def _preview(request: HttpRequest, report: ImportReport, filename: str, token: str | None) -> HttpResponse:
    context = {
        "form": ImportUploadForm(),
        "columns": ACCOUNTS.columns(),
        "report": report,
        "filename": filename,
        "token": token,
        "file_errors": [error for error in report.errors if error.row <= 1],
        "outcomes": report.outcomes[:PREVIEW_ROWS],
        "more_rows": max(0, len(report.outcomes) - PREVIEW_ROWS),
    }
    return render(request, "accounts/import.html", context)


@web_view
def account_import(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "accounts/import.html", {"form": ImportUploadForm(), "columns": ACCOUNTS.columns()})
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "accounts/import.html", {"form": form, "columns": ACCOUNTS.columns()})
    upload = form.cleaned_data["file"]
    data = upload.read()
    report = run_import(ACCOUNTS, data, upload.name, viewer=viewer(request), actor=actor(request), dry_run=True)
    # Only a file that would import cleanly is kept: one with errors has to be fixed and uploaded again.
    token = _store(data, actor(request).pk, upload.name) if report.ok else None
    return _preview(request, report, upload.name, token)


@require_POST
@web_view
def account_import_apply(request: HttpRequest) -> HttpResponse:
    stored = _stored(request.POST.get("token", ""), actor(request).pk)
    if stored is None:
        messages.error(request, _("This preview has expired or was already applied; upload the file again."))
        return redirect("accounts:account-import")
    path, filename = stored
    try:
        data = path.read_bytes()
        report = run_import(ACCOUNTS, data, filename, viewer=viewer(request), actor=actor(request), dry_run=False)
    finally:
        path.unlink(missing_ok=True)
    if not report.applied:
        # Something changed since the preview (an account was taken over, a code was used): show why.
        messages.error(request, _("The import was not applied: the data changed since the preview."))
        return _preview(request, report, filename, None)
    messages.success(
        request,
        _("Import done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect("accounts:account-list")


@web_view
def account_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The accounts the person sees, narrowed by the list page's search and filters."""
    search = AccountSearchForm(request.GET)
    search.is_valid()  # an invalid filter is dropped, as on the list
    headers, rows = run_export(ACCOUNTS, viewer(request), filters=search.filters(), localised=True)
    if fmt == "csv":
        body: Any = csv_chunks(headers, rows)
    else:
        title = str(ACCOUNTS.label)

        def body_xlsx() -> Any:
            # A workbook is a zip written at the end; it is built when the response starts, not before.
            yield table_bytes("xlsx", headers, rows, title=title)

        body = body_xlsx()
    response = StreamingHttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"{_('accounts')}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    # `web_view` is typed for plain responses; a streaming one passes through it untouched.
    return cast(HttpResponse, response)
