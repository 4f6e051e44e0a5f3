"""The collection measures of the demo data, checked against figures worked out by hand.

Every demo date is counted back from the day the demo is loaded, and no invoice or payment lies near
the edge of the 90-day window, so these figures are the same on any calendar day.

The demo's contracts (CNY; "d" = days before the load; billed = invoiced, or else due):

    unit                contract                 milestone            amount      billed   received
    运营商大客户部       HT-CM-0417  12,000,000   1 down payment 30%   3,600,000   40d      3,600,000 on 30d
      (director)                                 2 on delivery 60%    7,200,000    8d      3,000,000 on 3d
                                                 3 on acceptance 10%  1,200,000   —  (not accepted yet)
    制造业大客户部       HT-EC-0352   6,000,000   1 down payment 30%   1,800,000  200d      1,800,000 on 190d
      (ar2)                                      2 on delivery 30%    1,800,000  150d        600,000 on 100d
                                                                                           300,000 on 40d
                                                 3 on acceptance 30%  1,800,000   85d      —  (certificate missing)
                                                 4 warranty 10%         600,000   —  (due in 305 days)
    华南运营商组         HT-SZ-0298   1,500,000   1 down payment 40%     600,000  150d        600,000 on 138d
      (ar)                                       2 on acceptance 50%    750,000   74d      —  (disputed)
                                                 3 warranty 10%         150,000   —  (due in 320 days)
    中小企业销售部       HT-MD-0511     116,000   1 down payment 100%    116,000   20d        116,000 on 12d
      (smb)             HT-TY-0486     240,000   1 down payment 50%     120,000   45d        120,000 on 38d
                                                 2 on acceptance 50%    120,000    9d      —
"""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from irontriangle.collections import measures
from irontriangle.collections.models import Contract, Evidence, MilestoneAlert
from irontriangle.collections.selectors import contracts_visible, milestones_visible, with_collected
from irontriangle.common.access import viewer_of
from irontriangle.org.models import OrgUnit, User

D = Decimal


@pytest.fixture
def finance(db: Any) -> Any:
    call_command("demo", stdout=StringIO())
    return viewer_of(User.objects.get(username="finance"))


def _units() -> dict[int, str]:
    return dict(OrgUnit.objects.values_list("pk", "code"))


def test_collection_cycle_dso_of_the_demo(finance):
    today = timezone.localdate()
    units = _units()
    rows = {units[row.key]: row for row in measures.collection_cycle(finance, "unit", today, days=90)}
    assert set(rows) == {"ka-telecom", "ka-mfg", "ka-telecom-south", "smb"}

    # DSO = money receivable today ÷ money billed in the last 90 days × 90.
    # Receivable: what is still outstanding on every milestone billed by today (whenever billed).
    # Average days to collect: each payment of the last 90 days, weighed by its amount, from billing to receipt.

    # 运营商大客户部: receivable 0 + (7,200,000 − 3,000,000) = 4,200,000
    #   billed in the window 3,600,000 (40d) + 7,200,000 (8d) = 10,800,000
    #   DSO = 4,200,000 ÷ 10,800,000 × 90 = 35.00
    #   collected 3,600,000 (10 days after billing) + 3,000,000 (5 days) = 6,600,000
    #   average = (3,600,000 × 10 + 3,000,000 × 5) ÷ 6,600,000 = 51,000,000 ÷ 6,600,000 = 7.727… → 7.73
    telecom = rows["ka-telecom"]
    assert (telecom.receivable, telecom.billed) == (D("4200000"), D("10800000"))
    assert telecom.dso_days == D("35.00")
    assert (telecom.collected, telecom.average_days_to_collect) == (D("6600000"), D("7.73"))

    # 制造业大客户部: receivable (1,800,000 − 600,000 − 300,000) + 1,800,000 = 900,000 + 1,800,000 = 2,700,000
    #   billed in the window: only the acceptance milestone, 1,800,000 (85d); the others were billed 150d
    #   and 200d ago, before the window
    #   DSO = 2,700,000 ÷ 1,800,000 × 90 = 135.00
    #   collected in the window 300,000, received 40d on a milestone billed 150d: 110 days
    mfg = rows["ka-mfg"]
    assert (mfg.receivable, mfg.billed) == (D("2700000"), D("1800000"))
    assert mfg.dso_days == D("135.00")
    assert (mfg.collected, mfg.average_days_to_collect) == (D("300000"), D("110.00"))

    # 华南运营商组: the disputed acceptance milestone is still receivable: 750,000, billed 74d ago: 750,000
    #   DSO = 750,000 ÷ 750,000 × 90 = 90.00; nothing collected in the window
    south = rows["ka-telecom-south"]
    assert (south.receivable, south.billed, south.dso_days) == (D("750000"), D("750000"), D("90.00"))
    assert (south.collected, south.average_days_to_collect) == (D("0"), None)

    # 中小企业销售部: receivable 120,000 (天越 acceptance); billed 116,000 + 120,000 + 120,000 = 356,000
    #   DSO = 120,000 ÷ 356,000 × 90 = 30.337… → 30.34
    #   collected 116,000 (8 days after billing) + 120,000 (7 days) = 236,000
    #   average = (116,000 × 8 + 120,000 × 7) ÷ 236,000 = 1,768,000 ÷ 236,000 = 7.491… → 7.49
    smb = rows["smb"]
    assert (smb.receivable, smb.billed, smb.dso_days) == (D("120000"), D("356000"), D("30.34"))
    assert (smb.collected, smb.average_days_to_collect) == (D("236000"), D("7.49"))

    # The whole company: (4,200,000 + 2,700,000 + 750,000 + 120,000) ÷ (10,800,000 + 1,800,000 + 750,000
    #   + 356,000) × 90 = 7,770,000 ÷ 13,706,000 × 90 = 51.021… → 51.02
    receivable = sum((row.receivable for row in rows.values()), D("0"))
    billed = sum((row.billed for row in rows.values()), D("0"))
    assert (receivable, billed) == (D("7770000"), D("13706000"))
    assert (receivable / billed * 90).quantize(D("0.01")) == D("51.02")

    # Per AR the same figures: each unit's contracts are one AR's.
    by_ar = {
        User.objects.get(pk=row.key).username: row.dso_days
        for row in measures.collection_cycle(finance, "ar", today, days=90)
    }
    assert by_ar == {"director": D("35.00"), "ar2": D("135.00"), "ar": D("90.00"), "smb": D("30.34")}
    # Ordered worst first.
    assert [row.dso_days for row in measures.collection_cycle(finance, "unit", today, days=90)] == [
        D("135.00"),
        D("90.00"),
        D("35.00"),
        D("30.34"),
    ]


