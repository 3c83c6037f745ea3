"""Stage 4, the audit: facts derived from one hall, the rules run on an engine (pure Python or
durable-rules), and the results as values: findings with their evidence and locations. Batches
of halls run here too."""
