"""One replication's result: daily series, the event log, KPIs and the conservation check.

A :class:`RunResult` holds plain arrays and dicts only (no SimPy objects), so it pickles cheaply
between worker processes and everything downstream (experiments, plots, reports) reads it
without touching the model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simulator.ledger import Event

if TYPE_CHECKING:
    from simulator.model.world import World

ITEM_KPIS = ("demand", "delivered", "fill_rate", "shortfall_days", "produced", "lost_in_transit",
             "end_stock", "cost")
"""The per-item KPIs every summary carries (more may follow them)."""


class InvariantError(RuntimeError):
    """Goods were created or destroyed outside the ledger: always a bug in the model."""


@dataclass
class RunResult:
    """Everything one replication reports."""

    scenario: str
    seed: int
    spawn_key: tuple[int, ...]
    days: int
    items: list[str]
    places: list[str]
    place_kinds: list[str]
    theatre: int
    initial: np.ndarray
    stock: np.ndarray  # (days+1, places, items), end of each day
    produced: np.ndarray  # (days+1, places, items), cumulative
    consumed: np.ndarray  # (days+1, items), cumulative
    in_transit: np.ndarray  # (days+1, items)
    lost: np.ndarray  # (days+1, items), cumulative
    demand: np.ndarray  # (days, items), per day
    delivered: np.ndarray  # (days, items), per day
    shortfall: np.ndarray  # (days, items), per day
    fleet_size: dict[str, np.ndarray]
    events: list[Event]
    factories: dict[str, dict[str, Any]]
    links: dict[str, dict[str, Any]]
    transport: dict[str, float]
    item_cost: np.ndarray
    effectiveness: np.ndarray
    footprint: np.ndarray
    in_flight_end: np.ndarray
    kpis: dict[str, dict[str, float]] = field(default_factory=dict)

    @classmethod
    def from_world(cls, w: World, in_flight: np.ndarray) -> RunResult:
        """Collect a finished world's record into plain arrays and compute the KPIs."""
        sc, led = w.scenario, w.ledger
        items = w.items
        item_cost = np.zeros(len(items))
        factories = {}
        for name, f in w.factories.items():
            cfg = f.cfg
            unit = cfg.unit_cost if cfg.unit_cost is not None else sc.items[cfg.item].unit_cost
            item_cost[f.item] += f.made * unit
            factories[name] = {"item": cfg.item, "place": cfg.place, "produced": f.made,
                               "cost": f.made * unit}
        links = {n: {"kind": lk.kind, "from": lk.origin.name, "to": lk.dest.name,
                     "active": lk in w.active_links, **lk.kpis()}
                 for n, lk in w.links.items()}
        res = cls(
            scenario=sc.name, seed=int(w.seed.entropy), spawn_key=tuple(w.seed.spawn_key),
            days=w.days, items=items, places=w.place_names,
            place_kinds=[sc.places[p].kind for p in w.place_names],
            theatre=w.places[sc.theatre.place].index, initial=led.initial.copy(),
            stock=led.rec_stock, produced=led.rec_produced, consumed=led.rec_consumed,
            in_transit=led.rec_in_transit, lost=led.rec_lost, demand=w.front.demand,
            delivered=w.front.delivered, shortfall=w.front.shortfall,
            fleet_size=w.fleet_size, events=list(led.events), factories=factories, links=links,
            transport={}, item_cost=item_cost,
            effectiveness=np.array([sc.items[i].effectiveness for i in items]),
            footprint=np.array([sc.items[i].cargo_footprint for i in items]),
            in_flight_end=in_flight,
        )
        res.transport = _transport_kpis(w, res)
        res.events = sorted(res.events + _stockout_events(res), key=lambda e: e.day)
        res.kpis = res._item_kpis()
        return res

    # --- KPIs ------------------------------------------------------------------------------
    def _item_kpis(self) -> dict[str, dict[str, float]]:
        out = {}
        for i, item in enumerate(self.items):
            largest, hhi = _concentration([f["produced"] for f in self.factories.values()
                                           if f["item"] == item])
            demand = float(self.demand[:, i].sum())
            delivered = float(self.delivered[:, i].sum())
            short = self.shortfall[:, i] > 1e-9
            cost = float(self.item_cost[i])
            effective = delivered * float(self.effectiveness[i])
            out[item] = {
                "demand": demand,
                "delivered": delivered,
                "fill_rate": delivered / demand if demand > 0 else 1.0,
                "shortfall_days": int(short.sum()),
                "produced": float(self.produced[-1, :, i].sum()),
                "lost_in_transit": float(self.lost[-1, i]),
                "end_stock": float(self.stock[-1, :, i].sum()),
                "cost": cost,
                "shortfall": float(self.shortfall[:, i].sum()),
                "longest_stockout_days": _longest_run(short),
                "end_depot_stock": float(self.stock[-1, self.theatre, i]),
                "initial_stock": float(self.initial[i]),
                "cost_per_effective_unit": cost / effective if effective > 0 else None,
                "largest_node_share": largest,
                "herfindahl_index": hhi,
            }
        return out

    def check_invariant(self, rtol: float = 1e-9) -> None:
        """Raise :class:`InvariantError` unless every item balances on every recorded day."""
        residual = (self.initial + self.produced.sum(axis=1) - self.consumed
                    - self.stock.sum(axis=1) - self.in_transit - self.lost)
        scale = 1.0 + np.abs(self.initial) + np.abs(self.produced.sum(axis=1))
        bad = np.abs(residual) > rtol * 1e3 * scale
        if bad.any():
            day, item = np.argwhere(bad)[0]
            raise InvariantError(f"{self.scenario}: conservation broken for "
                                 f"'{self.items[item]}' on day {day}: residual "
                                 f"{residual[day, item]:.6g}")
        gap = np.abs(self.in_flight_end - self.in_transit[-1])
        if (gap > rtol * 1e3 * (1.0 + np.abs(self.in_transit[-1]))).any():
            raise InvariantError(f"{self.scenario}: in-transit counter disagrees with the cargo "
                                 f"actually aboard links by {gap.max():.6g}")
        if (self.stock < -1e-6 * scale[:, None, :]).any():
            raise InvariantError(f"{self.scenario}: a stock went negative")

    # --- tables ----------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """The JSON-ready summary (``summary.json``)."""
        return {"scenario": self.scenario, "seed": self.seed, "days": self.days,
                "kpis": self.kpis, "transport": self.transport, "links": self.links,
                "factories": self.factories}

    def timeseries(self) -> pd.DataFrame:
        """Daily series in tidy form: one row per day and item (day 0 is the start)."""
        days = np.arange(self.days + 1)
        frames = []
        outside = np.ones(len(self.places), dtype=bool)
        outside[self.theatre] = False
        pad = np.zeros((1, len(self.items)))
        daily = {n: np.vstack([pad, a]) for n, a in
                 (("demand", self.demand), ("delivered", self.delivered),
                  ("shortfall", self.shortfall))}
        for i, item in enumerate(self.items):
            frames.append(pd.DataFrame({
                "day": days, "item": item,
                "demand": daily["demand"][:, i], "delivered": daily["delivered"][:, i],
                "shortfall": daily["shortfall"][:, i],
                "depot_stock": self.stock[:, self.theatre, i],
                "stock_elsewhere": self.stock[:, outside, i].sum(axis=1),
                "in_transit": self.in_transit[:, i],
                "produced_cum": self.produced[:, :, i].sum(axis=1),
                "consumed_cum": self.consumed[:, i],
                "lost_in_transit_cum": self.lost[:, i],
            }))
        return pd.concat(frames, ignore_index=True)

    def events_frame(self) -> pd.DataFrame:
        """The event log as a table."""
        return pd.DataFrame([(e.day, e.kind, e.subject, e.detail) for e in self.events],
                            columns=["day", "kind", "subject", "detail"])

    def fleet_frame(self) -> pd.DataFrame:
        """Ships afloat per fleet at the end of every day (initial - lost + built)."""
        days = np.arange(self.days + 1)
        return pd.DataFrame([(int(d), name, int(n)) for name, sizes in self.fleet_size.items()
                             for d, n in zip(days, sizes, strict=True)],
                            columns=["day", "fleet", "ships"])

    def flat_kpis(self) -> dict[str, float]:
        """One flat row of KPIs (``item.kpi`` and ``transport.kpi``) for replication tables."""
        row: dict[str, float] = {}
        for item, k in self.kpis.items():
            for name, value in k.items():
                row[f"{item}.{name}"] = np.nan if value is None else value
        for name, value in self.transport.items():
            row[f"transport.{name}"] = value
        return row


