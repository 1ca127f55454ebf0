"""Per-item KPIs of industry under attack, read from a finished replication's result.

* **Regeneration** (:mod:`simulator.regeneration`): the shocks to an item's production are the
  strike hits on its factories' sites, the cut-offs of suppliers of its components and its
  factories' outages; for each, days until the item's daily output is back to 90 % of the week
  before. Worst and mean over the run.
* **Concentration** by place and by country: the largest share of the item's output made in one
  place / one country, and the Herfindahl index of those shares (by factory already exists).
  By supplier: for each component, the largest supplier's share of the units received.
* **Binding components**: for each component of the item, the days it limited production at
  the item's most affected factory (``bound_days_<component>``).

Everything here reads plain arrays and dicts of the result; nothing imports the model.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from simulator.regeneration import regeneration

SHOCK_KINDS = ("strike_damage_start", "supplier_cut_start", "site_outage_start",
               "outage_start")
"""Events that start a shock to production."""


def shares(values: Mapping[str, float]) -> tuple[float | None, float | None]:
    """Largest share and Herfindahl index of ``values`` (``None`` when they sum to 0).

    >>> shares({"US": 3.0, "Japan": 1.0})
    (0.75, 0.625)
    """
    total = sum(values.values())
    if total <= 0:
        return None, None
    s = np.array(list(values.values())) / total
    return float(s.max()), float(np.sum(s**2))


def item_shocks(item: str, events: Iterable[Any], factories: Mapping[str, dict],
                components: Mapping[str, dict], suppliers: Mapping[str, dict]) -> list[float]:
    """Days of the events that shocked ``item``'s production."""
    mine = {n for n, f in factories.items() if f["item"] == item}
    comps = {c for c, v in components.items() if set(v["bound_days"]) & mine}
    cut = {s for s, v in suppliers.items() if v["component"] in comps}
    days = []
    for e in events:
        if e.kind not in SHOCK_KINDS:
            continue
        if e.subject in mine or (e.kind == "supplier_cut_start" and e.subject in cut):
            days.append(e.day)
    return days


def industry_kpis(items: list[str], produced: np.ndarray, events: Iterable[Any],
                  factories: Mapping[str, dict], sections: Mapping[str, Any],
                  place_country: Mapping[str, str]) -> dict[str, dict[str, float | None]]:
    """The KPIs above for every item; ``produced`` is cumulative (days+1, places, items)."""
    components = sections.get("components", {})
    suppliers = sections.get("suppliers", {})
    # Shocks are a few kinds among thousands of events: pick them out once, not once per item.
    events = [e for e in events if e.kind in SHOCK_KINDS]
    out: dict[str, dict[str, float | None]] = {}
    for i, item in enumerate(items):
        daily = np.diff(produced[:, :, i].sum(axis=1))
        shocks = item_shocks(item, events, factories, components, suppliers)
        k: dict[str, float | None] = dict(regeneration(daily, shocks))
        by_place: dict[str, float] = defaultdict(float)
        by_country: dict[str, float] = defaultdict(float)
        mine = {n: f for n, f in factories.items() if f["item"] == item}
        for f in mine.values():
            by_place[f["place"]] += f["produced"]
            by_country[place_country.get(f["place"]) or f["place"]] += f["produced"]
        k["largest_place_share"], k["place_herfindahl"] = shares(by_place)
        k["largest_country_share"], k["country_herfindahl"] = shares(by_country)
        for comp, v in components.items():
            users = set(v["bound_days"]) & set(mine)
            if not users:
                continue
            k[f"bound_days_{comp}"] = float(max(v["bound_days"][n] for n in users))
            k[f"largest_supplier_share_{comp}"] = shares(v["received_by_supplier"])[0]
        out[item] = k
    return out
