"""Test helpers for the solver: building scenarios in code, random scenarios, and a brute-force oracle."""
