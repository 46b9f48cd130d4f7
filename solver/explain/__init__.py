"""Explanations: minimal conflicts, relaxations and "why not?", each verified before it is returned."""
