"""Shared shape of the CLI commands with subcommands (``werkcentrum budget``, ``werkcentrum
report``): usage mistakes and failures as one ``error: ...`` line on stderr with exit code 2,
nothing on stdout — the same as every other command of the public CLI."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser


class OneLineParser(CommandParser):
    """Usage mistakes as one line on stderr (exit 2), like every other error of the command."""

    def error(self, message):
        if self.called_from_command_line:
            sys.stderr.write(f"error: {' '.join(str(message).split())}\n")
            sys.exit(2)
        raise CommandError(f"Error: {message}", returncode=2)


def fail(message: str):
    raise CommandError(" ".join(str(message).split()), returncode=2)


class OneLineErrorsCommand(BaseCommand):
    """A command whose parser (and subparsers: pass ``parser_class=OneLineParser``) and
    ``CommandError``s answer with one ``error:`` line when called from the command line."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.__class__ = OneLineParser
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:  # from the command line: "error: ..." like the triage
            if not self._called_from_command_line or options.get("traceback"):
                raise
            sys.stderr.write(f"error: {exc}\n")
            sys.exit(exc.returncode)
