"""`irontriangle bench run`: every operation of the performance budget, measured on a real server.

The server is `irontriangle serve` on a loopback port with the timing middleware, so latency is the
server's own (Server-Timing) and SQL counts come from the same request (X-Query-Count). Each operation
runs a bounded number of times after a warm-up; figures are p50 / p95 / p99 in milliseconds.
"""

from __future__ import annotations

import csv
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max

from irontriangle.bench.budget import BUDGETS, Budget

Say = Callable[[str], None]


@dataclass
class BenchOptions:
    url: str | None = None
    samples: int = 60
    load_seconds: float = 20.0
    workers: int = 4
    writers: int = 20
    import_rows: int = 5_000
    deep_pages: int = 20


@dataclass
class Actor:
    label: str
    username: str
    token: str
    cookie: str


@dataclass
class Figure:
    name: str
    budget: str
    actor: str = ""
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    queries: int | None = None
    value: float | None = None
    unit: str = "ms"
    errors: int = 0
    met: bool = True
    note: str = ""


@dataclass
class Result:
    vendor: str
    scale: dict[str, int]
    figures: list[Figure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.errors == 0 for f in self.figures)

    def table(self) -> str:
        head = f"{'operation':44} {'as':9} {'p50':>8} {'p95':>8} {'p99':>8} {'SQL':>4}  {'budget':30} ok"
        lines = [f"IronTriangle benchmark on {self.vendor}: " + ", ".join(f"{k} {v:,}" for k, v in self.scale.items())]
        lines += [head, "-" * len(head)]
        for f in self.figures:
            if f.unit == "ms":
                cells = (
                    f"{_ms(f.p50):>8} {_ms(f.p95):>8} {_ms(f.p99):>8} {f.queries if f.queries is not None else '':>4}"
                )
            else:
                cells = f"{f'{f.value:,.0f} {f.unit}':>35}"
            mark = "yes" if f.met else "NO"
            extra = f"  errors {f.errors}" if f.errors else ""
            lines.append(f"{f.name[:44]:44} {f.actor[:9]:9} {cells}  {f.budget[:30]:30} {mark}{extra}")
            if f.note:
                lines.append(f"{'':55}{f.note}")
        missed = [f.name for f in self.figures if not f.met]
        lines.append(f"{len(self.figures) - len(missed)} of {len(self.figures)} within budget")
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        return {
            "vendor": self.vendor,
            "scale": self.scale,
            "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
            "figures": [f.__dict__ for f in self.figures],
        }


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


class Client:
    """One keep-alive connection; answers (status, server ms, SQL count, body)."""

    def __init__(self, base: str, actor: Actor) -> None:
        parsed = urllib.parse.urlparse(base)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 80
        self.actor = actor
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)

    def request(self, method: str, path: str, body: Any = None, *, page: bool = False) -> tuple[int, float, int, bytes]:
        headers = {"Accept-Language": "zh-Hans"}
        if page:
            headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={self.actor.cookie}"
        else:
            headers["Authorization"] = f"Bearer {self.actor.token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=payload, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt == 2:
                    raise
        client_ms = (time.perf_counter() - started) * 1000
        timing = response.getheader("Server-Timing") or ""
        server_ms = float(timing.split("dur=")[1]) if "dur=" in timing else client_ms
        return response.status, server_ms, int(response.getheader("X-Query-Count") or -1), data


@dataclass
class Op:
    name: str
    budget: str
    actor: Actor
    path: str
    page: bool = False


