"""What the user sees: the `feasible` command line and its rendering."""
