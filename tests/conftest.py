"""Shared test set-up: real databases, real HTTP through the full middleware, no outside network."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from hypothesis import settings as hypothesis_settings

from tests.factories import make_unit, make_user

# Property tests check behaviour, not speed: on a busy machine running browsers beside them, the
# default 200 ms deadline per example fails them for nothing. Speed is the benchmark suite's job.
hypothesis_settings.register_profile("irontriangle", deadline=None)
hypothesis_settings.load_profile("irontriangle")

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: Any) -> Any:
    """Tests may talk to this machine only; anything else is a bug in the test or the code."""
    if isinstance(address, tuple) and self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0]
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host in ("localhost",)
        if not allowed:
            raise OSError(f"network access outside loopback blocked in tests: {host}")
    return _real_connect(self, address)


socket.socket.connect = _loopback_only  # type: ignore[method-assign]


class ApiClient:
    """The Django test client speaking JSON with a bearer token, through every middleware."""

    def __init__(self, token: str | None = None, language: str = "en") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def _call(self, method: str, path: str, data: Any = None, **headers: str) -> Any:
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        all_headers = {**self.headers, **headers}
        kwargs: dict[str, Any] = {"headers": all_headers}
        if method in ("get", "delete"):
            if data is not None:
                kwargs["data"] = data
        else:
            kwargs["data"] = data if data is not None else {}
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(url, **kwargs)

    def get(self, path: str, params: Any = None, **headers: str) -> Any:
        return self._call("get", path, params, **headers)

    def post(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("post", path, data, **headers)

    def patch(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("patch", path, data, **headers)

    def put(self, path: str, data: Any = None, **headers: str) -> Any:
        return self._call("put", path, data, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self._call("delete", path, None, **headers)

    def upload(self, path: str, data: dict[str, Any], **headers: str) -> Any:
        """A multipart POST: `data` holds form fields and open files (e.g. SimpleUploadedFile)."""
        url = path if path.startswith("/api/") else f"/api/v1{path}"
        return self.client.post(url, data=data, headers={**self.headers, **headers})


def api_as(user: Any, language: str = "en") -> ApiClient:
    from irontriangle.org.services import token_create

    _token, raw = token_create(user=user, name="tests")
    return ApiClient(raw, language)


@pytest.fixture
def org(db: Any) -> dict[str, Any]:
    """A small company: a KA region with two branches, an SMB unit, finance and the middle office."""
    hq = make_unit("hq", "总部", "ka")
    east = make_unit("ka-east", "华东大客户部", "ka", parent=hq)
    shanghai = make_unit("ka-sh", "上海分公司", "ka", parent=east)
    north = make_unit("ka-north", "华北大客户部", "ka", parent=hq)
    smb = make_unit("smb", "中小企业部", "smb", parent=hq)
    finance = make_unit("finance", "财务部", "finance", parent=hq)
    ops = make_unit("ops", "销售运营中台", "ops", parent=hq)
    return {
        "units": {
            "hq": hq,
            "east": east,
            "shanghai": shanghai,
            "north": north,
            "smb": smb,
            "finance": finance,
            "ops": ops,
        },
        "ar": make_user("ar", units=[shanghai], display_name="王磊"),
        "sr": make_user("sr", units=[shanghai], display_name="李娜"),
        "manager": make_user("manager", units=[east], manager_of=[east], display_name="张伟"),
        "outsider": make_user("outsider", units=[north], display_name="赵敏"),
        "north_manager": make_user("north_manager", units=[north], manager_of=[north]),
        "finance_user": make_user("finance_user", units=[finance]),
        "admin": make_user("admin", admin=True),
    }


@pytest.fixture
def api() -> Iterator[Any]:
    yield api_as


@pytest.fixture
def reader(org: dict[str, Any]) -> Any:
    """A user in the SMB unit who holds the global read permission and nothing else."""
    from tests.factories import grant_permission

    return grant_permission(make_user("reader", units=[org["units"]["smb"]]), "read_all_records")


@pytest.fixture
def team_account(org: dict[str, Any]) -> Any:
    """An account owned by the Shanghai AR, with the SR on its team."""
    from tests.factories import add_to_team, make_account

    account = make_account(org["ar"], name="中国移动上海公司", segment="ka", tier="s")
    add_to_team(account, org["sr"], "sr")
    return account


def install_configuration_defaults() -> None:
    """The configuration rows the data migrations install (KA rules, matrix settings, sales processes,
    pipeline settings, milestone templates, collection settings), through the same code that reinstalls
    them when a table is found empty. Rows installed on first use, not by a migration, are left to that
    first use."""
    from irontriangle.accounts.profiling import enabled_rules, matrix_settings
    from irontriangle.collections.defaults import ensure_templates
    from irontriangle.collections.services import collection_settings
    from irontriangle.pipeline.defaults import ensure_processes
    from irontriangle.pipeline.settings import pipeline_settings
    from irontriangle.resources.defaults import ensure_defaults

    matrix_settings()
    enabled_rules()
    ensure_processes()
    pipeline_settings()
    ensure_templates()
    collection_settings()
    ensure_defaults()


@pytest.fixture(autouse=True)
def _configuration_rows(request: Any) -> None:
    """Tests that run inside a transaction expect the rows the migrations install. A transactional test
    (the browser tests, the concurrency test) ends by flushing every table, and on a shared worker the
    next test would find them gone; so each test puts back what is missing, inside its own transaction.
    Transactional tests need nothing: the code reinstalls defaults it finds missing."""
    marker = request.node.get_closest_marker("django_db")
    transactional = "transactional_db" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    if transactional or not (marker or "db" in request.fixturenames):
        return
    request.getfixturevalue("db")
    install_configuration_defaults()


def race(calls: dict[str, Callable[[], Any]]) -> dict[str, Any]:
    """Run each call in its own thread, released together; the answers by name."""
    barrier = threading.Barrier(len(calls))
    answers: dict[str, Any] = {}

    def run(name: str) -> None:
        try:
            barrier.wait(timeout=10)
            answers[name] = calls[name]()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(name,)) for name in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert set(answers) == set(calls), f"a thread did not answer: {answers}"
    return answers
