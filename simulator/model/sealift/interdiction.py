"""Losses in a threat zone, as pure functions of a crossing's random draws (easy to test alone).

*Per ship*: each ship is lost independently with ``p_loss``; through ``k`` zones a ship survives
with probability ``(1 - p)^k``. *Per convoy* (Blackett's WWII finding): whether the convoy is
found and attacked depends on its escorts, not its size, and an attack sinks about
``mean_sunk_per_attack`` ships whatever the convoy's size, so big, well-escorted convoys lose a
smaller fraction.

Every decision reads a uniform of its own from the crossing's
:class:`~simulator.model.streams.Draws` (per ship: the gap to each next ship sunk; per convoy:
the attack, the count sunk, the escorts lost, then one per ship picked), so two postures whose
convoy ``k`` meets the zone on the same crossing share each decision's number, and a convoy of
``n`` ships meets the fortunes of the first ``n`` of a bigger one. Counts come from those
uniforms by inverse CDF in plain Python: the means involved are small, and a NumPy call per
count would cost more than the loop.
"""

from __future__ import annotations

import math

from simulator.model.streams import Draws
from simulator.scenario.schema import ThreatZone

_ATTACK, _COUNT, _ESCORTS, _PICKS = 0, 1, 2, 3
"""Per convoy: the index of each decision's uniform (ship picks from ``_PICKS`` on)."""


def attack_probability(zone: ThreatZone, escorts: int) -> float:
    """Chance that a convoy with ``escorts`` escorts is attacked crossing the zone.

    >>> zone = ThreatZone(model="per_convoy", p_attack=0.1, escort_effect=0.25)
    >>> round(attack_probability(zone, 0), 3), round(attack_probability(zone, 4), 3)
    (0.1, 0.037)
    """
    return zone.p_attack * math.exp(-zone.escort_effect * escorts)


def poisson_at_most(u: float, mean: float, cap: int) -> int | None:
    """``min(X, cap)`` for ``X ~ Poisson(mean)``, by inverse CDF from the uniform ``u``.

    ``None`` where ``exp(-mean)`` underflows (mean above ~745): the caller draws otherwise.

    >>> [poisson_at_most(u, 1.0, 5) for u in (0.0, 0.3678, 0.3679, 0.7357, 0.9999999)]
    [0, 0, 1, 1, 5]
    """
    p = math.exp(-mean)
    if p == 0.0:
        return None
    k, cdf = 0, p
    # Past the mode a term that underflows to zero leaves no mass worth a draw.
    while u >= cdf and k < cap and (p > 0.0 or k < mean):
        k += 1
        p *= mean / k
        cdf += p
    return k


def binomial_inverse(u: float, n: int, q: float) -> int | None:
    """``X ~ Binomial(n, q)`` by inverse CDF from the uniform ``u``.

    ``None`` where ``(1 - q)^n`` underflows (very many trials): the caller draws otherwise.

    >>> [binomial_inverse(u, 4, 0.1) for u in (0.0, 0.6560, 0.6562, 0.9998, 0.99999)]
    [0, 0, 1, 3, 4]
    """
    if n <= 0 or q <= 0.0:
        return 0
    if q >= 1.0:
        return n
    p = (1.0 - q) ** n
    if p == 0.0:
        return None
    odds, k, cdf = q / (1.0 - q), 0, p
    while u >= cdf and k < n and (p > 0.0 or k < n * q):
        p *= odds * (n - k) / (k + 1)
        k += 1
        cdf += p
    return k


def ships_lost_independently(draws: Draws, p: float, n_ships: int) -> list[bool]:
    """Each of ``n_ships`` sunk independently with probability ``p``.

    By geometric gaps: uniform ``g`` gives how many ships after the ``g``-th sinking survive
    before the next, ``floor(log(1 - u) / log(1 - p))`` (at least ``m`` with probability
    ``(1 - p)^m``), so a crossing without a loss, the common case, reads one uniform.

    >>> from simulator.model.streams import Streams
    >>> draws = Streams(1).numbered("x").draws(0)
    >>> ships_lost_independently(draws, 0.0, 3), ships_lost_independently(draws, 1.0, 3)
    ([False, False, False], [True, True, True])
    """
    sunk = [False] * n_ships
    if p <= 0.0:
        return sunk
    if p >= 1.0:
        return [True] * n_ships
    log_survive, ship, g = math.log1p(-p), 0, 0
    while True:
        ship += int(math.log1p(-draws.uniform(g)) / log_survive)
        if ship >= n_ships:
            return sunk
        sunk[ship] = True
        ship, g = ship + 1, g + 1


def interdict(draws: Draws, zone: ThreatZone, n_ships: int,
              escorts: int) -> tuple[list[bool], int]:
    """Whether each ship is sunk (a list of ``n_ships`` flags) and the number of escorts lost.

    Plain lists: a convoy has a handful of ships, and this runs at every zone crossing.
    """
    if n_ships == 0:
        return [], 0
    if zone.model == "per_ship":
        return ships_lost_independently(draws, zone.p_loss, n_ships), 0
    if draws.uniform(_ATTACK) >= attack_probability(zone, escorts):
        return [False] * n_ships, 0
    sunk = [False] * n_ships
    mean = zone.mean_sunk_per_attack
    k = poisson_at_most(draws.uniform(_COUNT), mean, n_ships)
    if k is None:
        k = min(n_ships, int(draws.generator().poisson(mean)))
    if k:
        # k of the ships, uniformly without replacement: each uniform picks one of those left.
        afloat = list(range(n_ships))
        for u in draws.uniforms(k, _PICKS):
            sunk[afloat.pop(int(u * len(afloat)))] = True
    escorts_lost = 0
    if escorts:
        q = zone.escort_loss_prob
        escorts_lost = binomial_inverse(draws.uniform(_ESCORTS), escorts, q)
        if escorts_lost is None:
            escorts_lost = int(draws.generator().binomial(escorts, q))
    return sunk, escorts_lost
