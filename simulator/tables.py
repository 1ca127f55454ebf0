"""Plain-text tables and numbers for the terminal, written for a strategist to read."""

from __future__ import annotations

import math

import pandas as pd

from simulator.results import RunResult


def fmt(x: float | None, kpi: str = "", signed: bool = False) -> str:
    """A number as a strategist reads it, not as the CSV stores it.

    Fill rates to 3 decimals, money in M/bn, big counts whole, small numbers to 3 significant
    digits.

    >>> fmt(0.74512, "fill_rate"), fmt(72_010_000_000), fmt(1_768_000), fmt(-36.14, signed=True)
    ('0.745', '72.01 bn', '1.77 M', '-36.1')
    """
    if x is None or not math.isfinite(x):
        return "n/a"
    sign = "+" if signed else ""
    size = abs(x)
    if kpi == "fill_rate":
        return f"{x:{sign}.3f}"
    if size >= 1e9:
        return f"{x / 1e9:{sign},.2f} bn"
    if size >= 1e6:
        return f"{x / 1e6:{sign},.2f} M"
    if size >= 100:
        return f"{x:{sign},.0f}"
    return f"{x:{sign}.3g}"


def text_table(frame: pd.DataFrame, text_columns: int = 2) -> str:
    """Plain-text table: the first ``text_columns`` left-aligned, the numbers right-aligned."""
    cells = [list(frame.columns), *frame.astype(str).to_numpy().tolist()]
    widths = [max(len(row[k]) for row in cells) for k in range(len(frame.columns))]
    return "\n".join("  ".join(c.ljust(w) if k < text_columns else c.rjust(w)
                               for k, (c, w) in enumerate(zip(row, widths, strict=True)))
                     for row in cells)


def kpi_table(result: RunResult) -> str:
    """Per-item KPIs of one replication, one row per item, numbers rounded for reading."""
    cols = ["demand", "delivered", "fill_rate", "shortfall_days", "longest_stockout_days",
            "produced", "lost_in_transit", "end_stock", "cost"]
    if any(k.get("mean_effectiveness", 1.0) != 1.0 for k in result.kpis.values()):
        cols.insert(3, "effective_delivered")
    rows = [[item, *(fmt(k[c], c) for c in cols)] for item, k in result.kpis.items()]
    lines = [text_table(pd.DataFrame(rows, columns=["item", *cols]), text_columns=1)]
    t = result.transport
    if t["ships_start"] or t["sorties"]:
        lines.append(f"ships: {t['ships_start']} at start, {t['ships_lost']} lost, "
                     f"{t['ships_built']} built; convoys {t['convoys']}; sorties {t['sorties']}, "
                     f"aircraft lost {t['aircraft_lost']}")
    lines.append(f"mean delivery time {fmt(t['mean_delivery_days'])} days; "
                 f"total cost {fmt(t['total_cost'])}")
    lines += _front_lines(result)
    return "\n".join(lines)


def _front_lines(result: RunResult) -> list[str]:
    """The decoy screen, the combat outcome and the purse, where the scenario has them."""
    g, out = result.group_kpis, []
    if "front" in g:
        f = g["front"]
        out.append(f"front: {fmt(f['strikes'])} enemy strikes, {f['absorbed_share']:.0%} "
                   f"absorbed by decoys, {fmt(f['targets_destroyed'])} real targets destroyed")
    if "combat" in g:
        c, sec = g["combat"], result.sections.get("combat", {})
        held = sec.get("friendly_break_day")
        broke = "held to the end" if held is None else f"broke on day {held}"
        ratio = c["force_ratio_end"]
        end = (f"force ratio {ratio:.2f} at the end (friendly / enemy)" if ratio == ratio
               else "the enemy force was destroyed")
        out.append(f"combat: {end}; the friendly force {broke}")
    money = result.sections.get("money", {})
    if money.get("budget_per_year") is not None:
        dry = g.get("money", {}).get("days_without_budget", 0.0)
        out.append(f"budget: {fmt(money['budget_per_year'])} a year; {fmt(dry)} days without "
                   "money for production")
    return out
