"""Full-text search over interactions, Chinese included, on both databases.

Chinese has no spaces between words, so word tokenizers find nothing; both databases search by
character trigrams instead: PostgreSQL with a pg_trgm GIN index under ILIKE, SQLite with an FTS5 table
using the trigram tokenizer (kept in step by triggers, migration 0002). A term shorter than three
characters (many Chinese words have two) cannot use a trigram index, so it is matched by a plain scan
of the rows the caller may see. Every term of the query must match.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Lookup, Q, QuerySet, TextField
from django.db.models.expressions import RawSQL

from irontriangle.relationships.models import Interaction

FTS_TABLE = "relationships_interaction_fts"
MAX_TERMS = 8
FTS_QUERY = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608


def search_terms(query: str) -> list[str]:
    return [term for term in query.split() if term][:MAX_TERMS]


class TrigramContains(Lookup):
    """`search_text ILIKE '%term%'` on the row itself, which the pg_trgm GIN index serves. Django's
    `icontains` compares UPPER(search_text), which the index cannot serve. Written on the row, not as
    `id IN (SELECT id … ILIKE)`, the planner may also test it while walking the date index or the
    viewer's accounts, instead of joining the table to itself."""

    lookup_name = "trigram_contains"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} ILIKE {rhs}", [*lhs_params, *rhs_params]


TextField.register_lookup(TrigramContains)


def _like_pattern(term: str) -> str:
    """The term as a literal substring pattern: LIKE's wildcards and its escape character lose their meaning."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _fts_phrase(term: str) -> str:
    # A quoted FTS5 string matches the characters literally; a double quote is written twice.
    return '"' + term.replace('"', '""') + '"'


def matching_interactions(queryset: QuerySet[Interaction], query: str) -> QuerySet[Interaction]:
    for term in search_terms(query):
        if connection.vendor == "sqlite" and len(term) >= 3:
            # The table name is a constant of this module and the term is a bound parameter.
            matches = RawSQL(FTS_QUERY, [_fts_phrase(term)])  # noqa: S611
            queryset = queryset.filter(pk__in=matches)
        elif connection.vendor == "postgresql":
            queryset = queryset.filter(search_text__trigram_contains=_like_pattern(term))
        else:
            queryset = queryset.filter(Q(search_text__icontains=term))
    return queryset


def search_text_of(interaction: Interaction, contact_names: list[str], participant_names: list[str]) -> str:
    """What the search sees: the account, the people on both sides, the minutes and the next steps."""
    parts = [interaction.account.name, *contact_names, *participant_names, interaction.minutes, interaction.next_steps]
    return "\n".join(part for part in parts if part)
