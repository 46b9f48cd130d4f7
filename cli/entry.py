"""The `feasible` console command: Ctrl-C during start-up quits quietly, before the (slow) imports."""

import os
import signal


def main() -> None:
    signal.signal(signal.SIGINT, lambda signum, frame: os._exit(130))  # replaced once a command runs
    from .app import app

    signal.signal(signal.SIGINT, signal.default_int_handler)
    app(prog_name="feasible")
