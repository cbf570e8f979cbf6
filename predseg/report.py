"""The segment report: one self-contained HTML file (inline CSS and SVG, no script, no external address)
built from a built database, for the people who use the segments rather than query them.

    python -m predseg.report [--database target/predseg.duckdb] [--out target/report.html]

Per segment: the precision / audience / recall curve with today's audience and the requested precision, a
calibration plot, the strongest drivers in words, the status and how the segment compares with the naive
rule, and promised against realised precision over the nights judged so far. Then the app's activity by
local weekday and hour, how each campaign's users were timed, the rejected input rows, and the personas.
"""

from __future__ import annotations

import argparse
import datetime as dt
import html
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

WIDTH, HEIGHT = 560, 300
MARGIN = {"left": 56, "right": 16, "top": 16, "bottom": 44}
COLOURS = ("#1f5fa8", "#d9822b", "#2e8b57", "#a23b72", "#6c757d")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def esc(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value))


def pct(value: object, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{100 * float(value):.{digits}f} %"


def num(value: object, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{float(value):.{digits}f}"


# --- SVG -----------------------------------------------------------------------------------------------


@dataclass
class Axis:
    low: float
    high: float
    label: str
    percent: bool = False

    def ticks(self, count: int = 5) -> list[float]:
        return [self.low + (self.high - self.low) * i / count for i in range(count + 1)]

    def text(self, value: float) -> str:
        if isinstance(value, dt.date):
            return value.strftime("%d %b")
        return f"{100 * value:.0f} %" if self.percent else f"{value:.2g}"


class Plot:
    """A line / point chart in SVG with labelled axes."""

    def __init__(self, x: Axis, y: Axis, title: str):
        self.x, self.y, self.title = x, y, title
        self.parts: list[str] = []
        self.legend: list[tuple[str, str, str]] = []

    def sx(self, value: float) -> float:
        span = (self.x.high - self.x.low) or 1.0
        return MARGIN["left"] + (value - self.x.low) / span * (WIDTH - MARGIN["left"] - MARGIN["right"])

    def sy(self, value: float) -> float:
        span = (self.y.high - self.y.low) or 1.0
        return HEIGHT - MARGIN["bottom"] - (value - self.y.low) / span * (HEIGHT - MARGIN["top"] - MARGIN["bottom"])

    def line(self, xs, ys, label: str, colour: str, dash: str = "") -> None:
        points = " ".join(f"{self.sx(x):.1f},{self.sy(y):.1f}" for x, y in zip(xs, ys, strict=True) if _ok(y))
        if points:
            extra = f' stroke-dasharray="{dash}"' if dash else ""
            self.parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2"{extra} points="{points}"/>')
            self.legend.append((label, colour, dash))

    def points(self, xs, ys, label: str, colour: str, low=None, high=None) -> None:
        for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
            if not _ok(y):
                continue
            if low is not None and _ok(low[i]) and _ok(high[i]):
                self.parts.append(
                    f'<line x1="{self.sx(x):.1f}" x2="{self.sx(x):.1f}" y1="{self.sy(low[i]):.1f}" '
                    f'y2="{self.sy(high[i]):.1f}" stroke="{colour}" stroke-width="1.5" opacity="0.6"/>'
                )
            self.parts.append(f'<circle cx="{self.sx(x):.1f}" cy="{self.sy(y):.1f}" r="3.5" fill="{colour}"/>')
        self.legend.append((label, colour, ""))

    def hline(self, y: float, label: str, colour: str) -> None:
        self.line([self.x.low, self.x.high], [y, y], label, colour, dash="6 4")

    def vline(self, x: float, label: str, colour: str) -> None:
        self.parts.append(
            f'<line x1="{self.sx(x):.1f}" x2="{self.sx(x):.1f}" y1="{self.sy(self.y.low):.1f}" '
            f'y2="{self.sy(self.y.high):.1f}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="2 3"/>'
        )
        self.legend.append((label, colour, "2 3"))

    def svg(self, kind: str) -> str:
        grid = []
        for tick in self.y.ticks():
            y = self.sy(tick)
            grid.append(
                f'<line x1="{MARGIN["left"]}" x2="{WIDTH - MARGIN["right"]}" y1="{y:.1f}" y2="{y:.1f}" '
                f'stroke="#e5e5e5"/><text x="{MARGIN["left"] - 6}" y="{y + 4:.1f}" text-anchor="end">'
                f"{esc(self.y.text(tick))}</text>"
            )
        for tick in self.x.ticks():
            x = self.sx(tick)
            grid.append(
                f'<text x="{x:.1f}" y="{HEIGHT - MARGIN["bottom"] + 16}" text-anchor="middle">'
                f"{esc(self.x.text(tick))}</text>"
            )
        legend = "".join(
            f'<span class="key"><svg width="22" height="10"><line x1="0" x2="22" y1="5" y2="5" stroke="{c}" '
            f'stroke-width="2"{f" stroke-dasharray={chr(34)}{d}{chr(34)}" if d else ""}/></svg>{esc(label)}</span>'
            for label, c, d in self.legend
        )
        return (
            f'<figure class="plot" data-plot="{esc(kind)}"><figcaption>{esc(self.title)}</figcaption>'
            f'<svg viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
            f'aria-label="{esc(self.title)}">{"".join(grid)}'
            f'<line x1="{MARGIN["left"]}" x2="{WIDTH - MARGIN["right"]}" y1="{HEIGHT - MARGIN["bottom"]}" '
            f'y2="{HEIGHT - MARGIN["bottom"]}" stroke="#333"/>'
            f'<line x1="{MARGIN["left"]}" x2="{MARGIN["left"]}" y1="{MARGIN["top"]}" y2="{HEIGHT - MARGIN["bottom"]}" '
            f'stroke="#333"/>{"".join(self.parts)}'
            f'<text x="{(WIDTH + MARGIN["left"]) / 2}" y="{HEIGHT - 6}" text-anchor="middle" class="axis">'
            f"{esc(self.x.label)}</text>"
            f'<text transform="rotate(-90)" x="{-(HEIGHT - MARGIN["bottom"] + MARGIN["top"]) / 2}" y="14" '
            f'text-anchor="middle" class="axis">{esc(self.y.label)}</text></svg>'
            f'<div class="legend">{legend}</div></figure>'
        )


def _ok(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def heatmap(values: pd.DataFrame, title: str, caption: str) -> str:
    """Local weekday (rows) by hour (columns), shaded by the share of that weekday's active users."""
    cell, left, top = 20, 40, 22
    peak = max(values["active_user_share"].max(), 1e-9)
    cells = []
    for row in values.itertuples():
        shade = row.active_user_share / peak
        cells.append(
            f'<rect x="{left + row.local_hour * cell}" y="{top + (row.local_weekday - 1) * cell}" '
            f'width="{cell - 1}" height="{cell - 1}" fill="rgba(31,95,168,{0.08 + 0.92 * shade:.3f})">'
            f"<title>{WEEKDAYS[row.local_weekday - 1]} {row.local_hour:02d}:00: {pct(row.active_user_share)} "
            "of the day's active users</title></rect>"
        )
    labels = [
        f'<text x="{left - 6}" y="{top + i * cell + 14}" text-anchor="end">{day}</text>'
        for i, day in enumerate(WEEKDAYS)
    ]
    labels += [
        f'<text x="{left + h * cell + cell / 2}" y="{top - 6}" text-anchor="middle">{h}</text>' for h in range(0, 24, 3)
    ]
    width, height = left + 24 * cell + 8, top + 7 * cell + 24
    return (
        f'<figure class="plot" data-plot="best_time_heatmap"><figcaption>{esc(title)}</figcaption>'
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="{esc(title)}">'
        f'{"".join(labels)}{"".join(cells)}<text x="{left + 12 * cell}" y="{height - 4}" text-anchor="middle" '
        f'class="axis">local hour of the day (each user in their own time zone)</text></svg>'
        f'<p class="note">{esc(caption)}</p></figure>'
    )


def stacked_bars(frame: pd.DataFrame, title: str) -> str:
    """One bar per campaign: the share of its users by send rule."""
    rules = sorted(frame["send_rule"].unique())
    colour = {rule: COLOURS[i % len(COLOURS)] if i < len(COLOURS) else "#999" for i, rule in enumerate(rules)}
    rows = []
    for campaign, group in frame.groupby("campaign_id", sort=True):
        total = group["users"].sum()
        segments, x = [], 0.0
        for rule in rules:
            share = group.loc[group["send_rule"] == rule, "users"].sum() / total
            if share > 0:
                segments.append(
                    f'<rect x="{x * 400:.1f}" y="0" width="{share * 400:.1f}" height="16" fill="{colour[rule]}">'
                    f"<title>{esc(rule)}: {pct(share)}</title></rect>"
                )
                x += share
        rows.append(
            f"<tr><td>{esc(campaign)}</td><td>{total:,}</td><td><svg width='400' height='16'>{''.join(segments)}"
            "</svg></td></tr>"
        )
    legend = "".join(
        f'<span class="key"><svg width="12" height="12"><rect width="12" height="12" fill="{colour[r]}"/></svg>'
        f"{esc(r)}</span>"
        for r in rules
    )
    return (
        f'<figure class="plot" data-plot="campaign_rules"><figcaption>{esc(title)}</figcaption><table>'
        f"<tr><th>campaign</th><th>users</th><th>share of users by the rule that timed them</th></tr>"
        f'{"".join(rows)}</table><div class="legend">{legend}</div></figure>'
    )


def table(frame: pd.DataFrame, columns: dict[str, str], formats: dict | None = None) -> str:
    formats = formats or {}
    head = "".join(f"<th>{esc(label)}</th>" for label in columns.values())
    body = []
    for row in frame.itertuples(index=False):
        cells = []
        for column in columns:
            value = getattr(row, column)
            cells.append(f"<td>{esc(formats[column](value) if column in formats else value)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


# --- sections ------------------------------------------------------------------------------------------


class Database:
    def __init__(self, path: Path):
        self.con = duckdb.connect(str(path), read_only=True)
        self.tables = {row[0] for row in self.con.execute("select table_name from duckdb_tables()").fetchall()}
        self.tables |= {row[0] for row in self.con.execute("select view_name from duckdb_views()").fetchall()}

    def has(self, *names: str) -> bool:
        return all(name in self.tables for name in names)

    def df(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()


def driver_words(term, words: dict[str, str]) -> str:
    """A model term in words, from the feature catalog's description of its feature."""
    if term.term_kind == "attribute":
        return f"{term.feature_name.removeprefix('attribute_')} is {term.attribute_value}"
    template = words.get(term.feature_name, term.feature_name.replace("_", " "))
    return template.format(event=term.event_name or "", past=term.past_days)


def segment_section(db: Database, report) -> str:
    name = report.segment_name
    parts = [f'<section class="segment" data-segment="{esc(name)}"><h2>{esc(name)}</h2>']
    prediction = "does" if report.direction == "will_do" else "does not do"
    parts.append(
        f"<p>Who {prediction} <b>{esc(report.target_event)}</b> in the next {report.future_days} days. Status "
        f"<b>{esc(report.status)}</b>{': ' + esc(report.status_message) if report.status != 'ok' else ''}; "
        f"launch check <b>{esc(report.launch_check)}</b>.</p>"
    )
    base_rate = report.expected_base_rate_today if _ok(report.expected_base_rate_today) else report.validation_base_rate
    parts.append(
        "<table class='facts'>"
        f"<tr><th>requested precision</th><td>{pct(report.requested_precision, 0)}</td>"
        f"<th>expected today</th><td>{pct(report.expected_precision)} "
        f"({pct(report.expected_precision_low)} – {pct(report.expected_precision_high)})</td></tr>"
        f"<tr><th>audience today</th><td>{report.audience_size:,} of {report.eligible_users:,}</td>"
        f"<th>base rate</th><td>{pct(base_rate)}</td></tr>"
        f"<tr><th>lift over the base rate</th><td>{num(report.lift, 2)} "
        f"(naive rule: {num(report.baseline_lift, 2)})</td>"
        f"<th>AUC, out of time</th><td>{num(report.validation_auc)} (naive rule: {num(report.baseline_auc)})</td></tr>"
        "</table>"
    )
    curve = db.df("select * from segment_precision_curve where segment_name = ? order by point_number", [name])
    if len(curve):
        plot = Plot(
            Axis(0, 1, "audience: share of the users scored (validation cutoff)", True),
            Axis(0, 1, "rate", True),
            "Precision and recall by audience size",
        )
        plot.line(curve["audience_share"], curve["precision"], "precision (right among those selected)", COLOURS[0])
        plot.line(curve["audience_share"], curve["recall"], "recall (share of all who did it, selected)", COLOURS[1])
        plot.hline(report.requested_precision, f"requested precision {pct(report.requested_precision, 0)}", COLOURS[3])
        if report.eligible_users:
            plot.vline(report.audience_size / report.eligible_users, "today's audience", COLOURS[2])
        if _ok(report.threshold):
            chosen = curve.iloc[(curve["threshold"] - report.threshold).abs().argsort()[:1]]
            plot.points(chosen["audience_share"], chosen["precision"], "today's threshold", COLOURS[2])
        parts.append(plot.svg("precision_curve"))
        parts.append(
            "<p class='note'>Read across: asking for a higher precision moves the threshold left — a smaller "
            "audience that is more often right, and a lower recall.</p>"
        )
    calibration = (
        db.df("select * from segment_calibration where segment_name = ? order by score_decile", [name])
        if db.has("segment_calibration")
        else pd.DataFrame()
    )
    if len(calibration):
        top = max(calibration["mean_predicted"].max(), calibration["observed_rate"].max(), 0.05)
        top = min(1.0, math.ceil(top * 10) / 10)
        plot = Plot(
            Axis(0, top, "predicted probability (mean of a tenth of the users)", True),
            Axis(0, top, "observed share who did it", True),
            "Calibration: predicted against observed",
        )
        plot.line([0, top], [0, top], "perfect calibration", "#999", dash="4 4")
        plot.points(calibration["mean_predicted"], calibration["observed_rate"], "score tenths", COLOURS[0])
        parts.append(plot.svg("calibration"))
    drivers = db.df(
        "select models.*, reports.past_days from segment_models as models inner join segment_model_report as reports "
        "using (segment_name) where segment_name = ? and model_role = 'scoring' and term_kind in ('event', 'user', "
        "'attribute') order by abs(coefficient) desc, term_order",
        [name],
    )
    if len(drivers):
        # a feature can enter as two terms (its log and its value): name each feature once, by its largest term
        catalog = db.df("select feature_name, description from feature_catalog") if db.has("feature_catalog") else None
        words = {} if catalog is None else dict(zip(catalog["feature_name"], catalog["description"], strict=True))
        drivers = drivers.assign(words=[driver_words(t, words) for t in drivers.itertuples()])
        drivers = drivers.drop_duplicates("words").head(5)
        items = "".join(
            f"<li>{esc(t.words)}: {'raises' if t.coefficient > 0 else 'lowers'} the score "
            f"(coefficient {t.coefficient:+.2f} per standard deviation)</li>"
            for t in drivers.itertuples()
        )
        parts.append(f"<h3>Strongest drivers</h3><ul class='drivers'>{items}</ul>")
    if db.has("segment_realised_precision"):
        realised = db.df("select * from segment_realised_precision where segment_name = ? order by as_of_date", [name])
        if len(realised):
            days = [(d - realised["as_of_date"].min()).days for d in realised["as_of_date"]]
            last = max(days) or 1
            plot = Plot(
                Axis(0, last, f"night (days after {realised['as_of_date'].min():%d %b %Y})"),
                Axis(0, 1, "precision", True),
                "Promised against realised precision, night by night",
            )
            plot.line(days, realised["promised_precision"], "promised", COLOURS[3], dash="6 4")
            plot.points(
                days,
                realised["realised_precision"],
                "realised (95 % interval)",
                COLOURS[0],
                realised["realised_precision_low"].tolist(),
                realised["realised_precision_high"].tolist(),
            )
            parts.append(plot.svg("realised_precision"))
        else:
            parts.append(
                f"<p class='note'>Promised against realised precision appears once a published night's "
                f"{report.future_days}-day window has passed (run it nightly: see the README).</p>"
            )
    parts.append("</section>")
    return "".join(parts)


def build_report(database: Path) -> str:
    db = Database(database)
    if not db.has("segment_model_report"):
        raise SystemExit(f"{database} holds no segment_model_report: run `make demo` (or dbt build) first")
    reports = db.df("select * from segment_model_report order by segment_name")
    as_of = pd.Timestamp(reports["as_of_date"].iloc[0]).date() if len(reports) else None
    body = [
        f"<h1>Predictive segments — as of {esc(as_of)}</h1>",
        "<p class='lead'>What each segment promises and how it does, built from the project's tables "
        f"({esc(database.name)}). Precision: the share of a segment's users who really do (or do not do) the "
        "event in the window. Probabilities and curves are measured on a past cutoff the model had not seen.</p>",
        "<nav>"
        + " · ".join(f'<a href="#{esc(n)}">{esc(n)}</a>' for n in reports["segment_name"])
        + ' · <a href="#activity">activity</a> · <a href="#campaigns">campaigns</a> · <a href="#rejected">rejected '
        'rows</a> · <a href="#personas">personas</a></nav>',
    ]
    for report in reports.itertuples():
        body.append(f'<a id="{esc(report.segment_name)}"></a>{segment_section(db, report)}')
    if db.has("app_hourly_activity"):
        activity = db.df("select * from app_hourly_activity")
        if len(activity):
            body.append('<section id="activity"><h2>When users are active</h2>')
            body.append(
                heatmap(
                    activity,
                    "Share of each weekday's active users active in each local hour",
                    "Darker: more of that day's active users were active then. Campaigns send at each user's "
                    "own best hour and fall back on the app's.",
                )
            )
            body.append("</section>")
    if db.has("campaign_send_plan"):
        rules = db.df("select campaign_id, send_rule, count(*) as users from campaign_send_plan group by 1, 2")
        if len(rules):
            body.append('<section id="campaigns"><h2>Campaign timing</h2>')
            body.append(
                stacked_bars(
                    rules,
                    "How each campaign's users were timed (the first rule of the cascade "
                    "that gave a time still ahead, outside quiet hours)",
                )
            )
            body.append("</section>")
    if db.has("stg_events_rejected"):
        rejected = db.df("select reject_reason, count(*) as rows from stg_events_rejected group by 1 order by 2 desc")
        total = db.df("select count(*) as n from stg_events")["n"][0] if db.has("stg_events") else None
        body.append("<section id='rejected' data-plot='rejected_rows'><h2>Rejected input rows</h2>")
        body.append(
            f"<p>{int(rejected['rows'].sum()) if len(rejected) else 0:,} event rows were not used"
            + (f", beside {total:,} used" if total is not None else "")
            + " (stg_events_rejected lists each with its reason).</p>"
        )
        if len(rejected):
            body.append(table(rejected, {"reject_reason": "reason", "rows": "rows"}))
        body.append("</section>")
    if db.has("persona_profiles", "persona_model_report"):
        profiles = db.df("select * from persona_profiles order by persona_id")
        status = db.df(
            "select any_value(status) as status, any_value(status_message) as message from persona_model_report"
        )
        body.append("<section id='personas' data-plot='personas'><h2>Discovered personas</h2>")
        body.append(f"<p>{esc(status['message'][0])}.</p>")
        if len(profiles):
            body.append(
                table(
                    profiles,
                    {
                        "persona_id": "id",
                        "persona_name": "persona",
                        "user_count": "users",
                        "user_share": "share",
                        "recency_days_mean": "days since last event",
                        "frequency_mean": "events in the window",
                        "monetary_mean": "value in the window",
                    },
                    {
                        "user_share": pct,
                        "recency_days_mean": lambda v: num(v, 1),
                        "frequency_mean": lambda v: num(v, 1),
                        "monetary_mean": lambda v: num(v, 1),
                    },
                )
            )
        if db.has("persona_actionability"):
            separation = db.df(
                "select segment_name, grouped_by, max(information_gain_share) as separation from persona_actionability "
                "group by 1, 2 order by 1, 3 desc"
            )
            if len(separation):
                body.append(
                    "<p>How much each grouping tells apart what users do next (information gain as a share of the "
                    "outcome's entropy; 0: nothing):</p>"
                )
                body.append(
                    table(
                        separation,
                        {"segment_name": "segment", "grouped_by": "grouped by", "separation": "separation"},
                        {"separation": lambda v: num(v, 3)},
                    )
                )
        body.append("</section>")
    return PAGE.format(title=f"Predictive segments — {esc(as_of)}", body="\n".join(body))


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1200px; color: #222; }}
h1 {{ font-size: 22px; }} h2 {{ font-size: 18px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }}
section {{ margin: 28px 0; }} .segment figure {{ display: inline-block; vertical-align: top; margin: 8px 16px 8px 0; }}
figcaption {{ font-weight: 600; margin-bottom: 4px; }} svg text {{ font-size: 11px; fill: #333; }}
svg text.axis {{ font-size: 12px; }} .legend {{ font-size: 12px; }} .key {{ margin-right: 12px; white-space: nowrap; }}
.key svg {{ vertical-align: middle; margin-right: 4px; }} table {{ border-collapse: collapse; margin: 8px 0; }}
td, th {{ border: 1px solid #ddd; padding: 3px 8px; text-align: left; }} th {{ background: #f5f5f5; }}
.note, .lead {{ color: #555; }} nav a {{ margin-right: 4px; }}
</style></head>
<body>
{body}
</body></html>
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", type=Path, default=Path("target/predseg.duckdb"))
    parser.add_argument("--out", type=Path, default=Path("target/report.html"))
    args = parser.parse_args(argv)
    if not args.database.exists():
        print(f"no database at {args.database}: run `make demo` (or dbt build) first", file=sys.stderr)
        return 2
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(build_report(args.database), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB): open it in a browser, no network needed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
