"""The ``werkcentrum`` command: a thin wrapper over Django's management commands.

``werkcentrum triage --region twente --json -``, ``werkcentrum load_region twente`` and the
rest work right after ``make install``: they use the embedded SQLite database unless
DATABASE_URL says otherwise.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkcentrum.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["werkcentrum", *sys.argv[1:]])


if __name__ == "__main__":
    main()
