"""Exit codes of `feasible`: stable, documented in docs/cli.md."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  #: success; for `check`: a package deal exists
    NO_DEAL = 1  #: `check`: the scenario was checked and no package deal exists
    USER_ERROR = 2  #: bad input or usage: invalid files, unknown scenario, wrong options (also click's usage errors)
    UNDECIDED = 3  #: `check`: the time limit ran out before the question was decided
    INTERNAL_ERROR = 4  #: a bug in feasible; the message says what to report
    LINT_WARNINGS = 5  #: `lint --strict`: the scenario has warnings not set aside by an ignore entry
    INTERRUPTED = 130  #: stopped by Ctrl-C
