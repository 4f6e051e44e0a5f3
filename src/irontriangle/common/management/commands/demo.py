"""`irontriangle demo`: load the bilingual demo data into an empty database and print the logins."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from irontriangle.demo.load import demo_logins, is_empty, is_loaded, load_demo


class Command(BaseCommand):
    help = "Load the demo data set into an empty database (a second run changes nothing) and print the logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Skip quietly (exit 0) when the database holds other data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if is_loaded():
            self.stdout.write("The demo data is already loaded; nothing changed.")
        elif not is_empty():
            if options["if_empty"]:
                self.stdout.write("The database holds data; the demo was not loaded.")
                return
            raise CommandError(
                "The database already holds data that is not the demo; the demo loads only into an empty one."
            )
        else:
            load_demo()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("\nDemo logins (username, password, who):")
        for login in demo_logins():
            self.stdout.write(f"  {login.username:<10} {login.password:<12} {login.who}")
