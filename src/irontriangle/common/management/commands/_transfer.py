"""What `import` and `export` share: finding the kind and the user whose access applies."""

from __future__ import annotations

from django.core.management.base import CommandError

from irontriangle.common.importing import ImportKind, available_kinds, get_kind
from irontriangle.org.models import User

# Exit status for a command line that names something that does not exist (kind, user, file).
USAGE_ERROR = 2


def kind_or_fail(key: str) -> ImportKind:
    kind = get_kind(key)
    if kind is None:
        raise CommandError(
            f"unknown kind {key!r}; available kinds: {', '.join(available_kinds()) or 'none'}",
            returncode=USAGE_ERROR,
        )
    return kind


def user_or_fail(username: str | None) -> User:
    """The named active user, or the first administrator (by id) when none is named."""
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}", returncode=USAGE_ERROR)
        return user
    admin = User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()
    if admin is None:
        raise CommandError("there is no active administrator; name a user with --as", returncode=USAGE_ERROR)
    return admin
