"""Decisions mid-campaign: from a given day on, some components run with a changed scenario.

A class pauses the war on day 90 and decides to add escorts; the rest of the campaign runs with
the new numbers. ``simulate(scenario, seed, changes=[(90, changed)])`` does that: before the run,
:func:`plan` compares the two scenarios *component by component* (the registry says which
scenario entries make which component) and asks every component whose part changed whether it
can take the change during a campaign (:meth:`~simulator.model.component.Component.refuse_change`);
on the day, :func:`schedule` hands each one its new configuration
(:meth:`~simulator.model.component.Component.reconfigure`), ahead of anything else due then.

A component that cannot change mid-campaign (a factory's output is integrated in closed form
from day 0) keeps the default refusal, and the whole request fails before anything runs, with
one message naming the key. Scenario sections that are not components (``threat_zones``) may
change only where a component declares it reads them (``Component.reads``); that component is
handed the new scenario with its unchanged configuration.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import simpy
from simpy.core import URGENT

from simulator.model.component import Component
from simulator.model.registry import entries, registrations
from simulator.scenario.schema import Scenario

Plan = list[tuple[Component, Any]]


class ChangeError(ValueError):
    """A change that cannot be made during a campaign (the message names the key)."""


def plan(components: Sequence[Component], keys: Sequence[tuple[str, str]], old: Scenario,
         new: Scenario) -> Plan:
    """The components to reconfigure and their new configurations; raises :class:`ChangeError`.

    ``keys`` gives each component's ``(section, name)``, in the order of ``components``.
    """
    now = {(reg.section, name): cfg for reg, name, cfg in entries(new)}
    before = {(reg.section, name): cfg for reg, name, cfg in entries(old)}
    if now.keys() != before.keys():
        added = sorted(set(now) - set(before))
        gone = sorted(set(before) - set(now))
        what = "; ".join([*(f"{s}.{n} added" for s, n in added),
                          *(f"{s}.{n} removed" for s, n in gone)])
        raise ChangeError(f"{what}: nothing can be added or removed during a campaign, only "
                          "changed")
    built = {reg.section for reg in registrations()}
    read = {section for c in components for section in c.reads}
    changed_sections = set()
    for section in type(old).model_fields:
        if section in built or getattr(old, section) == getattr(new, section):
            continue
        if section not in read:
            raise ChangeError(f"{section}: cannot change during a campaign")
        changed_sections.add(section)
    out: Plan = []
    for component, key in zip(components, keys, strict=True):
        cfg = now[key]
        reads_changed = bool(changed_sections & set(component.reads))
        if cfg == before[key] and not reads_changed:
            continue
        why = component.refuse_change(cfg, new)
        if why:
            raise ChangeError(f"{key[0]}.{key[1]}: {why}")
        out.append((component, cfg))
    return out


def schedule(env: simpy.Environment, day: float, changes: Plan, scenario: Scenario) -> None:
    """At ``day``, before anything else due then, hand each component its new configuration."""
    event = simpy.Event(env)
    event.callbacks.append(lambda _e: [c.reconfigure(cfg, scenario) for c, cfg in changes])
    event._ok, event._value = True, None
    env.schedule(event, URGENT, delay=day)
