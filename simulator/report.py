"""A self-contained HTML report of a posture comparison, plus the same figures as PNG files.

The HTML embeds every figure as a base64 PNG and carries its own style sheet, so a strategist
can mail the one file or paste figures into a brief; nothing is fetched from the network. It
reads experiment results only, never the model.
"""

from __future__ import annotations

import base64
import html
import io
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from simulator import __version__
from simulator.experiment.comparison import Comparison
from simulator.experiment.output import partial_note, replication_files
from simulator.output import atomic_write, atomic_write_bytes
from simulator.plots import FIGURES
from simulator.scenario import Scenario
from simulator.tables import fmt

DPI = 110

CAPTIONS = {
    "front_stock_shortfall": "Stock held at the theatre depot, and the demand the front has "
                             "not received so far (its slope is the daily shortfall). Shaded "
                             "columns are demand surges.",
    "fill_rate": "Share of demand delivered over the campaign. Right: the paired difference "
                 "B − A; an interval clear of zero means the postures really differ.",
    "production_by_place": "Mean daily production of each item, stacked by the place that "
                           "makes it; the dashed line is what the front asks for.",
    "losses": "Cargo lost in transit (by weight), ships sunk and the cargo fleet still in "
              "service.",
    "regeneration": "Days production took to come back to 90 % of its pre-shock throughput "
                    "after a strike hit, a supplier cut-off or an outage: the worst shock of a "
                    "run and the mean over its shocks, averaged over replications.",
    "front_outcome": "Left: friendly over enemy strength (Lanchester's square law fed by what "
                     "each posture delivered; enemy fire diluted by the decoys deployed). "
                     "Middle: effectiveness as enemy countermeasures erode it and producers' "
                     "updates restore it (a nearer producer restores it sooner). Right: units "
                     "delivered and effective units (units x effectiveness on the day).",
    "event_timeline": "One replication's history. Both postures share the seed, so what they "
                      "have in common fails on the same days.",
}

STYLE = """
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1180px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}
.meta{color:#555}table{border-collapse:collapse;font-size:.9em;margin:.6em 0}
th,td{padding:.25em .7em;border-bottom:1px solid #e4e4e4;text-align:right}
th:nth-child(-n+2),td:nth-child(-n+2){text-align:left}th{background:#f4f4f4}
.a{color:#D55E00;font-weight:600}.b{color:#0072B2;font-weight:600}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
figure{margin:1.2em 0}figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.92em}code{background:#f4f4f4;padding:.1em .3em}
li{margin:.2em 0}
@media (max-width:640px){body{margin:.5em auto;font-size:15px}table{font-size:.8em}
th,td{padding:.2em .4em}h1{font-size:1.3em}}
"""


