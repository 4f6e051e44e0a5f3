"""Contact import (upload, preview, apply) and export (CSV / XLSX) pages, on the shared transfer pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from irontriangle.relationships.forms import ContactSearchForm
from irontriangle.relationships.importing import CONTACTS
from irontriangle.web import transfer
from irontriangle.web.guards import web_view


def _filters(request: HttpRequest) -> Any:
    search = ContactSearchForm(request.GET)
    search.is_valid()  # an invalid filter is dropped, as on the list
    return search.filters()


PAGE = transfer.TransferPage(
    kind=CONTACTS,
    title=_("Import contacts"),
    subtitle=_(
        "Create and update contacts from a spreadsheet. Every row is checked first; nothing changes until you "
        "apply an import without errors."
    ),
    columns_help=_(
        "Name each column by its field name or its label in English or Chinese. A row updates the contact with "
        "the same external ID, else the contact with the same name at the same account, and creates a new one "
        "otherwise. Name the account by its external ID, credit code or exact name. Name the person a contact "
        "reports to by the manager's external ID or name at the same account; the manager may come later in the "
        "file."
    ),
    list_label=_("Contacts"),
    template_label=_("Download your contacts as a template"),
    list_url="contacts:contact-list",
    import_url="contacts:contact-import",
    apply_url="contacts:contact-import-apply",
    export_xlsx_url="contacts:contact-export-xlsx",
    filters=_filters,
    file_stem=_("contacts"),
)


@web_view
def contact_import(request: HttpRequest) -> HttpResponse:
    return transfer.upload(request, PAGE)


@require_POST
@web_view
def contact_import_apply(request: HttpRequest) -> HttpResponse:
    return transfer.apply(request, PAGE)


@web_view
def contact_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The contacts the person sees, narrowed by the list page's search and filters."""
    return transfer.export(request, PAGE, fmt)
