"""The `feasible` console command: Ctrl-C during start-up (the slow imports, then typer building the commands from
their signatures) quits quietly; the app's callback hands Ctrl-C back to Python once a command is about to run."""

import os
import signal


def main() -> None:
    signal.signal(signal.SIGINT, lambda signum, frame: os._exit(130))  # replaced once a command runs (app.main)
    from .app import app

    app(prog_name="feasible")
