"""The levers an instructor moves, each mapped to scenario override keys.

A lever is one line of :data:`LEVERS`: a slider (range and step) and the keys it sets through
the ordinary override mechanism (``load_scenario(path, overrides)``, the same as ``--set``), so a
lever can never do what a scenario file could not. Where a scenario has nothing a lever acts on
(no allied factory, no per-convoy threat zone), the lever does not apply to it and leaves it
unchanged. A lever for a new mechanism is one more line of :data:`LEVERS`.

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
from typing import Any, ClassVar

from simulator.scenario.loading import merge_overrides
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
class Whole:
    """Scale the numbers at ``keys`` of a one-object section (``front_strikes``).

    A mapping of numbers there (``by_phase``) is scaled entry by entry, so a lever on the enemy's
    strikes moves the quiet days and the surges together. A scenario without the section is left
    alone (the lever does not apply).
    """

    section: str
    keys: tuple[str, ...]

    def overrides(self, sc: Scenario, value: float) -> Overrides:
        """The override mapping for a multiplier ``value``."""
        obj = getattr(sc, self.section)
        if obj is None:
            return {}
        out: dict[str, Any] = {}
        for key in self.keys:
            old = _get(obj, key)
            new = ({k: v * value for k, v in old.items()} if isinstance(old, dict)
                   else old * value)
            _put(out, key, new)
        return {self.section: out}

    def current(self, sc: Scenario) -> float | None:
        """1 (the scenario's own strength), ``None`` where the section is absent."""
        return None if getattr(sc, self.section) is None else 1.0

    @property
    def scale(self) -> bool:
        """Always a multiplier."""
        return True


@dataclass(frozen=True)
class Embargo:
    """Cut the suppliers that have a named substitute from a day to the end of the war.

    Those are the suppliers a scenario expects could be cut (the bundled files: China's drone
    motors and batteries, whose substitutes qualify after months): the lever moves the day their
    embargo starts, and replaces any scheduled cut-offs they had. A day at or past the horizon
    means no embargo (their scheduled cut-offs removed); that is the slider's value for a
    scenario that has none.
    """

    never: float
    """The slider's top: no embargo."""
    scale: bool = False
    section: ClassVar[str] = "suppliers"
    keys: ClassVar[tuple[str, ...]] = ("cutoffs.scheduled",)
    """The keys it sets (checked at start-up like every lever's: model keys, not labels)."""

    def entries(self, sc: Scenario) -> dict[str, Any]:
        """The suppliers with a substitute."""
        return {n: s for n, s in getattr(sc, "suppliers", {}).items() if s.substitute is not None}

    def overrides(self, sc: Scenario, value: float) -> Overrides:
        """Their cut-offs: one window from ``value`` past the horizon, or none."""
        entries = self.entries(sc)
        day = float(value)
        windows = ([] if day >= sc.horizon_days
                   else [{"start_day": day, "days": sc.horizon_days - day + 1.0}])
        return ({"suppliers": {n: {"cutoffs": {"scheduled": windows}} for n in entries}}
                if entries else {})

    def current(self, sc: Scenario) -> float | None:
        """The first scheduled cut-off of those suppliers (``never`` if none)."""
        entries = self.entries(sc)
        if not entries:
            return None
        starts = [w.start_day for s in entries.values() for w in s.cutoffs.scheduled]
        return min(starts) if starts else self.never


@dataclass(frozen=True)
class Lever:
    """One slider: what it is called, its range, and the keys it sets."""

    name: str
    label: str
    lo: float
    hi: float
    step: float
    targets: tuple[Each | Whole | Embargo, ...]

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
            merge_overrides(merged, target.overrides(sc, value))
        _forget_removed_factories(sc, merged)
        return merged


def _forget_removed_factories(sc: Scenario, merged: Overrides) -> None:
    """A factory a lever removes (a scale at 0) leaves the strike campaign's target list too.

    Otherwise a campaign aimed at the allied plants (``strikes.focus_factories``) would name a
    plant that no longer exists, and the loader would refuse the scenario.
    """
    gone = {n for n, v in merged.get("factories", {}).items() if v is None}
    strikes = getattr(sc, "strikes", None)
    focus = getattr(strikes, "focus_factories", None)
    if gone and focus and gone & set(focus):
        kept = [f for f in focus if f not in gone]
        merge_overrides(merged, {"strikes": {"focus_factories": kept}})


def _is_sea(link: Any, _sc: Scenario) -> bool:
    return link.kind == "sea"


def _per_convoy(zone: Any, _sc: Scenario) -> bool:
    return zone.model == "per_convoy"


def _allied(factory: Any, sc: Scenario) -> bool:
    return sc.places[factory.place].kind == "allied"


def _makes_decoys(factory: Any, sc: Scenario) -> bool:
    return sc.front_strikes is not None and factory.item == sc.front_strikes.decoy_item


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
    Lever("decoy_supply", "Decoy production (x every decoy plant's capacity)", 0, 3, 0.25,
          (Each("factories", ("capacity_per_day", "start_rate_per_day"), _makes_decoys,
                scale=True),)),
    Lever("enemy_strikes", "Enemy strikes at the front (x strikes per day, every phase)",
          0, 3, 0.25, (Whole("front_strikes", ("strikes_per_day", "by_phase")),)),
    Lever("countermeasure_days", "Enemy countermeasure every ... days", 14, 182, 7,
          (Each("adaptation", ("cycle_days",)),)),
    Lever("embargo_day", "Embargo: day the suppliers with a substitute are cut off "
          "(730: never)", 0, 730, 10, (Embargo(never=730),)),
)
"""Every lever, in the order the sliders appear."""


def lever_keys(lv: Lever) -> list[str]:
    """The scenario keys a lever sets, as schema paths (``factories.*.capacity_per_day``)."""
    return [f"{t.section}.{key}" if isinstance(t, Whole) else f"{t.section}.*.{key}"
            for t in lv.targets for key in t.keys]


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
            merge_overrides(merged, lever(name).overrides(sc, float(value)))
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
