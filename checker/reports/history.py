"""`hallcheck history HALL`: a hall's audits over time, as text or as a small HTML page with a
trend chart. What changed is computed by checker.run.store (new, persisting, fixed per audit); here
are only the words and the drawing. Every word the hall file or the findings bring is escaped."""

from __future__ import annotations

import html

from rich.console import Console
from rich.table import Table
from rich.text import Text

from .messages import STATUS, pick
from .terminal import visible

_COLUMNS = (("审核", "run"), ("记录时间", "recorded"), ("审核日", "as of"), ("规则", "rules"),
            (STATUS["fail"][0], "fail"), (STATUS["unknown"][0], "unknown"), (STATUS["pass"][0], "pass"),
            ("新增", "new"), ("遗留", "persisting"), ("已整改", "fixed"))
_NOT_AUDITED = ("未完成审核", "not audited")
_CHANGE = {"new": ("新增", "new"), "fixed": ("已整改", "fixed")}


def _row(change, lang: str) -> list[str]:
    audit = change.audit
    when = audit.recorded_at.strftime("%Y-%m-%d %H:%M")
    head = [f"#{audit.run}", when, audit.as_of.isoformat() if audit.as_of else "—", audit.rules]
    if not audit.audited:
        return head + [pick(_NOT_AUDITED, lang)] + [""] * 5
    counts = audit.counts
    return head + [str(counts.get("fail", 0)), str(counts.get("unknown", 0)), str(counts.get("pass", 0)),
                   str(len(change.new)), str(len(change.persisting)), str(len(change.fixed))]


def _lines(change, lang: str) -> list[tuple[str, str]]:
    """(new or fixed, "rule entity: message") for what changed in this audit."""
    out = []
    for key in change.new:
        found = change.audit.findings[key]
        out.append(("new", f"{key[0]} {key[1]}: {found[lang] or ''}"))
    for key in change.fixed:
        found = change.previous.findings[key]
        out.append(("fixed", f"{key[0]} {key[1]}: {found[lang] or ''}"))
    return out


def _title(file: str, changes: list, lang: str) -> str:
    name = next((c.audit.hall for c in reversed(changes) if c.audit.hall), None)
    return f"{name}  ({file})" if name else file


def print_history(history: dict, lang: str, console: Console) -> None:
    for file, changes in history.items():
        console.print(Text(visible(_title(file, changes, lang)), style="bold"))
        table = Table()
        for column in _COLUMNS:
            table.add_column(pick(column, lang), justify="right" if column[1] not in ("recorded", "as of", "rules") else "left")
        for change in changes:
            table.add_row(*_row(change, lang))
        console.print(table)
        for change in changes:
            lines = _lines(change, lang)
            if lines:
                console.print(Text(f"#{change.audit.run}", style="bold"))
            for kind, line in lines:
                text = Text(f"  [{pick(_CHANGE[kind], lang)}] ", style="bold red" if kind == "new" else "green")
                text.append(visible(line))
                console.print(text, soft_wrap=True)


def history_html(history: dict, lang: str) -> str:
    """A standalone page: per hall, a chart of failures (and unknowns) per audit, the table, the changes."""
    esc = html.escape
    title = "审核历史" if lang == "zh" else "Audit history"
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{esc(title)}</title><style>{_CSS}</style></head><body><h1>{esc(title)}</h1>"]
    for file, changes in history.items():
        parts.append(f"<section><h2>{esc(_title(file, changes, lang))}</h2>")
        parts.append(_chart(changes, lang))
        parts.append("<table><thead><tr>" + "".join(f"<th>{esc(pick(c, lang))}</th>" for c in _COLUMNS)
                     + "</tr></thead><tbody>")
        for change in changes:
            parts.append("<tr>" + "".join(f"<td>{esc(cell)}</td>" for cell in _row(change, lang)) + "</tr>")
        parts.append("</tbody></table>")
        for change in changes:
            lines = _lines(change, lang)
            if lines:
                parts.append(f"<h3>#{change.audit.run}</h3><ul>")
                parts += [f'<li class="{kind}"><b>{esc(pick(_CHANGE[kind], lang))}</b> {esc(line)}</li>'
                          for kind, line in lines]
                parts.append("</ul>")
        parts.append("</section>")
    parts.append("</body></html>\n")
    return "".join(parts)


def _chart(changes: list, lang: str) -> str:
    """An inline SVG: failures (red) and unknowns (amber) per audit, oldest on the left."""
    audited = [c for c in changes if c.audit.audited]
    if not audited:
        return ""
    width, height, pad = 480, 160, 28
    series = {"fail": "#c0392b", "unknown": "#d68910"}
    top = max(1, *(c.audit.counts.get(s, 0) for c in audited for s in series))
    step = (width - 2 * pad) / max(1, len(audited) - 1)

    def point(index: int, value: int) -> str:
        return f"{pad + index * step:.1f},{height - pad - value * (height - 2 * pad) / top:.1f}"

    label = "不符合与无法判定的规则数，按审核先后" if lang == "zh" else "Rules failed and undecided, audit by audit"
    svg = [f'<svg class="trend" role="img" aria-label="{html.escape(label)}" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}">',
           f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" stroke="#888"/>',
           f'<text x="2" y="{pad - 8}" font-size="11">{top}</text>',
           f'<text x="2" y="{height - pad}" font-size="11">0</text>']
    for status, colour in series.items():
        points = " ".join(point(i, c.audit.counts.get(status, 0)) for i, c in enumerate(audited))
        svg.append(f'<polyline class="{status}" fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
        for i, c in enumerate(audited):
            x, y = point(i, c.audit.counts.get(status, 0)).split(",")
            svg.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"><title>#{c.audit.run} '
                       f'{html.escape(pick(STATUS[status], lang))} {c.audit.counts.get(status, 0)}</title></circle>')
    for i, c in enumerate(audited):
        x = pad + i * step
        svg.append(f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle">#{c.audit.run}</text>')
    svg.append("</svg>")
    return f"<figure>{''.join(svg)}<figcaption>{html.escape(label)}</figcaption></figure>"


_CSS = ("body{font-family:'Noto Sans CJK SC','Source Han Sans SC',sans-serif;margin:2em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
        "li.new b{color:#c0392b}li.fixed b{color:#1e8449}")