def _concentration(produced: list[float]) -> tuple[float | None, float | None]:
    """Share of the largest production node and the Herfindahl index of the nodes' shares.

    One node gives 1 and 1; ``n`` equal nodes give ``1/n`` and ``1/n``. ``None`` when nothing
    was made (no shares to speak of).
    """
    total = sum(produced)
    if total <= 0:
        return None, None
    shares = np.asarray(produced) / total
    return float(shares.max()), float(np.sum(shares**2))


def _longest_run(mask: np.ndarray) -> int:
    best = run = 0
    for flag in mask:
        run = run + 1 if flag else 0
        best = max(best, run)
    return best


def _stockout_events(res: RunResult) -> list[Event]:
    events = []
    for i, item in enumerate(res.items):
        short = np.concatenate([[False], res.shortfall[:, i] > 1e-9, [False]])
        edges = np.flatnonzero(np.diff(short.astype(np.int8)))
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            events.append(Event(float(start), "stockout_start", item))
            if end < res.days:
                events.append(Event(float(end), "stockout_end", item, f"{end - start} days"))
    return events


def _transport_kpis(w: World, res: RunResult) -> dict[str, float]:
    fleets = w.fleets.values()
    sea = [lk for lk in w.links.values() if lk.kind == "sea"]
    air = [lk for lk in w.links.values() if lk.kind == "air"]
    visits = sum(p.visits for p in w.ports.values())
    out: dict[str, float] = {
        "ships_start": sum(f.initial for f in fleets),
        "ships_lost": sum(f.lost for f in fleets),
        "ships_built": sum(f.built for f in fleets),
        "ships_end": sum(f.size for f in fleets),
        "ship_build_cost": sum(f.build_cost for f in fleets),
        "escorts_lost": sum(f.escorts_lost for f in fleets),
        "convoys": sum(lk.convoys for lk in sea),
        "sorties": sum(lk.sorties for lk in air),
        "aircraft_lost": sum(lk.aircraft_lost for lk in air),
        "port_wait_days": (sum(p.wait_days for p in w.ports.values()) / visits
                           if visits else 0.0),
        "mean_delivery_days": _pipeline_days(res),
    }
    out["total_cost"] = float(res.item_cost.sum()) + out["ship_build_cost"]
    return out


def _pipeline_days(res: RunResult) -> float:
    """Mean days from factory to theatre depot by Little's law (cargo-volume weighted).

    W = L / lambda, where L is the mean cargo outside the depot (in stock elsewhere or in
    transit) and lambda the mean cargo leaving that pipeline per day. Cargo leaves it by
    reaching the depot *or by being lost*: lost cargo spent its days in L too, so counting only
    arrivals would inflate W by 1 / (1 - share lost).
    """
    fp = res.footprint
    outside = np.ones(len(res.places), dtype=bool)
    outside[res.theatre] = False
    pipeline = (res.stock[:, outside, :].sum(axis=1) + res.in_transit) @ fp
    depot = res.stock[:, res.theatre, :] @ fp
    made_there = res.produced[:, res.theatre, :] @ fp
    received = (depot[-1] - depot[0]) + (res.consumed[-1] @ fp) - made_there[-1]
    left = received + res.lost[-1] @ fp
    if received <= 0 or left <= 0:
        return float("nan")
    return float(pipeline[1:].mean() / (left / res.days))
