"""The REST API under /api/v1 (API.md)."""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer

from irontriangle import __version__
from irontriangle.accounts.api import router as accounts_router
from irontriangle.accounts.api_intelligence import router as intelligence_router
from irontriangle.accounts.api_ownership import router as ownership_router
from irontriangle.collections.api import router as collections_router
from irontriangle.common.api import router as common_router
from irontriangle.common.apitools import AUTH, install_error_handlers
from irontriangle.notifications.api import router as notifications_router
from irontriangle.org.api import router as org_router
from irontriangle.pipeline.api import router as pipeline_router
from irontriangle.pipeline.api_reports import router as pipeline_reports_router
from irontriangle.relationships.api import router as relationships_router
from irontriangle.relationships.api_activity import router as activity_router
from irontriangle.resources.api import router as resources_router


class Utf8JSONRenderer(JSONRenderer):
    # Chinese names travel as themselves, not as \uXXXX escapes: smaller and readable in logs.
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="IronTriangle API",
    version=__version__,
    description="Key-account sales management: accounts, relationships, opportunities, collections, renewals.",
    auth=AUTH,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_error_handlers(api)
api.add_router("", org_router)
api.add_router("", accounts_router)
api.add_router("", intelligence_router)
api.add_router("", ownership_router)
api.add_router("", relationships_router)
api.add_router("", activity_router)
api.add_router("", pipeline_router)
api.add_router("", pipeline_reports_router)
api.add_router("", collections_router)
api.add_router("", resources_router)
api.add_router("", notifications_router)
api.add_router("", common_router)
