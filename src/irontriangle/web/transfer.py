"""Import (upload, preview, apply) and export (CSV / XLSX) pages for any kind of `common.importing`.

Each domain describes its pages with a `TransferPage` and keeps thin views that call `upload`, `apply`
and `export` with it; this module holds everything that does not depend on the kind.

The preview is a dry run; applying runs the same import again for real. Between the two the upload
waits in the data directory under a random name, and the form carries a signed token bound to the
person and to the kind, so no database table holds half-finished imports, another person cannot apply
it, and a file checked as one kind cannot be applied as another.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from irontriangle.common.importing import ImportKind, ImportReport, run_export, run_import
from irontriangle.common.tabular import CONTENT_TYPES, MAX_BYTES, csv_chunks, table_bytes
from irontriangle.web.forms import StyledForm
from irontriangle.web.guards import actor, viewer

TOKEN_SALT = "irontriangle.web.import"
TOKEN_MAX_AGE = 3600  # seconds a preview stays valid; older uploads are removed
PREVIEW_ROWS = 500  # rows listed in the preview; the counts and every error cover the whole file
TEMPLATE = "web/import.html"
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class TransferPage:
    """What tells one kind's import and export pages apart: its kind, its words and its URLs."""

    kind: ImportKind
    title: str | Promise  # the page title and heading, "Import accounts"
    subtitle: str | Promise
    columns_help: str | Promise  # how columns are named and how a row finds what it updates
    list_label: str | Promise  # the breadcrumb back to the list
    template_label: str | Promise  # the link that downloads what the person has, as a template
    list_url: str  # URL names, namespaced
    import_url: str
    apply_url: str
    export_xlsx_url: str
    # The list page's search and filters read from the query string, as the kind's export takes them.
    filters: Callable[[HttpRequest], Any]
    file_stem: str | Promise  # the export's file name before the date, "accounts"


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


def _store(data: bytes, user_id: int, kind: str, filename: str) -> str:
    """Keep the upload for the apply step; return the token that names it."""
    folder = _uploads()
    # Previews nobody applied are dropped here rather than by a scheduled job.
    expired = time.time() - TOKEN_MAX_AGE
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < expired:
            old.unlink(missing_ok=True)
    name = secrets.token_hex(16)
    (folder / name).write_bytes(data)
    return signing.dumps({"file": name, "user": user_id, "kind": kind, "name": filename[:200]}, salt=TOKEN_SALT)


def _stored(token: str, user_id: int, kind: str) -> tuple[Path, str] | None:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:  # also an expired one
        return None
    if not isinstance(payload, dict):
        return None
    name = str(payload.get("file", ""))
    if payload.get("user") != user_id or payload.get("kind") != kind or not _STORED_NAME.match(name):
        return None
    path = _uploads() / name
    return (path, str(payload.get("name", ""))) if path.is_file() else None


def _page(request: HttpRequest, page: TransferPage, **context: Any) -> HttpResponse:
    context.setdefault("form", ImportUploadForm())
    return render(request, TEMPLATE, {"page": page, "columns": page.kind.columns(), **context})


def _preview(
    request: HttpRequest, page: TransferPage, report: ImportReport, filename: str, token: str | None
) -> HttpResponse:
    return _page(
        request,
        page,
        report=report,
        filename=filename,
        token=token,
        file_errors=[error for error in report.errors if error.row <= 1],
        outcomes=report.outcomes[:PREVIEW_ROWS],
        more_rows=max(0, len(report.outcomes) - PREVIEW_ROWS),
    )


def upload(request: HttpRequest, page: TransferPage) -> HttpResponse:
    """The import page: the upload form, and after a POST the dry run's preview."""
    if request.method != "POST":
        return _page(request, page)
    form = ImportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, page, form=form)
    file = form.cleaned_data["file"]
    data = file.read()
    report = run_import(page.kind, data, file.name, viewer=viewer(request), actor=actor(request), dry_run=True)
    # Only a file that would import cleanly is kept: one with errors has to be fixed and uploaded again.
    token = _store(data, actor(request).pk, page.kind.key, file.name) if report.ok else None
    return _preview(request, page, report, file.name, token)


def apply(request: HttpRequest, page: TransferPage) -> HttpResponse:
    """Run the previewed import for real (the caller requires POST)."""
    stored = _stored(request.POST.get("token", ""), actor(request).pk, page.kind.key)
    if stored is None:
        messages.error(request, _("This preview has expired or was already applied; upload the file again."))
        return redirect(page.import_url)
    path, filename = stored
    try:
        data = path.read_bytes()
        report = run_import(page.kind, data, filename, viewer=viewer(request), actor=actor(request), dry_run=False)
    finally:
        path.unlink(missing_ok=True)
    if not report.applied:
        # Something changed since the preview (a record was taken over, a key was used): show why.
        messages.error(request, _("The import was not applied: the data changed since the preview."))
        return _preview(request, page, report, filename, None)
    messages.success(
        request,
        _("Import done: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect(page.list_url)


def export(request: HttpRequest, page: TransferPage, fmt: str) -> HttpResponse:
    """What the person sees of the kind, narrowed by the list page's search and filters, as a download."""
    headers, rows = run_export(page.kind, viewer(request), filters=page.filters(request), localised=True)
    if fmt == "csv":
        body: Any = csv_chunks(headers, rows)
    else:
        title = str(page.kind.label)

        def body_xlsx() -> Any:
            # A workbook is a zip written at the end; it is built when the response starts, not before.
            yield table_bytes("xlsx", headers, rows, title=title)

        body = body_xlsx()
    response = StreamingHttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"{page.file_stem}-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    # `web_view` is typed for plain responses; a streaming one passes through it untouched.
    return cast(HttpResponse, response)
