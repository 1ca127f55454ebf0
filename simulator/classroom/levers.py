"""The levers an instructor moves, each mapped to scenario override keys.

A lever is one line of :data:`LEVERS`: a slider (range and step) and the keys it sets through
the ordinary override mechanism (``load_scenario(path, overrides)``, the same as ``--set``), so a
lever can never do what a scenario file could not. Where a scenario has nothing a lever acts on
(no allied factory, no per-convoy threat zone), the lever does not apply to it and leaves it
unchanged. Levers for mechanisms that do not exist yet (an embargo day, a decoy screen) are added
here as one line each when the mechanism lands.

>>> from simulator.scenario import load_scenario
>>> sc = load_scenario("scenarios/indo_pacific_domestic.yaml")
>>> lever("p_attack").overrides(sc, 0.3)
{'threat_zones': {'contested': {'p_attack': 0.3}}}
>>> lever("p_attack").current(sc)
0.1
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from simulator.scenario.schema import Scenario

Where = Callable[[Any, Scenario], bool]
Overrides = dict[str, Any]


@dataclass(frozen=True)
class Each:
    """Set ``key`` (a dotted path inside the entry) on every entry of ``section`` that matches.

    ``scale`` multiplies the entry's own values instead of replacing them (and removes the entry
    at 0, since a capacity must be positive); ``then`` derives the value written from the
    slider's (e.g. an escort pool of two convoys' worth).
    """

    section: str
    keys: tuple[str, ...]
    where: Where = lambda _entry, _sc: True
    scale: bool = False
    then: Callable[[float], float] = lambda v: v

    def entries(self, sc: Scenario) -> dict[str, Any]:
        """The entries of the section this target acts on."""
        return {n: e for n, e in getattr(sc, self.section).items() if self.where(e, sc)}

    def overrides(self, sc: Scenario, value: float) -> Overrides:
        """The override mapping for ``value``."""
        out: dict[str, Any] = {}
        for name, entry in self.entries(sc).items():
            if self.scale and value <= 0:
                out[name] = None
                continue
            for key in self.keys:
                old = _get(entry, key)
                if self.scale and old is None:
                    continue
                new = old * value if self.scale else self.then(value)
                _put(out.setdefault(name, {}), key, new)
        return {self.section: out} if out else {}

    def current(self, sc: Scenario) -> float | None:
        """The value the scenario has now (1 for a scale), ``None`` where nothing matches."""
        entries = self.entries(sc)
        if not entries:
            return None
        return 1.0 if self.scale else _get(next(iter(entries.values())), self.keys[0])


@dataclass(frozen=True)
class Lever:
    """One slider: what it is called, its range, and the keys it sets."""

    name: str
    label: str
    lo: float
    hi: float
    step: float
    targets: tuple[Each, ...]

    def applies(self, sc: Scenario) -> bool:
        """Whether the scenario has anything this lever acts on."""
        return self.current(sc) is not None

    def current(self, sc: Scenario) -> float | None:
        """The scenario's own setting (the slider's starting point)."""
        return self.targets[0].current(sc)

    def overrides(self, sc: Scenario, value: float) -> Overrides:
        """Override mapping that sets this lever to ``value`` in ``sc``."""
        merged: Overrides = {}
        for target in self.targets:
            _merge(merged, target.overrides(sc, value))
        return merged


def _is_sea(link: Any, _sc: Scenario) -> bool:
    return link.kind == "sea"


def _per_convoy(zone: Any, _sc: Scenario) -> bool:
    return zone.model == "per_convoy"


def _allied(factory: Any, sc: Scenario) -> bool:
    return sc.places[factory.place].kind == "allied"


def _whole(v: float) -> int:
    return round(v)


LEVERS: tuple[Lever, ...] = (
    Lever("allied_share", "Allied production (x the allied plants' capacity)", 0, 3, 0.25,
          (Each("factories", ("capacity_per_day", "start_rate_per_day"), _allied, scale=True),)),
    Lever("p_attack", "Attack probability per crossing (contested zones)", 0, 0.5, 0.01,
          (Each("threat_zones", ("p_attack",), _per_convoy),)),
    Lever("escorts", "Escorts per convoy (pool: two convoys' worth)", 0, 12, 1,
          (Each("links", ("convoy.escorts",), _is_sea, then=_whole),
           Each("fleets", ("escorts",), then=lambda v: 2 * round(v)))),
    Lever("ships_per_year", "Shipbuilding (x every yard's ships per year)", 0, 10, 0.5,
          (Each("shipyards", ("ships_per_year",), scale=True),)),
    Lever("sites", "Dispersion: sites per factory", 1, 12, 1,
          (Each("factories", ("sites",), then=_whole),)),
)
"""Every lever, in the order the sliders appear."""


def lever_keys(lv: Lever) -> list[str]:
    """The scenario keys a lever sets, as schema paths (``factories.*.capacity_per_day``)."""
    return [f"{t.section}.*.{key}" for t in lv.targets for key in t.keys]


def check_levers(levers: tuple[Lever, ...] = LEVERS) -> None:
    """Refuse a lever that would move a label or a reserved key (a ScenarioError).

    Its slider would change nothing, and a class would read the flat line as a finding. Run
    when the dashboard starts, before any page is served.
    """
    from simulator.scenario import ScenarioError
    from simulator.scenario.roles import require_model_keys

    errors: list[str] = []
    for lv in levers:
        try:
            require_model_keys(lever_keys(lv), f"moved by the lever {lv.name!r}")
        except ScenarioError as exc:
            errors += [f"dashboard lever {lv.name!r}: {m}" for m in exc.messages]
    if errors:
        raise ScenarioError(errors)


def lever(name: str) -> Lever:
    """The lever called ``name``."""
    for lv in LEVERS:
        if lv.name == name:
            return lv
    raise KeyError(f"no lever {name!r}; levers: {', '.join(lv.name for lv in LEVERS)}")


def overrides_for(sc: Scenario, settings: dict[str, float]) -> Overrides:
    """All the overrides that put ``sc``'s levers at ``settings`` (lever name -> value)."""
    merged: Overrides = {}
    for name, value in settings.items():
        if value is not None:
            _merge(merged, lever(name).overrides(sc, float(value)))
    return merged


def _get(entry: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        entry = getattr(entry, part)
    return entry


def _put(out: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, last = dotted.split(".")
    for part in parents:
        out = out.setdefault(part, {})
    out[last] = value


def _merge(into: dict[str, Any], more: dict[str, Any]) -> None:
    for key, value in more.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value