class Bench:
    def __init__(self, options: BenchOptions, say: Say) -> None:
        self.options = options
        self.say = say
        self.server: subprocess.Popen[bytes] | None = None
        self.log_path = Path(tempfile.mkstemp(prefix="irontriangle-bench-", suffix=".log")[1])
        self.base = options.url or ""
        self.result = Result(connection.vendor, {})

    # --- set-up ----------------------------------------------------------------------------------

    def start_server(self) -> None:
        if self.base:
            return
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        env = dict(os.environ, IRONTRIANGLE_BENCH_TIMING="1")
        command = [sys.executable, "-m", "irontriangle.cli", "serve", "--port", str(port), "--no-worker"]
        command += ["--workers", str(self.options.workers)]
        self.say(f"starting a server with {self.options.workers} workers on port {port}")
        with self.log_path.open("wb") as log:
            self.server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"the benchmark server did not start; see {self.log_path}")

    def stop_server(self) -> None:
        if self.server is not None:
            self.server.terminate()
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()

    def actors(self) -> dict[str, Actor]:
        """The owner of the biggest account, the manager of their region and the top manager."""
        from irontriangle.accounts.models import Account
        from irontriangle.org.models import Membership, OrgUnit
        from irontriangle.relationships.models import Contact

        biggest = Contact.objects.values("account_id").annotate(n=Count("id")).order_by("-n").first()
        if biggest is None:
            raise RuntimeError("the database holds no contacts: run `irontriangle bench seed` first")
        self.giant = Account.objects.select_related("owner", "owner_unit").get(pk=biggest["account_id"])
        self.giant_contacts = biggest["n"]
        unit = self.giant.owner_unit
        ancestors = [int(pk) for pk in unit.path.strip("/").split("/")]
        managers = dict(
            Membership.objects.filter(unit_id__in=ancestors, is_manager=True).values_list("unit_id", "user__username")
        )
        chain = [managers[pk] for pk in reversed(ancestors) if pk in managers]
        top_unit = OrgUnit.objects.get(pk=ancestors[0])
        self.say(f"skewed account: {self.giant.name} ({self.giant_contacts:,} contacts), top unit {top_unit.name}")
        owner = str(getattr(self.giant.owner, "username", ""))
        people = {"member": owner}
        if len(chain) >= 2:
            people["manager"] = chain[-2] if len(chain) > 2 else chain[0]
        people["head"] = chain[-1] if chain else owner
        return {label: self._actor(label, username) for label, username in people.items()}

    def _actor(self, label: str, username: str) -> Actor:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

        from irontriangle.org.models import User
        from irontriangle.org.services import token_create

        user = User.objects.get(username=username)
        _token, raw = token_create(user=user, name="bench")
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.save()
        return Actor(label, username, raw, store.session_key or "")

    # --- measuring -------------------------------------------------------------------------------

    def measure(self, op: Op) -> Figure:
        client = Client(self.base, op.actor)
        budget = BUDGETS[op.budget]
        for _ in range(3):
            client.request("GET", op.path, page=op.page)
        times, counts, errors = [], [], 0
        for _ in range(self.options.samples):
            status, ms, queries, _body = client.request("GET", op.path, page=op.page)
            errors += status >= 400
            times.append(ms)
            counts.append(queries)
        figure = Figure(
            op.name, budget.label, op.actor.label, statistics.median(times), _percentile(times, 0.95),
            _percentile(times, 0.99), max(counts), errors=errors,
        )  # fmt: skip
        figure.met = budget.met(figure)
        self.result.figures.append(figure)
        return figure

    def deep_cursor(self, actor: Actor, path: str, pages: int) -> tuple[str, int]:
        """The path of the list page `pages` pages down (or the last one), and its depth in rows."""
        client = Client(self.base, actor)
        current, depth = path, 0
        for _ in range(pages):
            status, _ms, _q, body = client.request("GET", current)
            if status != 200:
                break
            answer = json.loads(body)
            if not answer.get("next_cursor"):
                break
            depth += len(answer["items"])
            joiner = "&" if "?" in path else "?"
            current = f"{path}{joiner}cursor={urllib.parse.quote(answer['next_cursor'])}"
        return current, depth

    def lists(self, actors: dict[str, Actor]) -> None:
        for resource in ("accounts", "contacts", "interactions", "opportunities", "contracts", "payments"):
            for actor in actors.values():
                path = f"/api/v1/{resource}?limit=50"
                self.measure(Op(f"list {resource}, first page", "list", actor, path))
                deep, depth = self.deep_cursor(actor, path, self.options.deep_pages)
                if depth:
                    self.measure(Op(f"list {resource}, row {depth:,}", "list", actor, deep))
        member = actors["member"]
        giant = self.giant.pk
        self.measure(
            Op(
                "list interactions of the skewed account",
                "list",
                member,
                f"/api/v1/interactions?account_id={giant}&limit=50",
            )
        )
        self.measure(
            Op("list contacts of the skewed account", "list", member, f"/api/v1/contacts?account_id={giant}&limit=50")
        )
        for page in ("accounts", "contacts", "interactions", "opportunities", "contracts"):
            self.measure(Op(f"page /{page}/", "list", actors["head"], f"/{page}/", page=True))

    def account_360(self, actors: dict[str, Actor]) -> None:
        member, giant = actors["member"], self.giant.pk
        self.measure(Op("account 360 page (skewed account)", "account360", member, f"/accounts/{giant}/", page=True))
        self.measure(
            Op(
                "account 360: relationships tab",
                "account360",
                member,
                f"/contacts/account/{giant}/relationships/",
                page=True,
            )
        )
        self.measure(
            Op(
                "account 360: opportunities tab",
                "account360",
                member,
                f"/opportunities/for-account/{giant}/",
                page=True,
            )
        )
        self.measure(
            Op("account 360: contracts tab", "account360", member, f"/contracts/for-account/{giant}/", page=True)
        )
        self.measure(Op("account detail API (skewed account)", "account360", member, f"/api/v1/accounts/{giant}"))
        self.measure(Op("nine-grid API (skewed account)", "account360", member, f"/api/v1/accounts/{giant}/nine-grid"))

    def searches(self, actors: dict[str, Actor]) -> None:
        from irontriangle.accounts.models import Account

        sample = Account.objects.exclude(credit_code="").order_by("pk").values("name", "credit_code")[500:501].first()
        sample = sample or {"name": "有限公司", "credit_code": ""}
        name_term = urllib.parse.quote(sample["name"][:6])
        for actor in (actors["member"], actors["head"]):
            self.measure(
                Op("search accounts by name (Chinese)", "search", actor, f"/api/v1/accounts?q={name_term}&limit=20")
            )
            if sample["credit_code"]:
                self.measure(
                    Op(
                        "search accounts by credit code",
                        "search",
                        actor,
                        f"/api/v1/accounts?q={sample['credit_code']}&limit=20",
                    )
                )
            self.measure(
                Op(
                    "search minutes (Chinese 招标文件)",
                    "search",
                    actor,
                    f"/api/v1/interactions?q={urllib.parse.quote('招标文件')}&limit=20",
                )
            )
            self.measure(
                Op(
                    "search minutes (English tender)",
                    "search",
                    actor,
                    "/api/v1/interactions?q=tender+documents&limit=20",
                )
            )
            self.measure(
                Op(
                    "search contacts by name",
                    "search",
                    actor,
                    f"/api/v1/contacts?q={urllib.parse.quote('王')}&limit=20",
                )
            )

    def dashboards(self, actors: dict[str, Actor]) -> None:
        for actor in (actors.get("manager"), actors["head"]):
            if actor is None:
                continue
            self.measure(Op("funnel report", "dashboard", actor, "/api/v1/reports/funnel"))
            self.measure(Op("funnel page", "dashboard", actor, "/pipeline/funnel/", page=True))
            self.measure(Op("battle map", "dashboard", actor, "/api/v1/battle-map"))
            self.measure(Op("battle map page", "dashboard", actor, "/battle-map/", page=True))
            self.measure(Op("collections report", "dashboard", actor, "/api/v1/reports/collections"))
            self.measure(Op("call-for-fire queue page", "dashboard", actor, "/resources/queue/", page=True))

    def import_rate(self, actors: dict[str, Actor]) -> None:
        from django.core.management import call_command

        rows = self.options.import_rows
        stamp = int(time.time())
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["name", "industry", "region", "segment", "employees", "annual_revenue"])
            for n in range(rows):
                writer.writerow(
                    [f"导入测试客户{stamp}-{n}有限公司", "manufacturing", "苏州", "smb", 100 + n, 1_000_000 + n]
                )
        # Imported by an AR who is not one of the actors: the new accounts would otherwise join the member's
        # territory and change what the next run measures for them.
        importer = self._importer(actors)
        started = time.perf_counter()
        call_command("import", "accounts", handle.name, "--as", importer, stdout=open(os.devnull, "w"))  # noqa: SIM115
        elapsed = time.perf_counter() - started
        os.unlink(handle.name)
        figure = Figure("import accounts (CSV, validated, audited)", BUDGETS["import"].label, "ar")
        figure.value, figure.unit = rows / elapsed, "rows/s"
        figure.met = BUDGETS["import"].met(figure)
        self.result.figures.append(figure)

    @staticmethod
    def _importer(actors: dict[str, Actor]) -> str:
        from irontriangle.org.models import User

        busy = {actor.username for actor in actors.values()}
        last = User.objects.filter(username__startswith="bench-ar-").exclude(username__in=busy).order_by("-username")
        return str(last.values_list("username", flat=True).first() or actors["member"].username)

    def mixed_load(self, actors: dict[str, Actor]) -> None:
        """Reads and writes from many clients at once for a fixed time: requests per second, errors."""
        from irontriangle.accounts.models import Account

        member = actors["member"]
        own = list(
            Account.objects.filter(owner__username=member.username).order_by("pk").values_list("pk", flat=True)[:64]
        )
        threads_count = 16
        deadline = time.monotonic() + self.options.load_seconds
        done = [0] * threads_count
        failed = [0] * threads_count
        statuses: dict[int, int] = {}
        reads = [
            "/api/v1/accounts?limit=50",
            f"/api/v1/interactions?account_id={self.giant.pk}&limit=50",
            "/api/v1/opportunities?limit=50",
            f"/api/v1/accounts/{self.giant.pk}",
            "/api/v1/contacts?limit=50",
            f"/api/v1/interactions?q={urllib.parse.quote('技术方案')}&limit=20",
        ]

        def worker(n: int) -> None:
            client = Client(self.base, member)
            step = 0
            while time.monotonic() < deadline:
                step += 1
                try:
                    if step % 5 == 0:
                        status = self._write(client, own[n % len(own)] if own else self.giant.pk, n, step)
                    else:
                        status, _ms, _q, _b = client.request("GET", reads[(n + step) % len(reads)])
                except OSError:
                    status = 599
                done[n] += 1
                if status >= 400:
                    failed[n] += 1
                    statuses[status] = statuses.get(status, 0) + 1

        started = time.monotonic()
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        figure = Figure(f"mixed load, {threads_count} clients, 20% writes", BUDGETS["throughput"].label, member.label)
        figure.value, figure.unit, figure.errors = sum(done) / elapsed, "req/s", sum(failed)
        figure.note = f"{sum(done):,} requests in {elapsed:.0f} s" + (
            f", failures by status {statuses}" if statuses else ""
        )
        figure.met = BUDGETS["throughput"].met(figure)
        self.result.figures.append(figure)

    def _write(self, client: Client, account_id: int, n: int, step: int) -> int:
        if step % 10 == 0:
            status, _ms, _q, body = client.request("GET", f"/api/v1/accounts/{account_id}")
            if status != 200:
                return status
            version = json.loads(body)["version"]
            status, *_rest = client.request(
                "PATCH", f"/api/v1/accounts/{account_id}", {"version": version, "address": f"园区大道{n}-{step}号"}
            )
            return status
        status, *_rest = client.request(
            "POST",
            "/api/v1/interactions",
            {"kind": "call", "account_id": account_id, "minutes": f"压力测试通话 {n}-{step}"},
        )
        return status

    def concurrent_writers(self, actors: dict[str, Actor]) -> None:
        """SQLite's one-writer rule under pressure: N clients writing at the same instant."""
        member, count, per_writer = actors["member"], self.options.writers, 10
        barrier = threading.Barrier(count)
        failures: list[int] = []
        before = self.log_path.read_text(errors="replace").count("database is locked") if self.log_path.exists() else 0

        def writer(n: int) -> None:
            client = Client(self.base, member)
            barrier.wait()
            for step in range(per_writer):
                status, *_rest = client.request(
                    "POST", "/api/v1/interactions",
                    {"kind": "visit", "account_id": self.giant.pk, "minutes": f"并发写入 {n}-{step}"},
                )  # fmt: skip
                if status >= 400:
                    failures.append(status)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        locked = self.log_path.read_text(errors="replace").count("database is locked") - before if self.server else 0
        figure = Figure(f"{count} concurrent writers × {per_writer}", BUDGETS["writers"].label, member.label)
        figure.value, figure.unit = float(locked), "locked"
        figure.errors = len(failures)
        figure.note = f"{count * per_writer - len(failures)} of {count * per_writer} writes saved"
        figure.met = locked == 0 and not failures
        self.result.figures.append(figure)

    def describe_scale(self) -> None:
        from irontriangle.accounts.models import Account
        from irontriangle.collections.models import Contract
        from irontriangle.org.models import User
        from irontriangle.pipeline.models import Opportunity
        from irontriangle.relationships.models import Contact, Interaction

        def rows(model: Any) -> int:
            return int(model._base_manager.aggregate(top=Max("pk"))["top"] or 0)

        self.result.scale = {
            "accounts": rows(Account), "contacts": rows(Contact), "opportunities": rows(Opportunity),
            "interactions": rows(Interaction), "contracts": rows(Contract), "users": rows(User),
        }  # fmt: skip


def run_bench(options: BenchOptions, say: Say) -> Result:
    bench = Bench(options, say)
    bench.describe_scale()
    actors = bench.actors()
    bench.start_server()
    try:
        for step in (bench.lists, bench.account_360, bench.searches, bench.dashboards):
            say(f"measuring: {step.__name__.replace('_', ' ')}")
            step(actors)
        say("measuring: import")
        bench.import_rate(actors)
        say(f"measuring: mixed load for {options.load_seconds:.0f} s")
        bench.mixed_load(actors)
        if connection.vendor == "sqlite":
            say(f"measuring: {options.writers} concurrent writers")
            bench.concurrent_writers(actors)
    finally:
        bench.stop_server()
    return bench.result


__all__ = ["BenchOptions", "Budget", "Result", "run_bench"]
