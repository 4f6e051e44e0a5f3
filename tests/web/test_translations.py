"""The Simplified Chinese catalogue: complete, compiled, and used for enum labels."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

from django.utils import translation

from irontriangle.accounts.models import Segment, TeamRole, Tier

CATALOGUE = Path(__file__).resolve().parents[2] / "src/irontriangle/locale/zh_Hans/LC_MESSAGES"


def _entries() -> list[tuple[str, str, str, str]]:
    """(context, msgid, plural msgid, msgstr) of every entry of the .po file, the header left out; for a
    plural entry, msgstr is its first (and, in Chinese, only) form."""
    entries, current, key = [], {}, None
    for line in [*(CATALOGUE / "django.po").read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current.get("msgid"):
                msgstr = "" if current.get("fuzzy") else current.get("msgstr", "")
                entries.append((current.get("msgctxt", ""), current["msgid"], current.get("msgid_plural", ""), msgstr))
            current, key = {}, None
        elif line.startswith("#, ") and "fuzzy" in line:
            # A fuzzy entry is a guess gettext will not use: it counts as untranslated.
            current["fuzzy"] = "yes"
        elif line.startswith("msgstr[") and not line.startswith("msgstr[0]"):
            key = None  # later plural forms: Chinese has one, and only the first is compared
        elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ", "msgstr")):
            key, _space, value = line.partition(" ")
            key = key.split("[")[0]
            current[key] = ast.literal_eval(value)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
    return entries


def test_every_message_is_translated_and_compiled():
    entries = _entries()
    assert len(entries) > 250
    untranslated = [msgid for _ctx, msgid, _plural, msgstr in entries if not msgstr]
    assert not untranslated
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)

    def compiled_text(ctx: str, msgid: str, plural: str) -> str:
        if plural:
            return catalogue.npgettext(ctx, msgid, plural, 1) if ctx else catalogue.ngettext(msgid, plural, 1)
        return catalogue.pgettext(ctx, msgid) if ctx else catalogue.gettext(msgid)

    stale = [msgid for ctx, msgid, plural, msgstr in entries if msgstr and compiled_text(ctx, msgid, plural) != msgstr]
    assert not stale, "django.mo is older than django.po: run compilemessages"


def test_enum_labels_in_chinese():
    with translation.override("zh-hans"):
        assert str(Segment.KA.label) == "大客户（KA）"
        assert str(Tier.S.label) == "S · 战略型"
        assert str(TeamRole.AR.label) == "AR · 客户经理"
    with translation.override("en"):
        assert str(Tier.S.label) == "S · strategic"
