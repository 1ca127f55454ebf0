"""``arsenal analyze``: tables, figures and one self-contained HTML page for a sweep folder.

The page follows the comparison report: its own style sheet, figures embedded as base64 PNG
(also written beside it), a command to reproduce. It reads the sweep's files only.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from simulator import __version__
from simulator.analysis.data import AnalysisError, SweepData, default_kpis, load_sweep
from simulator.analysis.discovery import Box, Threshold, parse_threshold, prim_boxes
from simulator.analysis.figures import effects_figure, heatmap_figure, sobol_figure
from simulator.analysis.points import point_table
from simulator.analysis.sensitivity import sobol_table
from simulator.experiment.output import write_csv
from simulator.output import atomic_write, atomic_write_bytes
from simulator.report import STYLE, figure_png

DEFAULT_THRESHOLD = 0.8


@dataclass
class AnalysisResult:
    """What :func:`analyze_sweep` computed and wrote."""

    data: SweepData
    points: pd.DataFrame
    sobol: pd.DataFrame
    boxes: dict[tuple[str, str], list[Box]]
    notes: list[str] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)

    def text(self) -> str:
        """A terminal summary: size, failures, indices and boxes."""
        d = self.data
        lines = [f"{d.folder}: {d.design} design, {len(d.points):,} points x "
                 f"{d.manifest['reps']} reps over {', '.join(d.keys)}"]
        if d.failed_runs:
            lines.append(f"{d.failed_runs:,} failed runs left out (see the error column)")
        for r in self.sobol.itertuples(index=False):
            lines.append(f"Sobol [{r.view}] {r.kpi} / {r.key}: S1 {r.S1:.2f} "
                         f"[{r.S1_low:.2f}, {r.S1_high:.2f}], ST {r.ST:.2f} "
                         f"[{r.ST_low:.2f}, {r.ST_high:.2f}]")
        for (view, cond), boxes in self.boxes.items():
            for b in boxes:
                lines.append(f"PRIM [{view}] {cond}: {b.describe()} (coverage {b.coverage:.0%}, "
                             f"density {b.density:.0%})")
        lines.extend(self.notes)
        return "\n".join(lines)


def _thresholds(data: SweepData, given: list[str]) -> list[Threshold]:
    if given:
        return [parse_threshold(t, data.kpi_columns) for t in given]
    return [Threshold(k, "<", DEFAULT_THRESHOLD) for k in data.kpi_columns
            if k.endswith(".fill_rate")]


def analyze_sweep(folder: Path, kpis: list[str] | None = None,
                  thresholds: list[str] | None = None, confidence: float = 0.95,
                  command: str | None = None) -> AnalysisResult:
    """Analyse the sweep in ``folder`` and write its tables, figures and ``analysis.html``."""
    probe = load_sweep(folder, kpis=[])
    kpis = list(kpis or default_kpis(probe))
    missing = [k for k in kpis if k not in probe.kpi_columns]
    if missing:
        raise AnalysisError(f"--kpi {', '.join(missing)}: not in this sweep; it has "
                            f"{', '.join(probe.kpi_columns[:12])}"
                            f"{' ...' if len(probe.kpi_columns) > 12 else ''}")
    conds = _thresholds(probe, thresholds or [])
    data = load_sweep(folder, sorted(set(kpis) | {c.kpi for c in conds}))
    points = point_table(data, sorted(set(kpis) | {c.kpi for c in conds}), confidence)
    sobol = sobol_table(data, points, kpis, confidence)
    result = AnalysisResult(data, points, sobol, {})
    for view in data.views[:2]:
        x = data.points[data.keys]
        for cond in conds:
            sub = points[(points.view == view) & (points.kpi == cond.kpi)].set_index("point")
            y = cond.test(sub["mean"].reindex(data.points.point).to_numpy(float))
            boxes = prim_boxes(x, y)
            if boxes:
                result.boxes[(view, str(cond))] = boxes
            else:
                result.notes.append(f"PRIM [{view}] {cond}: {int(y.sum())} of {len(y)} points "
                                    "meet it; no box to find" if not 0 < y.sum() < len(y)
                                    else f"PRIM [{view}] {cond}: no box reaches "
                                    f"{DENSITY_TEXT} density")
    _write(result, kpis, confidence, command)
    return result


DENSITY_TEXT = "80 %"


def _write(result: AnalysisResult, kpis: list[str], confidence: float,
           command: str | None) -> None:
    d = result.data
    out = d.folder
    paths = result.paths
    paths["points"] = out / "points.csv"
    write_csv(paths["points"], result.points)
    box_rows = [{"view": v, "condition": c, "box": i + 1, "coverage": b.coverage,
                 "density": b.density, "mass": b.mass, "limits": b.describe()}
                for (v, c), boxes in result.boxes.items() for i, b in enumerate(boxes)]
    paths["boxes"] = out / "boxes.csv"
    write_csv(paths["boxes"], pd.DataFrame(box_rows, columns=["view", "condition", "box",
                                                              "coverage", "density", "mass",
                                                              "limits"]))
    figures: list[tuple[str, Figure, str]] = []
    for kpi in kpis:
        figures.append((f"effect_{kpi}", effects_figure(d, kpi, confidence),
                        f"Mean {kpi} against each varied key, averaged over the other keys "
                        "and the replications; bands are confidence intervals over runs."))
    main_view = d.views[-1]
    if len(d.keys) >= 2:
        figures.append(("heatmap", heatmap_figure(d, result.points, kpis, main_view),
                        f"Mean KPI over {d.keys[0]} and {d.keys[1]} ({main_view})."))
    if not result.sobol.empty:
        paths["sobol"] = out / "sobol.csv"
        write_csv(paths["sobol"], result.sobol)
        for view in d.views:
            if (result.sobol.view == view).any():
                figures.append((f"sobol_{_slug(view)}", sobol_figure(result.sobol, view),
                                "First-order (S1) and total (ST) Sobol indices with "
                                f"bootstrap intervals ({view})."))
    sections = []
    for name, fig, caption in figures:
        png = figure_png(fig)
        paths[name] = out / f"{_slug(name)}.png"
        atomic_write_bytes(paths[name], png)
        data = base64.b64encode(png).decode("ascii")
        sections.append(f'<figure><img alt="{html.escape(name)}" src="data:image/png;base64,'
                        f'{data}"><figcaption>{html.escape(caption)}</figcaption></figure>')
    paths["report"] = out / "analysis.html"
    page = _page(result, "".join(sections), command)
    atomic_write(paths["report"], lambda h: h.write(page))


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text)


def _rows(frame: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in frame.itertuples(index=False))
    return f"<table><tr>{head}</tr>{body}</table>"


def _cell(v: object) -> str:
    return f"{v:.4g}" if isinstance(v, float) else str(v)


def _page(result: AnalysisResult, figures: str, command: str | None) -> str:
    d = result.data
    m = d.manifest
    specs = m.get("specs") or {}
    keys = "".join(f"<li><code>{html.escape(k)}</code> {html.escape(str(specs.get(k, '')))}"
                   "</li>" for k in d.keys)
    boxes = "".join(f"<li>[{html.escape(v)}] <b>{html.escape(c)}</b>: {html.escape(b.describe())}"
                    f" — coverage {b.coverage:.0%}, density {b.density:.0%}</li>"
                    for (v, c), bs in result.boxes.items() for b in bs)
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
    sobol = _rows(result.sobol) if not result.sobol.empty else (
        "<p class=meta>Sobol indices need <code>--design sobol</code>.</p>")
    top = result.points.sort_values(["kpi", "view", "point"]).head(200)
    failed = (f"<p>{d.failed_runs:,} runs failed and are left out (their rows carry the error)."
              "</p>" if d.failed_runs else "")
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = command or f"arsenal analyze {d.folder}"
    crn = (", the same for both postures (common random numbers); differences are per run"
           if len(d.views) == 3 else "")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sweep: {html.escape(' vs '.join(m['postures']))}
</title><style>{STYLE}</style></head><body>
<h1>Sweep: {html.escape(' vs '.join(m['postures']))}</h1>
<p class=meta><b>{d.design}</b> design, <b>{len(d.points):,} points</b> x
<b>{m['reps']} replications</b>, seed {m['seed']}. Run (point p, replication r) used
<code>SeedSequence({m['seed']}, spawn_key=(p, r))</code>{crn}.</p>
<ul>{keys}</ul>{failed}
<h2>Scenario discovery (PRIM)</h2><ul>{boxes}{notes}</ul>
<h2>Sensitivity (Sobol)</h2>{sobol}
<h2>Figures</h2>{figures}
<h2>Per-point means</h2><details><summary>First {len(top)} of {len(result.points):,} rows
(all in points.csv)</summary>{_rows(top)}</details>
<h2>Reproduce</h2><p><code>{html.escape(command)}</code></p>
<p class=meta>Arsenal {__version__}, {stamp}.</p></body></html>
"""
