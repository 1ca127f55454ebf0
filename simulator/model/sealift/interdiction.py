"""Losses in a threat zone, as pure functions of a random generator (easy to test alone).

*Per ship*: each ship is lost independently with ``p_loss``; through ``k`` zones a ship survives
with probability ``(1 - p)^k``. *Per convoy* (Blackett's WWII finding): whether the convoy is
found and attacked depends on its escorts, not its size, and an attack sinks about
``mean_sunk_per_attack`` ships whatever the convoy's size, so big, well-escorted convoys lose a
smaller fraction.
"""

from __future__ import annotations

import math

import numpy as np

from simulator.scenario.schema import ThreatZone


def attack_probability(zone: ThreatZone, escorts: int) -> float:
    """Chance that a convoy with ``escorts`` escorts is attacked crossing the zone.

    >>> zone = ThreatZone(model="per_convoy", p_attack=0.1, escort_effect=0.25)
    >>> round(attack_probability(zone, 0), 3), round(attack_probability(zone, 4), 3)
    (0.1, 0.037)
    """
    return zone.p_attack * math.exp(-zone.escort_effect * escorts)


def interdict(rng: np.random.Generator, zone: ThreatZone, n_ships: int,
              escorts: int) -> tuple[list[bool], int]:
    """Whether each ship is sunk (a list of ``n_ships`` flags) and the number of escorts lost.

    Plain lists: a convoy has a handful of ships, and this runs at every zone crossing.
    """
    if n_ships == 0:
        return [], 0
    if zone.model == "per_ship":
        if zone.p_loss > 0:
            p = zone.p_loss
            return [u < p for u in rng.random(n_ships).tolist()], 0
        return [False] * n_ships, 0
    if rng.random() >= attack_probability(zone, escorts):
        return [False] * n_ships, 0
    sunk = [False] * n_ships
    k = min(n_ships, int(rng.poisson(zone.mean_sunk_per_attack)))
    if k:
        # k of the ships, uniformly without replacement: each uniform picks one of those left.
        afloat = list(range(n_ships))
        for u in rng.random(k).tolist():
            sunk[afloat.pop(int(u * len(afloat)))] = True
    escorts_lost = int(rng.binomial(escorts, zone.escort_loss_prob)) if escorts else 0
    return sunk, escorts_lost
