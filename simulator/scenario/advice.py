"""Keys that do not apply (errors) and legal but suspicious set-ups (warnings).

A key the user sets must change the run. ``p_attack`` on a ``per_ship`` threat zone changes
nothing, so accepting it silently would let a user believe they modelled something they did
not: it is an error. Other set-ups are legal and sometimes meant (a convoy rule asking for more
escorts than the pool holds is capped at the pool), but more often a slip; ``arsenal validate``
prints them as warnings, and ``--strict`` turns them into errors.
"""

from __future__ import annotations

from simulator.scenario.schema import Scenario, SeaLink

_MODEL_KEYS = {
    "per_ship": {"p_loss"},
    "per_convoy": {"p_attack", "escort_effect", "mean_sunk_per_attack", "escort_loss_prob"},
}


def check_applicable(sc: Scenario) -> list[tuple[str, str]]:
    """Keys set in the scenario that the chosen model ignores, as ``(key path, message)``."""
    errors = []
    for name, zone in sc.threat_zones.items():
        own = _MODEL_KEYS[zone.model]
        for key in sorted(zone.model_fields_set - own - {"model"}):
            other = next(m for m, keys in _MODEL_KEYS.items() if key in keys)
            errors.append((f"threat_zones.{name}.{key}",
                           f"does not apply to model: {zone.model} (it belongs to model: "
                           f"{other}); the {zone.model} model uses only "
                           f"{', '.join(sorted(own))}: remove the key or change the model"))
    return errors


def scenario_warnings(sc: Scenario) -> list[str]:
    """Legal set-ups that are probably mistakes, one sentence each (key path first)."""
    out = []
    h = sc.horizon_days
    for name, link in sc.links.items():
        if not isinstance(link, SeaLink):
            continue
        pool = sc.fleets[link.fleet].escorts if link.fleet in sc.fleets else 0
        if link.convoy.escorts > pool:
            out.append(f"links.{name}.convoy.escorts: {link.convoy.escorts} escorts per convoy "
                       f"but fleet '{link.fleet}' has {pool}; convoys sail with at most {pool}")
        stops = [link.from_, *(leg.to for leg in link.legs)]
        again = sorted({s for s in stops if stops.count(s) > 1})
        if again:
            out.append(f"links.{name}.legs: the route passes {', '.join(again)} more than once "
                       f"({' -> '.join(stops)}); a loop only lengthens the voyage")
    for i, phase in enumerate(sc.theatre.phases):
        if phase.start_day >= h:
            out.append(f"theatre.phases[{i}]: phase '{phase.name}' starts on day "
                       f"{phase.start_day:g}, after the {h}-day horizon; it never applies")
    made = {f.item for f in sc.factories.values()}
    for item, rate in sc.theatre.demand_per_day.items():
        if rate > 0 and item not in made:
            stock = sc.theatre.initial_stock.get(item, 0.0)
            out.append(f"theatre.demand_per_day.{item}: the front asks for {rate:g} a day but "
                       f"no factory makes '{item}' (only the initial stock of {stock:g})")
    for name, f in sc.factories.items():
        if "start_rate_per_day" in f.model_fields_set and f.ramp_days == 0 and (
                f.start_rate_per_day != f.capacity_per_day):
            out.append(f"factories.{name}.start_rate_per_day: no ramp_days, so the factory "
                       "makes capacity_per_day from start_day and this rate never applies")
    for block, entries in (("factories", sc.factories), ("shipyards", sc.shipyards)):
        for name, entry in entries.items():
            if entry.start_day >= h:
                out.append(f"{block}.{name}.start_day: day {entry.start_day:g} is after the "
                           f"{h}-day horizon; it never produces")
    return out
