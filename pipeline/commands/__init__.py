"""The commands of `python -m pipeline` and `selfeval`, one module each (as MkDocs' commands): a module has NAME and
HELP, `add_arguments(parser)` and `run(args) -> int`. Its heavy libraries are imported inside `run`, so starting the
program for one command does not pay for the others; ONE_UNIT = True marks a command of one unit in a short process,
run without the cycle collector.

COMMANDS is the one list: a new command is a module here and a line below."""
from __future__ import annotations

from . import (
               all_units,
               blocks,
               check,
               diff,
               figures,
               import_forms,
               new,
               next_year,
               preview,
               report,
               review,
               rules,
               serve,
               styles,
               template,
               units,
)

COMMANDS = (report, check, all_units, preview, figures, next_year, diff, units, new, template, blocks, rules,
            import_forms, review, serve, styles)