def figure_png(fig: Figure, dpi: int = DPI) -> bytes:
    """Render ``fig`` to PNG bytes (Agg canvas, no display needed)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()


def _table(cmp: Comparison, rows: pd.DataFrame, pct: int) -> str:
    head = ("<tr><th>KPI</th><th>item</th><th>A</th><th>B</th><th>B − A</th>"
            f"<th>{pct} % CI</th><th>p</th></tr>")
    body = []
    for r in rows.itertuples(index=False):
        p = "n/a" if r.p_value != r.p_value else ("<0.001" if r.p_value < 0.001
                                                  else f"{r.p_value:.3f}")
        cells = [r.kpi.replace("_", " "), r.item, fmt(r.mean_a, r.kpi), fmt(r.mean_b, r.kpi),
                 fmt(r.diff, r.kpi, True),
                 f"[{fmt(r.ci_low, r.kpi, True)}, {fmt(r.ci_high, r.kpi, True)}]", p]
        body.append("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in cells) + "</tr>")
    note = partial_note(cmp, rows)
    note = f"<p class=meta>{html.escape(note)}.</p>" if note else ""
    return f"<div class=scroll><table>{head}{''.join(body)}</table></div>{note}"


def shared_assets(a: Scenario, b: Scenario) -> str:
    """What the two postures have in common, in the scenario's own words, for the timeline.

    Components with the same name (and the same place) draw from the same random stream in
    both postures, so their outages coincide; the caption names them rather than assuming a
    particular map.

    >>> from simulator.catalog import resolve_scenario
    >>> from simulator.scenario import load_scenario
    >>> sc = load_scenario(resolve_scenario("classroom_minimal"))
    >>> shared_assets(sc, sc)
    'the plants at home (drone_plant, decoy_plant, shell_plant)'
    """
    common = [n for n, f in a.factories.items()
              if n in b.factories and b.factories[n].place == f.place]
    parts = []
    places = list(dict.fromkeys(a.factories[n].place for n in common))
    for place in places:
        names = ", ".join(n for n in common if a.factories[n].place == place)
        parts.append(f"the plants at {place} ({names})")
    ports = [p for p, pl in a.places.items()
             if pl.port is not None and p in b.places and b.places[p].port == pl.port]
    parts += [f"the port of {p}" for p in ports]
    return ", ".join(parts)


def _captions(scenarios: tuple[Scenario, Scenario] | None) -> dict[str, str]:
    captions = dict(CAPTIONS)
    shared = shared_assets(*scenarios) if scenarios else ""
    if shared:
        captions["event_timeline"] = ("One replication's history. Both postures share the "
                                      f"seed, so what they have in common ({shared}) fails on "
                                      "the same days.")
    return captions


def _findings(cmp: Comparison) -> str:
    """One sentence per item on fill rate, the question the report exists to answer."""
    t = cmp.table
    lines = []
    for r in t[t.kpi == "fill_rate"].itertuples(index=False):
        if r.ci_low > 0:
            verdict = "B delivers more"
        elif r.ci_high < 0:
            verdict = "A delivers more"
        else:
            verdict = "no difference detectable at this number of replications"
        lines.append(
            f"<li><b>{html.escape(r.item)}</b>: fill rate <span class=a>{r.mean_a:.1%}</span> "
            f"(A) vs <span class=b>{r.mean_b:.1%}</span> (B); B − A = "
            f"{r.diff * 100:+.1f} percentage points, {round(cmp.confidence * 100)} % CI "
            f"[{r.ci_low * 100:+.1f}, {r.ci_high * 100:+.1f}] — {verdict}.</li>")
    lines += _outcome_lines(cmp)
    return "<ul>" + "".join(lines) + "</ul>"


def _outcome_lines(cmp: Comparison) -> list[str]:
    """Effective units per item, and the combat outcome where the scenarios have one."""
    t = cmp.table
    pct = round(cmp.confidence * 100)
    lines = []
    units = {r.item: r for r in t[t.kpi == "delivered"].itertuples(index=False)}
    for r in t[t.kpi == "effective_delivered"].itertuples(index=False):
        plain = units.get(r.item)
        if plain is not None and (plain.mean_a, plain.mean_b) == (r.mean_a, r.mean_b):
            continue  # nothing erodes this item: its effective units are its units
        lines.append(
            f"<li><b>{html.escape(r.item)}</b>: effective units delivered "
            f"<span class=a>{fmt(r.mean_a, r.kpi)}</span> (A) vs "
            f"<span class=b>{fmt(r.mean_b, r.kpi)}</span> (B); B − A "
            f"{fmt(r.diff, r.kpi, True)}, {pct} % CI [{fmt(r.ci_low, r.kpi, True)}, "
            f"{fmt(r.ci_high, r.kpi, True)}].</li>")
    combat = {r.kpi: r for r in t[t.item == "combat"].itertuples(index=False)}
    if "force_ratio_end" in combat:
        r, held = combat["force_ratio_end"], combat.get("friendly_days_held")
        what = "force ratio (friendly / enemy)"
        if r.n < cmp.reps and "friendly_share_end" in combat:  # the enemy was wiped out
            r, what = combat["friendly_share_end"], "friendly share of all strength"
        text = (f"<li><b>combat</b>: {what} at the end "
                f"<span class=a>{r.mean_a:.2f}</span> (A) vs <span class=b>{r.mean_b:.2f}</span>"
                f" (B), B − A {r.diff:+.2f}, {pct} % CI [{r.ci_low:+.2f}, {r.ci_high:+.2f}]")
        if held is not None:
            text += (f"; the friendly force held (above its break point) "
                     f"<span class=a>{held.mean_a:.0f}</span> vs "
                     f"<span class=b>{held.mean_b:.0f}</span> days")
        lines.append(text + ".</li>")
    return lines


def _precision(cmp: Comparison) -> str:
    try:
        need = cmp.replications_for("fill_rate", 0.01)
    except ValueError:
        return ""
    parts = ", ".join(f"{html.escape(item)} {n:,}" for item, n in need.items())
    return (f"<p class=meta>Replications needed for ±1 percentage point on each fill-rate "
            f"difference (from this run's spread): {parts}.</p>")


def build_report(cmp: Comparison, out: Path, command: str | None = None,
                 scenarios: tuple[Scenario, Scenario] | None = None) -> dict[str, Path]:
    """Write ``report.html`` and one PNG per figure into ``out``; return their paths by name.

    ``scenarios`` (A, B) lets the captions name what the postures share.
    """
    pct = round(cmp.confidence * 100)
    captions = _captions(scenarios)
    a, b = cmp.a, cmp.b
    paths: dict[str, Path] = {}
    sections = []
    for name, draw in FIGURES.items():
        png = figure_png(draw(cmp))
        paths[name] = out / f"{name}.png"
        atomic_write_bytes(paths[name], png)
        data = base64.b64encode(png).decode("ascii")
        sections.append(f'<figure id="{name}"><a href="{name}.png" title="open full size">'
                        f'<img alt="{name.replace("_", " ")}" '
                        f'src="data:image/png;base64,{data}"></a><figcaption>'
                        f"{html.escape(captions.get(name, ''))} <i>Tap or click the figure for "
                        f"the full-size {name}.png next to this report.</i></figcaption>"
                        "</figure>")
    command = command or (f"arsenal compare A.yaml B.yaml --reps {cmp.reps} --seed {cmp.seed}")
    files_a, files_b = replication_files(cmp)
    kept = len(a.series.get("depot_stock", ()))
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(a.scenario)} vs {html.escape(b.scenario)}</title>
<style>{STYLE}</style></head><body>
<h1>Posture comparison: <span class=a>A {html.escape(a.scenario)}</span> vs
<span class=b>B {html.escape(b.scenario)}</span></h1>
<p class=meta><b>{cmp.reps} replications</b> of each posture, <b>seed {cmp.seed}</b>,
{a.days}-day campaign. A: {html.escape(a.description)}<br>B: {html.escape(b.description)}</p>
<p>Both postures ran on the same {cmp.reps} replication seeds (common random numbers: every
component draws from its own stream, keyed by the seed and its name), so the differences below
are paired: B − A per replication, then a {pct} % Student t interval and a paired t test over the
{cmp.reps} differences.</p>
<h2>Findings</h2>
{_findings(cmp)}
{_table(cmp, cmp.headline(), pct)}
{_precision(cmp)}
<h2>Figures</h2>
<p class=meta>Bands cover 90 % of the {kept} replications whose daily series were kept; lines
are medians. Posture A is always vermillion, B always blue.</p>
{"".join(sections)}
<h2>Every KPI</h2>
<details><summary>All {len(cmp.table)} paired KPIs</summary>{_table(cmp, cmp.table, pct)}</details>
<h2>Reproduce</h2>
<p><code>{html.escape(command)}</code><br>
Files next to this report: <code>comparison.csv</code>, <code>{html.escape(files_a)}</code>,
<code>{html.escape(files_b)}</code>, the resolved scenarios and one PNG per figure. Replication
<i>i</i> used <code>SeedSequence({cmp.seed}, spawn_key=(i,))</code>.</p>
<p class=meta>Arsenal {__version__}, {stamp}.</p>
</body></html>
"""
    paths["report"] = out / "report.html"
    atomic_write(paths["report"], lambda h: h.write(page))
    return paths
