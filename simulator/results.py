"""One replication's result, assembled from what the components reported and from the books.

A :class:`RunResult` holds plain arrays and dicts only (no SimPy objects), so it pickles cheaply
between worker processes and everything downstream (experiments, plots, reports) reads it
without touching the model. This module never imports the model: components write their part
into a :class:`~simulator.result_parts.ResultParts`, the books are the
:class:`~simulator.ledger.Ledger`'s record. (``ResultParts`` and ``RunMeta`` are defined in
:mod:`simulator.result_parts` and re-exported here, where components import them from.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from simulator.events import Event
from simulator.industry_kpis import industry_kpis
from simulator.ledger import Ledger
from simulator.ledger_audit import ROUNDING_ATOL, ROUNDING_RTOL, InvariantError
from simulator.result_parts import ResultParts, RunMeta

__all__ = ["ITEM_KPIS", "InvariantError", "ResultParts", "RunMeta", "RunResult"]

PLACE_KINDS = ("domestic", "allied", "theatre", "waypoint")
"""The kinds of place; production and deliveries are shared out by them."""

ITEM_KPIS = ("demand", "delivered", "fill_rate", "shortfall_days", "produced", "lost_in_transit",
             "end_stock", "cost")
"""The per-item KPIs every summary carries (more may follow them)."""


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
    initial: np.ndarray  # (items,) stock before the campaign, all places
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
    destroyed: np.ndarray  # (days+1, places, items), cumulative, destroyed in stock
    place_countries: list[str] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    effective: np.ndarray | None = None  # (days, items) effectiveness on each day
    item_extra: dict[str, dict[str, float]] = field(default_factory=dict)
    group_kpis: dict[str, dict[str, float]] = field(default_factory=dict)
    kpis: dict[str, dict[str, float]] = field(default_factory=dict)
    _shares: dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def assemble(cls, meta: RunMeta, books: Ledger, parts: ResultParts) -> RunResult:
        """Build the result from the run's books and the components' parts; compute the KPIs."""
        carried = books.rec_taken - books.rec_delivered - books.rec_lost
        res = cls(
            scenario=meta.scenario, seed=meta.seed, spawn_key=meta.spawn_key, days=books.days,
            items=meta.items, places=meta.places, place_kinds=meta.place_kinds,
            theatre=meta.theatre, initial=books.initial.sum(axis=0),
            stock=books.rec_stock, produced=books.rec_produced,
            consumed=books.rec_consumed.sum(axis=1), in_transit=carried.sum(axis=1),
            lost=books.rec_lost.sum(axis=1), demand=parts.demand, delivered=parts.delivered,
            shortfall=parts.shortfall, fleet_size=parts.fleet_size, events=list(books.events),
            factories=parts.factories, links=parts.links, transport=parts.transport(),
            item_cost=parts.item_cost, effectiveness=meta.effectiveness,
            footprint=meta.footprint, destroyed=books.rec_destroyed,
            place_countries=meta.place_countries, sections=parts.sections,
            effective=_effectiveness(meta.effectiveness, parts), group_kpis=parts.group_kpis,
            item_extra={meta.items[i]: row for i, row in parts.item_kpis.items()},
        )
        res._shares = _origin_shares(meta, books)
        res.transport["mean_delivery_days"] = _pipeline_days(res)
        res.transport["total_cost"] = (float(res.item_cost.sum())
                                       + res.transport.get("ship_build_cost", 0.0))
        res.events = sorted(res.events + _stockout_events(res), key=attrgetter("day"))
        res.kpis = res._item_kpis()
        extra = industry_kpis(res.items, res.produced, res.events, res.factories, res.sections,
                              dict(zip(res.places, res.place_countries, strict=True)))
        for item, k in extra.items():
            res.kpis[item].update(k)
        res.sections = {**res.sections, "by_country": res._country_table()}
        return res

    def _country_table(self) -> dict[str, dict[str, dict[str, float | None]]]:
        produced, delivered = self._shares["country"]
        return {country: {item: {"produced_share": produced[country][i],
                                 "delivered_share": delivered[country][i]}
                          for i, item in enumerate(self.items)}
                for country in produced}

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
            eff = self.daily_effectiveness()[:, i]
            effective = float(self.delivered[:, i] @ eff)
            nominal = demand * float(self.effectiveness[i])
            out[item] = {
                "demand": demand,
                "delivered": delivered,
                "fill_rate": delivered / demand if demand > 0 else 1.0,
                "shortfall_days": int(short.sum()),
                "produced": float(self.produced[-1, :, i].sum()),
                "lost_in_transit": float(self.lost[-1, i]),
                "destroyed_in_stock": float(self.destroyed[-1, :, i].sum()),
                "end_stock": float(self.stock[-1, :, i].sum()),
                "cost": cost,
                "shortfall": float(self.shortfall[:, i].sum()),
                "longest_stockout_days": _longest_run(short),
                "end_depot_stock": float(self.stock[-1, self.theatre, i]),
                "initial_stock": float(self.initial[i]),
                "cost_per_effective_unit": cost / effective if effective > 0 else None,
                "largest_node_share": largest,
                "herfindahl_index": hhi,
                "effective_delivered": effective,
                "effective_fill_rate": effective / nominal if nominal > 0 else 1.0,
                "mean_effectiveness": float(eff.mean()) if len(eff) else float(
                    self.effectiveness[i]),
                **self.item_extra.get(item, {}),
            }
            produced_by, delivered_by = self._shares["kind"]
            for kind in PLACE_KINDS:
                out[item][f"produced_share_{kind}"] = produced_by[kind][i]
            for kind in PLACE_KINDS:
                out[item][f"delivered_share_{kind}"] = delivered_by[kind][i]
        return out

    def daily_effectiveness(self) -> np.ndarray:
        """Effectiveness per day and item (the fixed values where nothing erodes them)."""
        if self.effective is not None:
            return self.effective
        return np.tile(self.effectiveness, (self.days, 1))

    def check_invariant(self) -> None:
        """Raise :class:`InvariantError` unless every item balances on every recorded day.

        For every item and day::

            initial + produced = consumed + stock + in transit + lost + destroyed in stock

        The run's books were audited place by place and link by link before this result was
        made; this re-checks the totals the result carries (after any change to its arrays).
        """
        arrays = {"stock": self.stock, "produced": self.produced, "consumed": self.consumed,
                  "in_transit": self.in_transit, "lost": self.lost, "destroyed": self.destroyed}
        for name, values in arrays.items():
            if not np.isfinite(values).all():
                raise InvariantError(f"{self.scenario}: {name} is not finite")
        produced, stock = self.produced.sum(axis=1), self.stock.sum(axis=1)
        destroyed = self.destroyed.sum(axis=1)
        residual = (self.initial + produced - self.consumed - stock - self.in_transit
                    - self.lost - destroyed)
        gross = (self.initial + produced + self.consumed + np.abs(stock)
                 + np.abs(self.in_transit) + self.lost + destroyed)
        bad = np.abs(residual) > ROUNDING_RTOL * gross + ROUNDING_ATOL
        if bad.any():
            day, item = np.argwhere(bad)[0]
            raise InvariantError(f"{self.scenario}: conservation broken for "
                                 f"'{self.items[item]}' on day {day}: residual "
                                 f"{residual[day, item]!r}")
        if (self.stock < -(ROUNDING_RTOL * gross[:, None, :] + ROUNDING_ATOL)).any():
            raise InvariantError(f"{self.scenario}: a stock went negative")

    # --- tables ----------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        """The JSON-ready summary (``summary.json``)."""
        return {"scenario": self.scenario, "seed": self.seed, "days": self.days,
                "kpis": self.kpis, "transport": self.transport,
                "component_kpis": self.group_kpis, "links": self.links,
                "factories": self.factories, **self.sections}

    def timeseries(self) -> pd.DataFrame:
        """Daily series in tidy form: one row per day and item (day 0 is the start)."""
        days = np.arange(self.days + 1)
        frames = []
        outside = np.ones(len(self.places), dtype=bool)
        outside[self.theatre] = False
        pad = np.zeros((1, len(self.items)))
        daily = {n: np.vstack([pad, a]) for n, a in
                 (("demand", self.demand), ("delivered", self.delivered),
                  ("shortfall", self.shortfall), ("effectiveness", self.daily_effectiveness()))}
        daily["effectiveness"][0] = daily["effectiveness"][1] if self.days else 1.0
        for i, item in enumerate(self.items):
            frames.append(pd.DataFrame({
                "day": days, "item": item,
                "demand": daily["demand"][:, i], "delivered": daily["delivered"][:, i],
                "effectiveness": daily["effectiveness"][:, i],
                "effective_delivered": daily["delivered"][:, i] * daily["effectiveness"][:, i],
                "shortfall": daily["shortfall"][:, i],
                "depot_stock": self.stock[:, self.theatre, i],
                "stock_elsewhere": self.stock[:, outside, i].sum(axis=1),
                "in_transit": self.in_transit[:, i],
                "produced_cum": self.produced[:, :, i].sum(axis=1),
                "consumed_cum": self.consumed[:, i],
                "lost_in_transit_cum": self.lost[:, i],
                "destroyed_in_stock_cum": self.destroyed[:, :, i].sum(axis=1),
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
        for group, values in self.group_kpis.items():
            for name, value in values.items():
                row[f"{group}.{name}"] = np.nan if value is None else value
        return row


def _effectiveness(base: np.ndarray, parts: ResultParts) -> np.ndarray:
    """Effectiveness per day and item: the item's fixed value, or the series a component set."""
    out = np.tile(np.asarray(base, dtype=float), (parts.days, 1))
    for item, series in parts.effectiveness.items():
        out[:, item] = series
    return out


