"""The pipeline's one settings row."""

from __future__ import annotations

from irontriangle.pipeline.models import PipelineSettings


def pipeline_settings() -> PipelineSettings:
    settings = PipelineSettings.objects.order_by("pk").first()
    return settings if settings is not None else PipelineSettings.objects.create()