def test_down_payment_ratio_of_the_demo(finance):
    # Per contract: down payment ÷ contract amount.
    #   HT-CM-0417 3,600,000 ÷ 12,000,000 = 30.00 %   HT-EC-0352 1,800,000 ÷ 6,000,000 = 30.00 %
    #   HT-SZ-0298   600,000 ÷  1,500,000 = 40.00 %   HT-MD-0511   116,000 ÷   116,000 = 100.00 %
    #   HT-TY-0486   120,000 ÷    240,000 = 50.00 %
    contracts = with_collected(contracts_visible(finance))
    ratios = {c.number: measures.down_payment_ratio(c.amount, c.down_payment) for c in contracts}
    assert ratios == {
        "HT-CM-0417": D("30.00"),
        "HT-EC-0352": D("30.00"),
        "HT-SZ-0298": D("40.00"),
        "HT-MD-0511": D("100.00"),
        "HT-TY-0486": D("50.00"),
    }

    # Per unit: sum of down payments ÷ sum of contract amounts (not the mean of the ratios).
    #   中小企业销售部 (116,000 + 120,000) ÷ (116,000 + 240,000) = 236,000 ÷ 356,000 = 66.292… % → 66.29
    #   (the mean of 100 % and 50 % would say 75 %)
    units = _units()
    rows = {units[row.key]: row for row in measures.down_payment_by(finance, "unit")}
    assert {code: (row.contracts, row.amount, row.down_payment, row.ratio) for code, row in rows.items()} == {
        "ka-telecom": (1, D("12000000"), D("3600000"), D("30.00")),
        "ka-mfg": (1, D("6000000"), D("1800000"), D("30.00")),
        "ka-telecom-south": (1, D("1500000"), D("600000"), D("40.00")),
        "smb": (2, D("356000"), D("236000"), D("66.29")),
    }
    # The company: 6,236,000 ÷ 19,856,000 = 31.406… % → 31.41
    total = sum((row.amount for row in rows.values()), D("0"))
    down = sum((row.down_payment for row in rows.values()), D("0"))
    assert measures.down_payment_ratio(total, down) == D("31.41")


def test_the_demo_shows_every_milestone_state_and_an_evidence_gap(finance):
    today = timezone.localdate()
    rows = list(milestones_visible(finance, today).select_related("contract"))
    states = {(row.contract.number, row.position): (row.current_status, row.bucket) for row in rows}
    assert states == {
        ("HT-CM-0417", 1): ("paid", ""),
        ("HT-CM-0417", 2): ("partially_paid", "not_due"),
        ("HT-CM-0417", 3): ("planned", "not_due"),
        ("HT-EC-0352", 1): ("paid", ""),
        ("HT-EC-0352", 2): ("overdue", "91_180"),
        ("HT-EC-0352", 3): ("overdue", "31_90"),
        ("HT-EC-0352", 4): ("planned", "not_due"),
        ("HT-SZ-0298", 1): ("paid", ""),
        ("HT-SZ-0298", 2): ("disputed", "31_90"),
        ("HT-SZ-0298", 3): ("planned", "not_due"),
        ("HT-MD-0511", 1): ("paid", ""),
        ("HT-TY-0486", 1): ("paid", ""),
        ("HT-TY-0486", 2): ("invoiced", "not_due"),
    }
    # The stored status (kept by the services and the hourly job) agrees with the one computed on read.
    assert all(row.status == row.current_status for row in rows)
    # Ageing: 900,000 in 91–180 days, 1,800,000 + 750,000 in 31–90 days.
    buckets = {
        code: sum(row.buckets[code] for row in measures.ageing(finance, "unit", today)) for code in ("31_90", "91_180")
    }
    assert buckets == {"31_90": D("2550000"), "91_180": D("900000")}

    # 华东精工 accepted 90 days ago, but its acceptance certificate is not in the evidence chain.
    steel = Contract.objects.get(number="HT-EC-0352")
    assert steel.accepted_on is not None
    acceptance = steel.milestones.get(position=3)
    assert (acceptance.evidence_present, acceptance.evidence_needed) == (1, 2)
    assert not Evidence.objects.filter(contract=steel, kind="acceptance_certificate").exists()
    # Every other milestone billed by today has its papers.
    gaps = [
        (row.contract.number, row.position)
        for row in rows
        if row.due is not None and row.due <= today and row.evidence_present < row.evidence_needed
    ]
    assert gaps == [("HT-EC-0352", 3)]
    # The files are real: PDFs and PNGs, recognised from their content.
    assert set(Evidence.objects.values_list("content_type", flat=True)) == {"application/pdf", "image/png"}
    # The first run of the hourly job told the AR and FR of the two overdue milestones and the one due soon.
    assert sorted(MilestoneAlert.objects.values_list("kind", flat=True)) == ["due_soon", "overdue", "overdue"]
