"""Notification text rendered in both languages at the moment of the change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import translation


@dataclass(frozen=True)
class Message:
    title_en: str
    title_zh: str
    link: str = ""

    def for_language(self, language: str | None) -> str:
        return self.title_zh if (language or "").lower().startswith("zh") else self.title_en


def bilingual(render: Callable[[], str], link: str = "") -> Message:
    """Call `render` (which uses gettext) once per language."""
    with translation.override("en"):
        title_en = str(render())
    with translation.override("zh-hans"):
        title_zh = str(render())
    return Message(title_en=title_en[:300], title_zh=title_zh[:300], link=link)
