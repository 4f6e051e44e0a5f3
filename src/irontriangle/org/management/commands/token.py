"""`irontriangle token create USERNAME [--name LABEL]` prints a new API token, and only the token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irontriangle.org.models import ApiToken, User
from irontriangle.org.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Manage API tokens: create, list, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Print a new token for the user on stdout.")
        create.add_argument("username")
        create.add_argument("--name", default="", help="A label to recognise the token by.")
        listing = actions.add_parser("list", help="List a user's tokens (never the tokens themselves).")
        listing.add_argument("username")
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            _token, raw = token_create(user=self._user(options["username"]), name=options["name"])
            self.stdout.write(raw)
        elif action == "list":
            for token in ApiToken.objects.filter(user=self._user(options["username"])).order_by("-created_at"):
                state = "revoked" if token.revoked_at else "active"
                used = token.last_used_at.isoformat() if token.last_used_at else "never"
                self.stdout.write(f"{token.prefix}…\t{token.name}\t{state}\tlast used {used}")
        else:
            matches = list(ApiToken.objects.filter(prefix=options["prefix"], revoked_at__isnull=True))
            if len(matches) != 1:
                raise CommandError("no single active token has that prefix")
            token_revoke(token=matches[0])
            self.stdout.write(f"revoked {matches[0].prefix}…")
