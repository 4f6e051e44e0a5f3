"""The registry behind `/meta/enums`: every enum of the API with its localised labels."""

from __future__ import annotations

from django.db import models

_ENUMS: dict[str, type[models.TextChoices]] = {}


def register_enum(name: str, choices: type[models.TextChoices]) -> type[models.TextChoices]:
    _ENUMS[name] = choices
    return choices


def registered_enums() -> dict[str, type[models.TextChoices]]:
    return dict(sorted(_ENUMS.items()))
