"""`irontriangle bench seed`: a large, skewed, deterministic data set for the benchmark.

Shapes follow real key-account books: a company tree of regions and teams of ten, accounts owned by
account managers with an iron triangle each, a few giant accounts (10k people, 50k interactions) and
a long tail with a handful each, opportunities in realistic stage proportions and contracts with a
30/30/30/10 payment plan. Everything is drawn from one seeded generator, so a scale and a seed always
give the same data.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from irontriangle.accounts.models import Account, AccountTeamMember
from irontriangle.accounts.profiling import name_key, reclassify_all
from irontriangle.bench import names
from irontriangle.bench.bulk import FastLoad, Table, analyse, reset_sequences, write
from irontriangle.bench.scales import GIANT_CONTACTS, GIANT_INTERACTIONS, Scale
from irontriangle.collections.models import Contract, PaymentMilestone
from irontriangle.org.models import Membership, OrgUnit, User
from irontriangle.pipeline.models import Opportunity, OpportunityTeamMember, SalesProcess, Stage
from irontriangle.relationships.models import BuyingRole, Contact, ContactOwner, Interaction

BENCH_PASSWORD = "Bench-2026!"  # the documented password of generated benchmark users
CHUNK_ACCOUNTS = 2_000
KA_STAGES = {"verify": 20, "guide": 12, "trial": 8, "bid": 7, "negotiate": 5, "won": 32, "lost": 16}
SMB_STAGES = {"qualify": 20, "demo": 12, "proposal": 9, "close": 11, "won": 32, "lost": 16}
INTERACTION_KINDS = (
    (["visit"] * 40) + (["call"] * 25) + (["meeting"] * 15) + (["meal"] * 10) + ["exhibition"] * 5 + ["site_tour"] * 5
)
MILESTONE_PLAN = (
    ("down_payment", Decimal("30"), "signing"),
    ("on_delivery", Decimal("30"), "delivery"),
    ("on_acceptance", Decimal("30"), "acceptance"),
    ("warranty_retention", Decimal("10"), "warranty_end"),
)


@dataclass
class Team:
    unit_id: int
    manager: int
    ars: list[int]
    srs: list[int]
    frs: list[int]


@dataclass
class Book:
    """What later steps need to know about the accounts already written."""

    account_ids: list[int] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    triangles: list[tuple[int, int, int]] = field(default_factory=list)
    units: list[int] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)
    contact_start: list[int] = field(default_factory=list)
    contact_count: list[int] = field(default_factory=list)
    contact_names: dict[int, str] = field(default_factory=dict)


@dataclass
class Report:
    scale: str
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, count: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + count


class Seeder:
    def __init__(self, scale: Scale, seed: int, say: Callable[[str], None]) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.started = time.monotonic()
        self.say = lambda text: say(f"[{time.monotonic() - self.started:6.1f} s] {text}")
        self.now = timezone.now().replace(microsecond=0)
        self.today = timezone.localdate()
        self.report = Report(scale.code)
        self.teams: list[Team] = []
        self.book = Book()

    # --- helpers ---------------------------------------------------------------------------------

    def table(self, model: Any, varying: list[str]) -> Table:
        return Table(model, varying, self.now)

    def put(self, model: Any, varying: list[str], rows: Iterator[tuple[Any, ...]] | list[tuple[Any, ...]]) -> None:
        table = self.table(model, varying)
        self.report.add(table.name, write(table, iter(rows)))

    def next_id(self, model: Any) -> int:
        last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
        return int(last or 0) + 1

    def skewed_counts(self, items: int, total: int, cap: int) -> list[int]:
        """`total` spread over `items` with a heavy tail: most get a handful, a few get many."""
        weights = [min(self.rng.paretovariate(1.3), 200.0) for _ in range(items)]
        scale = total / sum(weights)
        return [max(1, min(cap, round(w * scale))) for w in weights]

    # --- the steps -------------------------------------------------------------------------------

    def run(self) -> Report:
        written: list[Any] = [
            *(Account, AccountTeamMember, Contact, ContactOwner, Interaction, Opportunity, OpportunityTeamMember),
            *(Contract, PaymentMilestone, Interaction.contacts.through, Interaction.participants.through),
        ]
        with FastLoad([m._meta.db_table for m in written]), transaction.atomic():
            self.org()
            self.accounts()
            self.contacts_and_interactions()
            self.opportunities_and_contracts()
            self.say("building indexes")
        reset_sequences(written)
        # Statistics first: without them the planner does not know the fresh tables are large, and
        # the per-account strength subqueries turn into scans.
        self.say("collecting planner statistics")
        analyse()
        self.say("deriving relationship strength and the customer matrix")
        reclassify_all()
        analyse(Account._meta.db_table)
        self.report.seconds = round(time.monotonic() - self.started, 1)
        return self.report

    def org(self) -> None:
        self.say(f"org: {self.scale.users} users in teams of ten")
        password = make_password(BENCH_PASSWORD)
        root = OrgUnit.objects.create(code="bench", name="基准集团", name_en="Bench Group", segment="ka", path="/")
        OrgUnit.objects.filter(pk=root.pk).update(path=f"/{root.pk}/")
        root.path = f"/{root.pk}/"
        team_count = max(2, self.scale.users // 10)
        region_count = max(2, team_count // 25)
        users: list[User] = []

        def user(name: str, display: str) -> User:
            made = User(username=name, display_name=display, password=password, email=f"{name}@bench.invalid")
            users.append(made)
            return made

        gm = user("bench-gm", "基准总经理")
        regions: list[tuple[OrgUnit, User]] = []
        for r in range(region_count):
            city_zh, city_en = names.CITIES[r % len(names.CITIES)]
            unit = OrgUnit.objects.create(
                code=f"bench-r{r + 1:02d}", name=f"{city_zh}大区{r + 1}", name_en=f"{city_en} region {r + 1}",
                segment="ka", parent=root, path="/",
            )  # fmt: skip
            unit.path = f"{root.path}{unit.pk}/"
            OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path)
            regions.append((unit, user(f"bench-rm-{r + 1:02d}", f"{city_zh}大区经理")))
        plan: list[tuple[OrgUnit, list[tuple[str, User]]]] = []
        serial = {"ar": 0, "sr": 0, "fr": 0, "tm": 0}
        for t in range(team_count):
            region, _manager = regions[t % region_count]
            unit = OrgUnit.objects.create(
                code=f"bench-t{t + 1:04d}", name=f"{region.name}{t + 1}组", name_en=f"{region.name_en} team {t + 1}",
                segment="ka" if t % 3 else "smb", parent=region, path="/",
            )  # fmt: skip
            unit.path = f"{region.path}{unit.pk}/"
            OrgUnit.objects.filter(pk=unit.pk).update(path=unit.path)
            members = []
            for role in ("tm", "ar", "ar", "ar", "ar", "ar", "sr", "sr", "fr", "fr"):
                serial[role] += 1
                label = {"tm": "组长", "ar": "客户经理", "sr": "方案经理", "fr": "交付经理"}[role]
                members.append((role, user(f"bench-{role}-{serial[role]:04d}", f"{names.person(self.rng)}·{label}")))
            plan.append((unit, members))
        User.objects.bulk_create(users, batch_size=2000)
        ids = dict(User.objects.filter(username__startswith="bench-").values_list("username", "pk"))
        memberships = [Membership(user_id=ids[gm.username], unit=root, is_primary=True, is_manager=True)]
        memberships += [
            Membership(user_id=ids[manager.username], unit=unit, is_primary=True, is_manager=True)
            for unit, manager in regions
        ]
        for unit, members in plan:
            team = Team(unit.pk, 0, [], [], [])
            for role, member in members:
                pk = ids[member.username]
                memberships.append(Membership(user_id=pk, unit=unit, is_primary=True, is_manager=role == "tm"))
                if role == "tm":
                    team.manager = pk
                else:
                    getattr(team, f"{role}s").append(pk)
            self.teams.append(team)
        Membership.objects.bulk_create(memberships, batch_size=2000)
        self.report.add("org_user", len(users))

    def accounts(self) -> None:
        scale, rng, book = self.scale, self.rng, self.book
        self.say(f"accounts: {scale.accounts}")
        first = self.next_id(Account)
        giants = scale.giants
        contacts_rest = scale.contacts - giants * GIANT_CONTACTS
        counts = [GIANT_CONTACTS] * giants + self.skewed_counts(scale.accounts - giants, contacts_rest, 2_000)
        rows, team_rows = [], []
        paths: dict[int, str] = {}
        contact_next = self.next_id(Contact)
        for i in range(scale.accounts):
            pk = first + i
            team = self.teams[0] if i < giants else self.teams[rng.randrange(len(self.teams))]
            ar, sr, fr = (
                (team.ars[0] if i < giants else rng.choice(team.ars)),
                rng.choice(team.srs),
                rng.choice(team.frs),
            )
            name, region, industry, code = names.company(rng, pk)
            if i < giants:
                name = f"{names.CITIES[i][0]}巨龙集团股份有限公司{i + 1}号"
            ka = i < giants or rng.random() < 0.25
            parent = None
            if i >= giants and i > 50 and rng.random() < 0.1:
                parent = first + rng.randrange(giants, i)
            path = f"{paths[parent] if parent else '/'}{pk}/"
            paths[pk] = path
            revenue = Decimal(int(rng.lognormvariate(19, 1.5))) if rng.random() < 0.7 else None
            potential = Decimal(int(rng.lognormvariate(15.5, 1.2))) if ka else None
            rows.append((
                pk, name, name_key(name), code, parent, path, industry, region,
                rng.choice(("global", "national", "regional", "local")), revenue, rng.randrange(20, 50_000),
                "ka" if ka else "smb", rng.choice("sabc") if ka else "", potential, team.unit_id, ar,
                rng.choice(("continuous", "occasional")), rng.choice(("exploring", "rising", "stable", "declining")),
                rng.random() < 0.3, rng.random() < 0.2,
            ))  # fmt: skip
            for role, user_id in (("ar", ar), ("sr", sr), ("fr", fr)):
                team_rows.append((pk, user_id, role, True))
            book.account_ids.append(pk)
            book.names.append(name)
            book.triangles.append((ar, sr, fr))
            book.units.append(team.unit_id)
            book.segments.append("ka" if ka else "smb")
            book.contact_start.append(contact_next)
            book.contact_count.append(counts[i])
            contact_next += counts[i]
        self.put(Account, [
            "id", "name", "name_key", "credit_code", "parent_id", "tree_path", "industry", "region", "coverage",
            "annual_revenue", "employees", "segment", "tier", "potential", "owner_unit_id", "owner_id",
            "purchase_pattern", "lifecycle_stage", "on_vendor_list", "listed_in_ranking",
        ], rows)  # fmt: skip
        self.put(AccountTeamMember, ["account_id", "user_id", "role", "is_primary"], team_rows)

    def contacts_and_interactions(self) -> None:
        scale, book = self.scale, self.book
        self.say(f"contacts: {scale.contacts}, interactions: {scale.interactions}")
        giants = scale.giants
        rest_contacts = sum(book.contact_count[giants:]) or 1
        per_contact = (scale.interactions - giants * GIANT_INTERACTIONS) / rest_contacts
        interaction_id = self.next_id(Interaction)
        for start in range(0, len(book.account_ids), CHUNK_ACCOUNTS):
            chunk = range(start, min(start + CHUNK_ACCOUNTS, len(book.account_ids)))
            self.put(Contact, CONTACT_COLUMNS, self._contacts(chunk))
            self.put(ContactOwner, ["contact_id", "user_id", "is_primary"], self._owners(chunk))
            wanted = [
                GIANT_INTERACTIONS
                if i < giants
                else round(book.contact_count[i] * per_contact * self.rng.uniform(0.5, 1.5))
                for i in chunk
            ]
            rows, met, went = self._interactions(chunk, wanted, interaction_id)
            interaction_id += len(rows)
            self.put(Interaction, INTERACTION_COLUMNS, rows)
            self.put(Interaction.contacts.through, ["interaction_id", "contact_id"], met)
            self.put(Interaction.participants.through, ["interaction_id", "user_id"], went)
            book.contact_names.clear()

    def _contacts(self, chunk: range) -> Iterator[tuple[Any, ...]]:
        rng, book = self.rng, self.book
        roles = BuyingRole.values
        for i in chunk:
            first, count = book.contact_start[i], book.contact_count[i]
            for n in range(count):
                pk = first + n
                name = names.person(rng)
                book.contact_names[pk] = name
                # A power map: the first person is at the top, the next few report to them, the rest below.
                boss = None if n == 0 else first + (rng.randrange(0, min(n, 8)) if n > 8 else 0)
                key = n < 3 or rng.random() < 0.06
                status = "active" if rng.random() < 0.92 else rng.choice(("moved", "promoted", "left"))
                yield (
                    pk, book.account_ids[i], name, names.title(rng), rng.choice(names.DEPARTMENTS), boss,
                    f"1{rng.randrange(30, 99)}{rng.randrange(10_000_000, 99_999_999)}",
                    ",".join(rng.sample(roles, rng.choice((0, 1, 1, 2)))) if n else "decision_maker",
                    rng.randint(1, 5), rng.choice(("supporter", "neutral", "neutral", "opponent")),
                    rng.choice(("low", "medium", "high")), rng.choice(("low", "medium", "high")), key, status,
                )  # fmt: skip

    def _owners(self, chunk: range) -> Iterator[tuple[Any, ...]]:
        book = self.book
        for i in chunk:
            ar, sr, _fr = book.triangles[i]
            first = book.contact_start[i]
            for pk in range(first, first + min(3, book.contact_count[i])):
                yield (pk, ar, True)
                if pk != first + 2:
                    yield (pk, sr, False)

    def _interactions(self, chunk: range, wanted: list[int], first_id: int) -> tuple[list, list, list]:
        rng, book, now = self.rng, self.book, self.now
        rows: list[tuple[Any, ...]] = []
        met: list[tuple[int, int]] = []
        went: list[tuple[int, int]] = []
        pk = first_id
        for i, count in zip(chunk, wanted, strict=True):
            account_id = book.account_ids[i]
            first, contacts = book.contact_start[i], book.contact_count[i]
            triangle = book.triangles[i]
            for _ in range(count):
                people = {first + rng.randrange(contacts) for _ in range(rng.choice((1, 1, 2)))}
                who = list(dict.fromkeys((triangle[0], *rng.sample(triangle, rng.choice((0, 0, 1))))))
                person_names = [book.contact_names[p] for p in people]
                minutes, next_steps = names.minutes(rng, person_names[0])
                when = now - timedelta(days=int(730 * rng.random() ** 1.6), minutes=rng.randrange(0, 24 * 60))
                search = "\n".join((book.names[i], *person_names, minutes, next_steps))
                rows.append((pk, rng.choice(INTERACTION_KINDS), when, account_id, minutes, next_steps, who[0], search))
                met.extend((pk, p) for p in people)
                went.extend((pk, u) for u in who)
                pk += 1
        return rows, met, went

    def opportunities_and_contracts(self) -> None:
        scale, book = self.scale, self.book
        self.say(f"opportunities: {scale.opportunities}, contracts: {scale.contracts}")
        stages = self._stages()
        per_account = self.skewed_counts(len(book.account_ids), scale.opportunities, 5_000)
        for g in range(scale.giants):
            per_account[g] = max(per_account[g], 300)
        opportunity_id = self.next_id(Opportunity)
        contract_id = self.next_id(Contract)
        contracts_left = scale.contracts
        for start in range(0, len(book.account_ids), CHUNK_ACCOUNTS):
            opportunities: list[tuple[Any, ...]] = []
            team: list[tuple[int, int, str]] = []
            won: list[tuple[int, int, tuple[Any, ...]]] = []
            for i in range(start, min(start + CHUNK_ACCOUNTS, len(book.account_ids))):
                for _ in range(per_account[i]):
                    row = self._opportunity(opportunity_id, i, stages[book.segments[i]])
                    opportunities.append(row)
                    ar, sr, fr = book.triangles[i]
                    team.extend(((opportunity_id, ar, "ar"), (opportunity_id, sr, "sr"), (opportunity_id, fr, "fr")))
                    if row[3] == "won":
                        won.append((opportunity_id, i, row))
                    opportunity_id += 1
            self.put(Opportunity, OPPORTUNITY_COLUMNS, (row[:3] + row[4:] for row in opportunities))
            self.put(OpportunityTeamMember, ["opportunity_id", "user_id", "role"], team)
            contracts, milestones = self._contracts(won[: max(0, contracts_left)], contract_id)
            contract_id += len(contracts)
            contracts_left -= len(contracts)
            self.put(Contract, CONTRACT_COLUMNS, contracts)
            self.put(PaymentMilestone, MILESTONE_COLUMNS, milestones)

    def _stages(self) -> dict[str, list[tuple[Stage, int]]]:
        found: dict[str, list[tuple[Stage, int]]] = {}
        for process in SalesProcess.objects.filter(code__in=("ka", "smb")):
            weights = KA_STAGES if process.code == "ka" else SMB_STAGES
            found[process.code] = [(s, weights.get(s.code, 0)) for s in process.stages.all()]
        return found

    def _opportunity(self, pk: int, i: int, stages: list[tuple[Stage, int]]) -> tuple[Any, ...]:
        rng, book, today = self.rng, self.book, self.today
        stage = rng.choices([s for s, _w in stages], weights=[w for _s, w in stages])[0]
        amount = Decimal(max(20_000, int(rng.lognormvariate(13.3, 1.1)))).quantize(Decimal("1000"))
        margin = (amount * Decimal(rng.randrange(8, 45)) / 100).quantize(Decimal("0.01"))
        entered = self.now - timedelta(days=rng.randrange(1, 200))
        closed = (today - timedelta(days=rng.randrange(5, 900))) if stage.outcome else None
        expected = closed or today + timedelta(days=rng.randrange(-30, 360))
        product = rng.choice(names.PRODUCTS)
        return (
            pk, book.account_ids[i], f"{book.names[i][:40]} {product}项目", stage.code, stage.process_id, stage.pk,
            entered, amount, expected, stage.probability, stage.forecast_category, book.triangles[i][0],
            closed, book.units[i], "responsibility", margin, (margin * 100 / amount).quantize(Decimal("0.01")),
        )  # fmt: skip

    def _contracts(self, won: list[tuple[int, int, tuple[Any, ...]]], first_id: int) -> tuple[list, list]:
        rng, book, today = self.rng, self.book, self.today
        contracts: list[tuple[Any, ...]] = []
        milestones: list[tuple[Any, ...]] = []
        for n, (opportunity_id, i, row) in enumerate(won):
            pk = first_id + n
            signed = row[12]
            delivered = signed + timedelta(days=rng.randrange(20, 120))
            delivered = delivered if delivered < today and rng.random() < 0.85 else None
            accepted = delivered + timedelta(days=rng.randrange(15, 90)) if delivered else None
            accepted = accepted if accepted and accepted < today and rng.random() < 0.8 else None
            warranty = accepted + timedelta(days=365) if accepted else None
            ar, _sr, fr = book.triangles[i]
            amount = row[7]
            contracts.append((
                pk, opportunity_id, book.account_ids[i], f"BH-{pk:08d}", row[2][:200], signed, amount, ar, fr,
                delivered, accepted, warranty,
            ))  # fmt: skip
            dates = {"signing": signed, "delivery": delivered, "acceptance": accepted, "warranty_end": warranty}
            for position, (kind, percent, trigger) in enumerate(MILESTONE_PLAN):
                share = (amount * percent / 100).quantize(Decimal("0.01"))
                base = dates[trigger]
                due = base + timedelta(days=30) if base else None
                received, status = self._collection(share, due, today)
                milestones.append((pk, position, kind, percent, share, trigger, 30, due, received, status, fr))
        return contracts, milestones

    def _collection(self, share: Decimal, due: date | None, today: date) -> tuple[Decimal, str]:
        if due is None or due > today:
            return Decimal("0"), "planned"
        roll = self.rng.random()
        if roll < 0.82:
            return share, "paid"
        if roll < 0.92:
            return (share / 2).quantize(Decimal("0.01")), "overdue"
        return Decimal("0"), "overdue"


CONTACT_COLUMNS = [
    "id", "account_id", "name", "title", "department", "reports_to_id", "phone", "buying_roles", "influence",
    "stance", "intimacy", "support", "is_key", "status",
]  # fmt: skip
INTERACTION_COLUMNS = [
    "id",
    "kind",
    "occurred_at",
    "account_id",
    "minutes",
    "next_steps",
    "logged_by_id",
    "search_text",
]
OPPORTUNITY_COLUMNS = [
    "id", "account_id", "name", "process_id", "stage_id", "stage_entered_at", "amount", "expected_close",
    "probability", "forecast_category", "owner_id", "closed_on", "lead_unit_id", "lead_basis", "margin",
    "margin_percent",
]  # fmt: skip
CONTRACT_COLUMNS = [
    "id", "opportunity_id", "account_id", "number", "title", "signed_on", "amount", "ar_id", "fr_id", "delivered_on",
    "accepted_on", "warranty_ends_on",
]  # fmt: skip
MILESTONE_COLUMNS = [
    "contract_id", "position", "kind", "percent", "amount", "trigger", "offset_days", "due", "received", "status",
    "responsible_id",
]  # fmt: skip


def seed(scale: Scale, seed_value: int, say: Callable[[str], None]) -> Report:
    if Account.all_objects.exists() or User.objects.filter(username__startswith="bench-").exists():
        raise ValueError("bench seed needs a database without accounts: migrate a fresh one first.")
    return Seeder(scale, seed_value, say).run()
