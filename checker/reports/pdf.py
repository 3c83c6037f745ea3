"""The HTML inspection report printed to PDF by headless Chromium, for stamping and filing.

Why Chromium and not WeasyPrint: the report is checked in a real browser anyway (the tests
print it with Chromium to count its pages), so printing the PDF with the same engine means the
PDF is exactly what was checked; Chromium implements what the report's print style sheet uses
(CSS paged media with margin boxes for the running header and "page N of M", named pages, grid,
multi-column lists) and embeds the fonts it draws with; and it adds no Python dependency with
native libraries (WeasyPrint needs Pango and its own font setup). The browser is found on PATH
(Debian's `chromium`, or Chrome), or where HALLCHECK_CHROMIUM says.

The report has no scripts and fetches nothing, and its Content-Security-Policy forbids both;
the browser gets a fresh profile that is removed afterwards, and no background networking.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..problems import InputError, Location, Problem
from . import html as html_format

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT = 120  # seconds: a 25-hall report prints in a few


def browser() -> str | None:
    """The Chromium to print with: HALLCHECK_CHROMIUM, else the first on PATH; None without one."""
    chosen = os.environ.get("HALLCHECK_CHROMIUM")
    if chosen:
        return shutil.which(chosen) or (chosen if Path(chosen).is_file() else None)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def browser_command(executable: str, profile: str, *extra: str) -> list[str]:
    """Headless Chromium that touches no network and keeps nothing: a fresh profile, no GPU,
    no background updates. As root it cannot use its sandbox."""
    command = [executable, "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--no-sandbox")
    return command + list(extra)


def print_to_pdf(page: str) -> bytes:
    """The HTML page `page` printed to PDF (A4, as its style sheet says)."""
    executable = browser()
    if executable is None:
        raise InputError([Problem("pdf.no_browser", Location("--format pdf"), {"names": ", ".join(BROWSERS)})])
    with tempfile.TemporaryDirectory(prefix="hallcheck-pdf-") as work:
        source, target = Path(work) / "report.html", Path(work) / "report.pdf"
        source.write_text(page, encoding="utf-8")
        command = browser_command(executable, str(Path(work) / "profile"), "--no-pdf-header-footer", f"--print-to-pdf={target}", source.as_uri())
        try:
            done = subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, timeout=TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise InputError([Problem("pdf.failed", Location(executable), {"detail": f"timeout {TIMEOUT} s"})]) from None
        except OSError as err:
            raise InputError([Problem("pdf.failed", Location(executable), {"detail": err.strerror or str(err)})]) from None
        if not target.is_file() or target.stat().st_size == 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {done.returncode}"]
            raise InputError([Problem("pdf.failed", Location(executable), {"detail": detail[0][:300]})])
        return target.read_bytes()


def render(reports, lang: str, fail_on: str, register: dict, run=None, appendix: bool = False) -> bytes:
    return print_to_pdf(html_format.render(reports, lang, fail_on, register, run, appendix=appendix))