def _origin_shares(meta: RunMeta, books: Ledger) -> dict[str, Any]:
    """Production and delivered shares per item by place kind and by country.

    *Produced*: each label's share of the units made. *Delivered*: the share of the goods that
    reached the theatre depot (made there, or delivered into it) that originate from places with
    each label, following goods back through hubs with cumulative mixing: what leaves a place
    has the origin mix of everything that ever entered it (made there, stocked there at the
    start, or delivered). Exact without hubs; at a hub, exact when its origin mix is steady.
    Stock held at the start is its own origin (``initial stock``), so shares may add up to
    less than 1. ``None`` for an item none of which was made or delivered.
    """
    produced = books.rec_produced[-1]  # (places, items)
    delivered = books.rec_delivered[-1]  # (links, items)
    initial = books.initial
    n_places, n_items = produced.shape
    inflow = produced + initial
    for link, dest in enumerate(books.link_dest):
        inflow[dest] += delivered[link]
    out: dict[str, Any] = {}
    countries = [c or "(no country)" for c in meta.place_countries]
    total_made = produced.sum(axis=0)
    made = total_made > 0
    links = list(zip(books.link_origin, books.link_dest, strict=True))
    for by, labels in (("kind", meta.place_kinds), ("country", countries)):
        names = list(PLACE_KINDS) if by == "kind" else sorted(set(labels))
        member = np.array([[lab == name for lab in labels] for name in names], dtype=float)
        own = member[:, :, None] * produced[None]  # (names, places, items)
        mix = np.zeros_like(own)
        for _ in range(n_places + 1):  # goods pass through at most n_places places
            came = own.copy()
            for link, (src, dest) in enumerate(links):
                came[:, dest] += delivered[link] * mix[:, src]
            before, mix = mix, np.divide(came, inflow, out=np.zeros_like(came), where=inflow > 0)
            if np.array_equal(mix, before):
                break  # a pass that changes nothing changes nothing after it: mixed through
        made_by = own.sum(axis=1)
        reached = inflow[meta.theatre] > 0
        out[by] = ({name: [float(made_by[k, i] / total_made[i]) if made[i] else None
                           for i in range(n_items)] for k, name in enumerate(names)},
                   {name: [float(mix[k, meta.theatre, i]) if reached[i] else None
                           for i in range(n_items)] for k, name in enumerate(names)})
    return out


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
    """Length of the longest run of ``True`` in ``mask`` (from its edges, not day by day)."""
    if not mask.any():
        return 0
    edges = np.flatnonzero(np.diff(np.concatenate([[False], mask, [False]]).astype(np.int8)))
    return int((edges[1::2] - edges[::2]).max())


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


def _pipeline_days(res: RunResult) -> float:
    """Mean days from factory to theatre depot by Little's law (cargo-volume weighted).

    W = L / lambda, where L is the mean cargo outside the depot (in stock elsewhere or in
    transit) and lambda the mean cargo leaving that pipeline per day. Cargo leaves it by
    reaching the depot *or by being lost*: lost cargo spent its days in L too, so counting only
    arrivals would inflate W by 1 / (1 - share lost). (Cargo destroyed in stock outside the
    depot is rare and left in lambda's complement: it shortens nothing.)
    """
    fp = res.footprint
    outside = np.ones(len(res.places), dtype=bool)
    outside[res.theatre] = False
    pipeline = (res.stock[:, outside, :].sum(axis=1) + res.in_transit) @ fp
    depot = res.stock[:, res.theatre, :] @ fp
    made_there = res.produced[:, res.theatre, :] @ fp
    destroyed_there = res.destroyed[-1, res.theatre] @ fp
    received = (depot[-1] - depot[0]) + (res.consumed[-1] @ fp) + destroyed_there - made_there[-1]
    left = received + res.lost[-1] @ fp
    if received <= 0 or left <= 0:
        return float("nan")
    return float(pipeline[1:].mean() / (left / res.days))
