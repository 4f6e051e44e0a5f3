"""IronTriangle (铁三角): self-hosted key-account sales management."""

__version__ = "0.1.0"
