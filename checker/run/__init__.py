"""Stage 6, the run: what one `hallcheck check` does around the audits — configuration, finding
the hall files, waivers, baselines, shards, the audit store, writing outputs — and the outcome
that becomes an exit code."""
