"""Derived account facts: KA profile rule, relationship strength, customer matrix, name key, tree path.

Each rule exists twice on purpose: as Python for the one account a service is saving (so the change is
in that save's history) and as a SQL expression for re-classifying every account at once when an
administrator changes the configuration. tests/accounts/test_profiling.py holds the two to each other.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Case, F, Q, Value, When

from irontriangle.accounts.models import Account, KaProfileRule, MatrixClass, MatrixSettings

if TYPE_CHECKING:
    from collections.abc import Sequence

# Legal-form words that do not tell two companies apart. Longest first, so the longest one is removed.
CHINESE_SUFFIXES = sorted(
    (
        "股份有限公司",
        "有限责任公司",
        "有限責任公司",
        "有限公司",
        "股份公司",
        "公司",
    ),
    key=len,
    reverse=True,
)
ENGLISH_SUFFIX_WORDS = frozenset(
    {"co", "company", "corp", "corporation", "inc", "incorporated", "ltd", "limited", "llc", "plc", "gmbh", "ag", "sa"}
)
_WORD = re.compile(r"\w+", re.UNICODE)


def name_key(name: str) -> str:
    """A company name reduced to what identifies it: width, case, spaces, punctuation and legal form go."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    words = _WORD.findall(text)
    # Trailing English legal-form words ("Co., Ltd.") are dropped word by word, never inside a word.
    while len(words) > 1 and words[-1] in ENGLISH_SUFFIX_WORDS:
        words.pop()
    key = "".join(words)
    changed = True
    while changed:
        changed = False
        for suffix in CHINESE_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                key = key[: -len(suffix)]
                changed = True
                break
    return key[:200]


# --- customer matrix -------------------------------------------------------------------------------


def matrix_settings() -> MatrixSettings:
    settings, _created = MatrixSettings.objects.get_or_create(pk=1)
    return settings


def relationship_score(account: Account, settings: MatrixSettings | None = None) -> int:
    """Relationship strength 0–100 from the contacts (user guide, "Relationship strength"): the share of
    the account's active decision makers and key persons who support us with medium or high intimacy."""
    from irontriangle.relationships.strength import strength_counts

    counted, strong = strength_counts(account.pk) if account.pk else (0, 0)
    return 100 * strong // counted if counted else 0


def matrix_class(potential: Decimal | None, score: int, settings: MatrixSettings) -> str:
    high = potential is not None and potential >= settings.potential_threshold
    strong = score >= settings.strength_threshold
    if high:
        return MatrixClass.CORE if strong else MatrixClass.GROWTH
    return MatrixClass.TRACTION if strong else MatrixClass.PROBLEM


def relationship_score_sql(settings: MatrixSettings | None = None) -> Any:
    from irontriangle.relationships.strength import strength_score_sql

    return strength_score_sql()


def matrix_class_sql(settings: MatrixSettings) -> Case:
    """The matrix class from the stored potential and relationship score."""
    high = Q(potential__gte=settings.potential_threshold)
    strong = Q(relationship_score__gte=settings.strength_threshold)
    return Case(
        When(high & strong, then=Value(MatrixClass.CORE)),
        When(high, then=Value(MatrixClass.GROWTH)),
        When(strong, then=Value(MatrixClass.TRACTION)),
        default=Value(MatrixClass.PROBLEM),
    )


# --- KA profile rules ------------------------------------------------------------------------------


# The KA profiles of seed 004. Rules can be edited and disabled, never deleted, so an empty table means
# the configuration was never installed (a flushed or hand-built database): install the defaults.
DEFAULT_RULES = [
    {"code": "global", "priority": 10, "coverage": "global"},
    {"code": "national", "priority": 20, "coverage": "national"},
    {
        "code": "regional",
        "priority": 30,
        "coverage": "regional",
        "min_annual_revenue": Decimal("50000000.00"),
        "requires_region": True,
    },
    {"code": "high_willingness", "priority": 40, "requires_high_willingness": True},
]


