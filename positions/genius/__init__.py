"""GENIUS XML (the ANAC negotiation domains) into scenarios and back: reading (`reading.py`, over the safe located
reader `xmlread.py`), the import into YAML texts (`importing.py`) and the export (`exporting.py`)."""

from __future__ import annotations

from .importing import import_genius

__all__ = ["import_genius"]
