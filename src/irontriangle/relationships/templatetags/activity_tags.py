"""Template filters of the interaction pages: search matches highlighted, minutes cut to an excerpt."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

EXCERPT_LENGTH = 180


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the terms occur in the text, case-insensitively, overlapping spans merged."""
    found: list[tuple[int, int]] = []
    for term in terms:
        if term:
            found.extend(match.span() for match in re.finditer(re.escape(term), text, flags=re.IGNORECASE))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    parts: list[str] = []
    position = offset
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    parts.append(escape(text[position:]))
    return "".join(parts)


@register.filter
def highlight(value: Any, terms: list[str] | None) -> SafeString:
    """The text escaped, with each search term wrapped in <mark>."""
    text = str(value or "")
    return mark_safe(_marked(text, _spans(text, terms or [])))  # noqa: S308 - every part is escaped above


@register.filter
def excerpt(value: Any, terms: list[str] | None) -> SafeString:
    """A short piece of the text around the first match (or its beginning), matches highlighted."""
    text = " ".join(str(value or "").split())
    spans = _spans(text, terms or [])
    start = 0
    if spans and spans[0][0] > EXCERPT_LENGTH // 3:
        start = spans[0][0] - EXCERPT_LENGTH // 3
    end = min(len(text), start + EXCERPT_LENGTH)
    piece = text[start:end]
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if s < end and e > start]
    html = _marked(piece, inside)
    return mark_safe(("… " if start else "") + html + (" …" if end < len(text) else ""))  # noqa: S308


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key, "") if hasattr(mapping, "get") else ""
