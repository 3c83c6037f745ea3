"""Live supervision of open cases (电子监察): `hallcheck watch`.

Case events (accepted, suspended, resumed, completed, rated, complaints) arrive as JSON Lines;
each case and each complaint runs a clock counted in official working days; warning rules
(`*.warning.yaml` beside the rules, `kind: warning`) say when a clock turns yellow and red.
The stages, one module each:

- events: a line of input read and checked, located at its file and line;
- policy: the warning rules loaded and compiled to match trees (checker.language.compile), the one
  representation both engines run;
- state: one clock per case or complaint, and what an event does to it;
- engines: the pure-Python and durable-rules engines deciding transitions from the facts;
- watcher: the clock, the daily tick, idempotent events, and the transitions out;
- persist: the watcher's state in the audit store, so a restart re-alerts nothing;
- summary and view: the supervisor's summary of a replay, and the live table on a terminal.
"""
