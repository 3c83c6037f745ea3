"""Stage 1, input: a hall description (or a ledger) read with the position of every value,
checked against the hall format, places resolved, and the calendar of working days it is judged
by. Nothing here knows about rules."""
