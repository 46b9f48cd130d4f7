"""Test helpers for the solver: building scenarios in code, random scenarios, and a brute-force oracle."""

# A time limit far above what the tests' scenarios need, so that machine load never cuts a search short and no
# test's outcome depends on the machine's speed (issue 12, A.7).
GENEROUS = 120.0
