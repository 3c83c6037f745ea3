"""GitHub Actions workflow commands: each finding as an annotation on the hall file's line,
shown on the pull request's diff and in the run's summary.

    ::error file=halls/a.hall.yaml,line=19,col=3,title=jining-2018.art7.village-station-area::hall: ...

- a failing finding: `error` for critical and major rules, `warning` for minor, `notice` for info;
- a problem of an unusable hall file, or a hall where nothing was checked: `error`;
- a notice about the audit (the hall file chose its own audit date, its data is old): `warning`;
- the last line, plain text, counts the results (waived, unknown, pass and not applicable
  annotate nothing).

Everything in an annotation is untrusted text from a hall file or a rule (a name, a value, a
path). GitHub reads a workflow command from the start of a line of the job's output, so the
escaping GitHub's toolkit applies is applied here: in the message `%`, CR and LF are written
`%25`, `%0D`, `%0A` (a newline in a hall's name cannot start a new command), and in a property
(`file`, `title`) also `:` and `,` (`%3A`, `%2C`), which would end the property.
"""

from __future__ import annotations

from .messages import render as render_message
from .report import entity_prefix, finding_message
from .formats import counts_text, total_counts

LEVEL = {"critical": "error", "major": "error", "minor": "warning", "info": "notice"}


def render(reports, lang: str, fail_on: str, register: dict, run=None) -> str:
    lines = []
    for report in reports:
        for problem in report.problems:
            loc = problem.location
            text = render_message(problem.code, problem.params, lang)
            lines.append(command("error", f"{loc.path}: {text}" if loc.path else text,
                                 file=loc.file, line=loc.line, col=loc.column, title=problem.code))
        for notice in report.notices:  # who chose the audit date, how old the data is
            loc = notice.location
            lines.append(command("warning", render_message(notice.code, notice.params, lang), file=loc.file or report.file,
                                 line=loc.line, col=loc.column, title=notice.code))
        if report.checked_nothing:
            lines.append(command("error", render_message("audit.nothing_checked", {}, lang), file=report.file,
                                 title="audit.nothing_checked"))
        for result in report.results:
            if result.status != "fail":
                continue
            for finding in result.findings:
                loc = finding.location
                lines.append(command(LEVEL[result.rule.severity], entity_prefix(finding, lang) + finding_message(result, finding, lang),
                                     file=loc.file or report.file, line=loc.line, col=loc.column, title=result.rule.id))
    halls = f"hallcheck: {len(reports)} 个大厅：" if lang == "zh" else f"hallcheck: {len(reports)} hall(s): "
    lines.append(escape_data(halls + counts_text(total_counts(reports), lang)))
    return "\n".join(lines) + "\n"


def command(level: str, message: str, **properties) -> str:
    """One workflow command; properties that are None are left out."""
    given = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items() if value is not None)
    return f"::{level}{' ' + given if given else ''}::{escape_data(message)}"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")
