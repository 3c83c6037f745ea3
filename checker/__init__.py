"""hallcheck: checks government service halls against the regulations that govern them.

The pipeline, one module a stage: load (YAML with positions) -> validate (schema, normalise)
-> facts (derive the values each rule compares) -> backends (match) -> report.
"""

__version__ = "0.1.0"
