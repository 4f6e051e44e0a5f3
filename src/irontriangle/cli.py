"""The `irontriangle` console command: the project's manage.py."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "irontriangle.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["irontriangle", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
