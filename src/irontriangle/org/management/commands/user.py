"""`irontriangle user create USERNAME --password P [--admin] [--unit CODE] [--email E]`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irontriangle.common.errors import InvalidInput
from irontriangle.org.services import user_create


class Command(BaseCommand):
    help = "Manage users: `user create USERNAME --password P [--admin] [--unit CODE] [--email E]`."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a user.")
        create.add_argument("username")
        create.add_argument("--password", required=True)
        create.add_argument("--admin", action="store_true", help="Administrator (all rights, admin site).")
        create.add_argument("--unit", action="append", default=[], help="Org unit code; repeat for several.")
        create.add_argument("--manager-of", action="append", default=[], help="Unit code the user manages.")
        create.add_argument("--email", default="")
        create.add_argument("--display-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_create(
                username=options["username"],
                password=options["password"],
                email=options["email"],
                display_name=options["display_name"],
                is_admin=options["admin"],
                unit_codes=options["unit"],
                manager_of=options["manager_of"],
            )
        except InvalidInput as exc:
            raise CommandError("; ".join(f"{e.field}: {e.message}" for e in exc.errors)) from None
        self.stdout.write(f"created user {user.username} (id {user.pk})")
