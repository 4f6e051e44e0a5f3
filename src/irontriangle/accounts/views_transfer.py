"""Account import (upload, preview, apply) and export (CSV / XLSX) pages, on the shared transfer pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from irontriangle.accounts.forms import AccountSearchForm
from irontriangle.accounts.importing import ACCOUNTS
from irontriangle.web import transfer
from irontriangle.web.guards import web_view


def _filters(request: HttpRequest) -> Any:
    search = AccountSearchForm(request.GET)
    search.is_valid()  # an invalid filter is dropped, as on the list
    return search.filters()


PAGE = transfer.TransferPage(
    kind=ACCOUNTS,
    title=_("Import accounts"),
    subtitle=_(
        "Create and update accounts from a spreadsheet. Every row is checked first; nothing changes until you "
        "apply an import without errors."
    ),
    columns_help=_(
        "Name each column by its field name or its label in English or Chinese. A row updates the account with "
        "the same external ID or credit code, and creates a new one otherwise. Name the parent by its external "
        "ID or credit code; it may come later in the file. Empty owner, owner unit or parent cells keep what the "
        "account has."
    ),
    list_label=_("Accounts"),
    template_label=_("Download your accounts as a template"),
    list_url="accounts:account-list",
    import_url="accounts:account-import",
    apply_url="accounts:account-import-apply",
    export_xlsx_url="accounts:account-export-xlsx",
    filters=_filters,
    file_stem=_("accounts"),
)


@web_view
def account_import(request: HttpRequest) -> HttpResponse:
    return transfer.upload(request, PAGE)


@require_POST
@web_view
def account_import_apply(request: HttpRequest) -> HttpResponse:
    return transfer.apply(request, PAGE)


@web_view
def account_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The accounts the person sees, narrowed by the list page's search and filters."""
    return transfer.export(request, PAGE, fmt)
