"""The package layout is the pipeline: input → language → ruleset → audit → reports → run →
watch → authoring, with the public API and the command line above them all. A module may import
from its own stage and the stages before it, never from a later one, so data flows one way and
each stage can be read (and changed) knowing only what comes before it. No module reaches into
another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "checker"

# modules every stage may use: errors as values, where bundled files are, the signed cache
FOUNDATION = {"checker", "checker.problems", "checker.paths", "checker.cache"}
STAGES = ["input", "language", "ruleset", "audit", "reports", "run", "watch", "authoring"]
EDGE = {"checker.api", "checker.completion"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def rank(module: str) -> int:
    if module in FOUNDATION:
        return 0
    if module in EDGE:
        return len(STAGES) + 1
    stage = module.split(".")[1]
    return STAGES.index(stage) + 1


def imports(path: Path):
    """(line, imported module, imported names) of every import of a checker module, lazy ones too."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "checker" or target.startswith("checker."):
                yield node.lineno, target, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("checker."):
                    yield node.lineno, alias.name, []


def sources() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "migrations" not in p.parts]


def test_every_module_belongs_to_a_stage():
    strays = [module_name(p) for p in sources()
              if module_name(p) not in FOUNDATION | EDGE and module_name(p).split(".")[1] not in STAGES]
    assert strays == []


def test_no_import_runs_back_up_the_pipeline():
    upward = []
    for path in sources():
        source = module_name(path)
        for line, target, names in imports(path):
            modules = [f"{target}.{n}" for n in names if (PACKAGE.parent / f"{target}.{n}".replace(".", "/")).with_suffix(".py").exists()
                       or (PACKAGE.parent / f"{target}.{n}".replace(".", "/") / "__init__.py").exists()]
            for imported in modules or [target]:
                if rank(imported) > rank(source):
                    upward.append(f"{path.relative_to(ROOT)}:{line} {source} imports {imported}")
    assert upward == []


def test_no_module_imports_another_modules_private_names():
    private = [f"{path.relative_to(ROOT)}:{line} {target}.{name}"
               for path in sources() for line, target, names in imports(path)
               for name in names if name.startswith("_") and name != "__version__"]
    assert private == []


def test_the_stages_are_packages_in_pipeline_order_on_disk():
    assert all((PACKAGE / stage / "__init__.py").is_file() for stage in STAGES)
