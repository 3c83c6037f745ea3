"""hallcheck: checks government service halls against the regulations that govern them.

The pipeline, one package a stage, each importing only from those before it:
input (a hall read with positions, validated, places resolved, the calendar) -> language (the
condition language: operators, parsing, evaluation, compilation) -> ruleset (rules, packs,
regulations) -> audit (facts, engines, results) -> reports (words and formats) -> run (what one
`hallcheck check` does around the audits) -> authoring (lint, rule tests, coverage, explain).
`problems`, `paths` and `cache` serve every stage; `api` and the command line sit above them all.
"""

__version__ = "0.1.0"
