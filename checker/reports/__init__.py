"""Stage 5, reports: the words (zh and en) and every output format of a set of audits. Pure
functions of the results: the same audits give the same bytes."""
