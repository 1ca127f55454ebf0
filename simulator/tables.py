"""Plain-text tables for the terminal."""

from __future__ import annotations

import pandas as pd

from simulator.results import RunResult


def kpi_table(result: RunResult) -> str:
    """Per-item KPIs, one row per item, numbers rounded for reading."""
    cols = ["demand", "delivered", "fill_rate", "shortfall_days", "longest_stockout_days",
            "produced", "lost_in_transit", "end_stock", "cost"]
    frame = pd.DataFrame({item: {c: k[c] for c in cols} for item, k in result.kpis.items()}).T
    frame.index.name = "item"
    fmt = {c: "{:,.0f}".format for c in cols}
    fmt["fill_rate"] = "{:.3f}".format
    lines = [frame.to_string(formatters=fmt)]
    t = result.transport
    if t["ships_start"] or t["sorties"]:
        lines.append(f"ships: {t['ships_start']} at start, {t['ships_lost']} lost, "
                     f"{t['ships_built']} built; convoys {t['convoys']}; sorties {t['sorties']}, "
                     f"aircraft lost {t['aircraft_lost']}")
    lines.append(f"mean delivery time {t['mean_delivery_days']:.1f} days; "
                 f"total cost {t['total_cost']:,.0f}")
    return "\n".join(lines)
