"""The `feasible` console command. Ctrl-C quits quietly with 130 whenever it lands outside a command: during
start-up (the slow imports, then typer building the commands from their signatures) and once the command's answer
is out (while Python shuts down; a Ctrl-C delivered twice can arrive then). The app's callback hands Ctrl-C to the
command while it runs."""

import copy
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


def only_the_command_asked(app, args: list[str]):
    """The app with only the command the first argument names. Typer builds every command's options from its
    signature before it runs one, which is most of what typer costs at start-up; the others are needed only for
    the command list (`--help`, no command) and a misspelt command's error, which keep the whole app."""
    from typer.main import get_command_name

    if not args or args[0].startswith("-"):
        return app
    asked = [c for c in app.registered_commands if (c.name or get_command_name(c.callback.__name__)) == args[0]]
    if not asked:
        return app
    narrowed = copy.copy(app)
    narrowed.registered_commands = asked
    return narrowed


def main() -> None:
    signal.signal(signal.SIGINT, quit_quietly)  # replaced while a command runs (app.main), then put back (app._run)
    from . import app as app_module

    app_module.after_command = quit_quietly
    only_the_command_asked(app_module.app, sys.argv[1:])(prog_name="feasible")
