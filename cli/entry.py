"""The `feasible` console command. Ctrl-C quits quietly with 130 whenever it lands outside a command: during
start-up (the slow imports, then typer building the commands from their signatures) and once the command's answer
is out (while Python shuts down; a Ctrl-C delivered twice can arrive then). The app's callback hands Ctrl-C to the
command while it runs."""

import os
import signal
import sys


def quit_quietly(signum=None, frame=None) -> None:
    """Leave with 130 and no traceback, keeping whatever was already written."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed pipe, or a write the signal interrupted: nothing left to keep
            pass
    os._exit(130)


def main() -> None:
    signal.signal(signal.SIGINT, quit_quietly)  # replaced while a command runs (app.main), then put back (app._run)
    from . import app as app_module

    app_module.after_command = quit_quietly
    app_module.app(prog_name="feasible")
