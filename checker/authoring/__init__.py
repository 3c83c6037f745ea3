"""For policy authors: rule lint, rule examples run as tests, scaffolding, explain, coverage of
the regulations, and the hall template. Uses every stage below it."""
