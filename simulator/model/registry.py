"""One registry from scenario sections to component classes.

A component module declares which scenario entries it is built from::

    @register("links", tag="air")          # every entry of ``links`` with ``kind: air``
    class Airlift(Link): ...

    @register("ports", select=lambda sc: {n: p.port for n, p in sc.places.items() if p.port})
    class Port(Component): ...

and the world builds one component per entry, section by section in ``order``, entries in the
order the scenario lists them. Adding a mechanism is one new module under ``simulator/model``
(found by :func:`discover`, which imports every module of the package once) plus its schema:
no other file changes.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from simulator.scenario.schema import Scenario

Select = Callable[[Scenario], Mapping[str, Any]]


@dataclass(frozen=True)
class Registration:
    """How to build one kind of component from the scenario."""

    section: str
    tag: str | None
    cls: type
    select: Select
    order: int


_REGISTRY: dict[tuple[str, str | None], Registration] = {}


def register(section: str, *, tag: str | None = None, select: Select | None = None,
             order: int = 50) -> Callable[[type], type]:
    """Class decorator: build one ``cls(ctx, name, cfg)`` per entry of ``section``.

    ``tag``: only entries whose ``kind`` is ``tag`` (one section, several kinds: links).
    ``select``: the entries, when they are not simply ``getattr(scenario, section)``.
    ``order``: sections with a lower order are built (and started) first.
    """
    def decorate(cls: type) -> type:
        key = (section, tag)
        known = _REGISTRY.get(key)
        if known is not None and known.cls.__qualname__ != cls.__qualname__:
            raise ValueError(f"{section}/{tag} is already built by {known.cls.__qualname__}")
        _REGISTRY[key] = Registration(section, tag, cls,
                                      select or (lambda sc: getattr(sc, section)), order)
        return cls
    return decorate


def unregister(section: str, tag: str | None = None) -> None:
    """Forget how to build ``section`` (``tag``): for tests that register a toy component."""
    _REGISTRY.pop((section, tag), None)


_DISCOVERED: list[bool] = []


def discover() -> None:
    """Import every module of :mod:`simulator.model` once, so each registers its components."""
    if _DISCOVERED:
        return
    import simulator.model as package
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(info.name)
    _DISCOVERED.append(True)


def registrations() -> list[Registration]:
    """Every registration, in build order."""
    discover()
    return sorted(_REGISTRY.values(), key=lambda r: (r.order, r.section, r.tag or ""))


def entries(scenario: Scenario) -> list[tuple[Registration, str, Any]]:
    """``(registration, name, config)`` for every component the scenario asks for, in order."""
    regs = registrations()
    out = []
    for section in dict.fromkeys(r.section for r in regs):
        mine = {r.tag: r for r in regs if r.section == section}
        for name, cfg in next(iter(mine.values())).select(scenario).items():
            tag = getattr(cfg, "kind", None) if None not in mine else None
            reg = mine.get(tag)
            if reg is None:
                raise ValueError(f"no component builds {section}.{name} (kind {tag!r})")
            out.append((reg, name, cfg))
    return out
