"""Exit codes of `feasible`: stable, documented in docs/cli.md."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  #: success (for `check`: a deal exists)
    NO_DEAL = 1  #: the scenario was checked and no package deal exists
    USER_ERROR = 2  #: bad input or bad usage: invalid files, unknown scenario, wrong options
    INTERNAL_ERROR = 3  #: a bug in feasible; the message says what to report
    INTERRUPTED = 130  #: stopped by Ctrl-C
