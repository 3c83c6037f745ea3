"""Shared test set-up: the source checkout on sys.path (an installed hallcheck works too)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import os

# As on Python 3.13+, where durable-rules cannot be imported: .ci/run runs part of the suite so,
# to prove the pure-Python path where users will meet it.
if os.environ.get("HALLCHECK_TEST_WITHOUT_DURABLE"):
    sys.modules["durable"] = None  # every `import durable...` now raises ImportError

# Tests run from many temporary directories; each would otherwise write its own rule-set cache.
# tests/test_cache.py turns it back on where the cache itself is tested.
os.environ["HALLCHECK_NO_CACHE"] = "1"
