"""Everything `feasible serve` says to the user: the page's labels, the server's lines, its refusals (one home
per statement; the answers themselves are worded by cli/words.py through the report's renderers)."""

from __future__ import annotations

# -- the server's lines ----------------------------------------------------------------------------------------------

SERVING = "feasible serve: {title} at {url}"
NOT_LOOPBACK = ("warning: serving on {host}, which other machines may reach; the page still needs its token, but "
                "anyone who sees the address can drive it")
ALSO_AT = "other machines reach the page at {url}"
NO_FREE_PORT = "no free port from {first} to {last}"
NO_FREE_PORT_HINT = "stop what uses them, or choose another with --port (0: any free port)"
CANNOT_BIND = "cannot listen on {host}:{port}: {reason}"
CANNOT_BIND_HINT = "use --host 127.0.0.1, or another --port (0: any free port)"
STOPPED = "stopped"
REPORT_STOPPED = "the report was not finished: the server is stopping, or the download was given up"

# -- refusals (plain text, no scenario data) -------------------------------------------------------------------------

FORBIDDEN = "forbidden: this address needs the page's token"
FOREIGN_HOST = "forbidden: unexpected Host header"
FOREIGN_ORIGIN = "forbidden: request from another site"
CROSS_SITE = "forbidden: cross-site request"
NOT_JSON = "a JSON body is required (Content-Type: application/json)"
TOO_BIG = "the request is too big (at most {limit:,} bytes)"
NOT_FOUND = "not found"
METHOD = "method not allowed"
BAD_JSON = "the body is not valid JSON"
INTERNAL = "internal error (see the server's output)"

# what-if bodies
WHATIF_NOT_OBJECT = "the what-if should be a JSON object"
UNKNOWN_KEY = "unknown key '{key}' (known: {known})"
NOT_LIST = "'{key}' should be a list of names"
NOT_MAPPING = "'{key}' should be an object of names to values"
NOT_TEXT = "'{key}' should hold text"
TOO_LONG = "'{key}' holds a text longer than {limit:,} characters"
TOO_MANY = "'{key}' holds more than {limit:,} items"
BAD_OBJECTIVE = "'objective' should be one of {known}"
BAD_TAB = "'tab' should be a short text"
CONTROLS = "'{key}' holds a control character, a line break or text that is not Unicode"
NOT_UTF8 = "the body holds text that is not Unicode (a lone surrogate)"
TOO_DEEP = "the body is nested too deeply"
BAD_DIGEST = "'digest' should be the preview's digest"

# writes
SHIPPED_NOT_WRITTEN = "a shipped scenario is not written: serve a copy of it to write to its files"
READINGS_NOT_WRITTEN = "readings are not written to the files: choose the files' own reading of every question"
NO_EDITS = "nothing to write: the what-if changes nothing"
NO_CHANGE = "no change"
CHANGED_SINCE = "the files changed since the preview: preview again"
PREVIEW_AGAIN = "the what-if changed since the preview: preview again"
WROTE = "wrote {files}"
REMOVED = "removed {files}"
FILES_INVALID = "the files are not valid now; the last good answer is shown greyed"
FILES_INVALID_DOWNLOAD = "the files are not valid now: fix them (the page says why), then download again"

# -- the page --------------------------------------------------------------------------------------------------------

PAGE_TITLE = "{title} · feasible serve"
SCENARIO_HEADING = "Scenario"
ANSWER_HEADING = "Answer"
WHATIF_HEADING = "This what-if as a command"
OBJECTIVE_LABEL = "Deals ranked by"
OBJECTIVES = {"fair": "fair (the least satisfied first)", "welfare": "welfare (the total)",
              "nash": "nash (the product)"}
READINGS_HEADING = "Readings"
OTHER_READINGS = "Readings of no question"
ISSUES_HEADING = "Issues: pin a value, or leave it free"
FREE = "free"
FREE_PLACEHOLDER = "free (type a value to pin it)"
SET_HINT = "some of {values}, as a, b; {{}}: none"
PARTIES_HEADING = "Parties"
OPEN_ALL, CLOSE_ALL = "open all", "close all"
FILTER = "show only the positions with these words"
RED_LINES = "Red lines"
DEMANDS = "Demands"
FACTS_HEADING = "Facts"
KEEP, DEMOTE, DROP = "keep", "demote", "drop"
WEIGHT = "weight"
ACCEPT_AT_LEAST = "accepts no deal below {level}% of its demands"
RESET = "Back to the files"
DOWNLOAD_OVERLAY = "Download the what-if (overlay)"
DOWNLOAD_REPORT = "Download the report (HTML)"
PREVIEW_WRITE = "Write to the files…"
CONFIRM_WRITE = "Write these changes"
WRITE_DISABLED = "Writing is off: this is a shipped scenario (serve a copy to write to its files)."
WAITING = "asking…"
ANSWER_STOPPED = ("this answer was stopped: more tabs asked than the server answers at once, or the server is "
                  "stopping")
ASK_AGAIN = "Ask again"
WHATIF_LOST = "no longer in the files, so left out of the what-if: {names}"
ERROR_LINE = "This what-if cannot be answered as it stands: see why below."
FIRST_DEAL = "a deal every party accepts (verified); looking for the best one…"
FIRST_CONFLICT = "one conflict found; looking for all of them and the cheapest ways to a deal…"
FIRST_FACTS = "the facts and the values pinned cannot hold together"
FIRST_UNKNOWN = "not decided yet…"
ROOM_PENDING = "still being computed…"
PARTIAL = "found so far; the rest is still being looked for…"
FIRST_DEAL_HEADING = "A deal every party accepts (not yet the best one)"
FIRST_CONFLICT_HEADING = "A conflict (the complete answer lists them all)"
NO_SCRIPT = "This page needs JavaScript to answer what-ifs."
PROGRESS = "{stage}… {solves} solver calls"
