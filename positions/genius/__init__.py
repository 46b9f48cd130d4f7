"""GENIUS XML (the ANAC negotiation domains) into scenarios and back: reading (`reading.py`, over the safe located
reader `xmlread.py`), the import into YAML texts (`importing.py`) and the export (`exporting.py`)."""

from __future__ import annotations

from .directory import loaded_as, write_directory
from .exporting import DOMAIN_FILE, export_genius, export_notes
from .importing import SCENARIO_FILE, import_genius

__all__ = ["DOMAIN_FILE", "SCENARIO_FILE", "export_genius", "export_notes", "import_genius", "loaded_as",
           "write_directory"]
