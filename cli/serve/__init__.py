"""`feasible serve`: the scenario as a live page in the browser, every what-if answered while the user clicks
(docs/serve.md). Imported only by that command: `feasible check` never loads the web server."""