def enabled_rules() -> list[KaProfileRule]:
    rules = list(KaProfileRule.objects.order_by("priority", "code"))
    if not rules:
        for values in DEFAULT_RULES:
            KaProfileRule.objects.get_or_create(code=values["code"], defaults=values)
        rules = list(KaProfileRule.objects.order_by("priority", "code"))
    return [rule for rule in rules if rule.enabled]


def rule_matches(rule: KaProfileRule, account: Account) -> bool:
    if rule.coverage and account.coverage != rule.coverage:
        return False
    if rule.min_annual_revenue is not None and (
        account.annual_revenue is None or account.annual_revenue < rule.min_annual_revenue
    ):
        return False
    if rule.requires_region and not (account.region or "").strip():
        return False
    if rule.requires_ranking and not account.listed_in_ranking:
        return False
    return not (rule.requires_high_willingness and not account.high_willingness_to_pay)


def matching_rule(account: Account, rules: Iterable[KaProfileRule]) -> str:
    for rule in rules:
        if rule_matches(rule, account):
            return rule.code
    return ""


def explain_rule(rule: KaProfileRule, account: Account) -> list[str]:
    """The facts that made the rule match, in the reader's language."""
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    reasons = []
    if rule.coverage:
        reasons.append(_("Coverage: %(value)s") % {"value": account.get_coverage_display()})
    if rule.requires_region:
        reasons.append(_("Home region: %(value)s") % {"value": account.region})
    if rule.min_annual_revenue is not None and account.annual_revenue is not None:
        reasons.append(
            _("Annual revenue %(revenue)s ≥ %(threshold)s")
            % {
                "revenue": number_format(account.annual_revenue, 0, force_grouping=True),
                "threshold": number_format(rule.min_annual_revenue, 0, force_grouping=True),
            }
        )
    if rule.requires_ranking:
        reasons.append(_("Listed in a ranking"))
    if rule.requires_high_willingness:
        reasons.append(_("High willingness to pay"))
    return reasons


def rule_q(rule: KaProfileRule) -> Q:
    condition = Q()
    if rule.coverage:
        condition &= Q(coverage=rule.coverage)
    if rule.min_annual_revenue is not None:
        condition &= Q(annual_revenue__gte=rule.min_annual_revenue)
    if rule.requires_region:
        condition &= ~Q(region="")
    if rule.requires_ranking:
        condition &= Q(listed_in_ranking=True)
    if rule.requires_high_willingness:
        condition &= Q(high_willingness_to_pay=True)
    return condition


def ka_rule_sql(rules: Sequence[KaProfileRule]) -> Case | Value:
    if not rules:
        return Value("")
    return Case(*(When(rule_q(rule), then=Value(rule.code)) for rule in rules), default=Value(""))


# --- applying ---------------------------------------------------------------------------------------


def refresh_derived(account: Account, *, settings: MatrixSettings | None = None, rules: list | None = None) -> None:
    """Set every derived field of one account in memory, before the service saves it."""
    settings = settings or matrix_settings()
    account.name_key = name_key(account.name)
    account.relationship_score = relationship_score(account, settings)
    account.matrix_class = matrix_class(account.potential, account.relationship_score, settings)
    rule = matching_rule(account, enabled_rules() if rules is None else rules)
    if rule and rule != account.ka_rule and account.segment != "ka":
        # A profile that newly fits reopens the question, even if someone kept the account SMB before.
        account.segment_confirmed_at = None
        account.segment_confirmed_by = None
    account.ka_rule = rule


def reclassify_all() -> int:
    """Re-derive strength, matrix class and KA rule of every account (after a configuration change)."""
    settings = matrix_settings()
    rules = enabled_rules()
    # As for a single save: a profile that newly fits reopens the segment question of a non-KA account.
    Account.all_objects.annotate(new_rule=ka_rule_sql(rules)).exclude(new_rule="").exclude(
        new_rule=F("ka_rule")
    ).exclude(segment="ka").update(segment_confirmed_at=None, segment_confirmed_by=None)
    Account.all_objects.update(relationship_score=relationship_score_sql(settings))
    return Account.all_objects.update(matrix_class=matrix_class_sql(settings), ka_rule=ka_rule_sql(rules))
