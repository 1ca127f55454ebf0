"""Engel's fit of the battle of Iwo Jima, recomputed by Arsenal's Lanchester layer.

Run ``.venv/bin/python docs/figures/engel_iwo_jima.py``; it writes ``engel_iwo_jima.png`` beside
itself and prints the numbers the figure shows. Inputs: J. H. Engel, "A Verification of
Lanchester's Law", Journal of the Operations Research Society of America 2(2):163-171, 1954
(docs/sources.md rows "Engel 1954 ...").
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from simulator.model.lanchester import fight

A, B, JAPANESE, DAYS, BATTLE_DAYS = 0.0544, 0.0106, 21_500.0, 40, 36
LANDINGS = {0: 54_000.0, 2: 6_000.0, 5: 13_000.0}


def main() -> None:
    landings = np.zeros(DAYS)
    for d, troops in LANDINGS.items():
        landings[d] = troops
    battle = fight(0.0, JAPANESE, np.full(DAYS, A), np.full(DAYS, B), landings, np.zeros(DAYS))
    days = np.arange(DAYS + 1)
    fig = Figure(figsize=(9, 4.6))
    ax = fig.add_subplot()
    ax.plot(days, battle.friendly, color="#0072B2", lw=2, label="US strength (computed)")
    ax.plot(days, battle.enemy, color="#D55E00", lw=2, label="Japanese strength (computed)")
    ax.step(days[:-1], np.cumsum(landings), where="post", color="#999999", ls="--", lw=1,
            label="US troops landed (Engel's schedule)")
    ax.axvline(BATTLE_DAYS, color="#555555", lw=0.8)
    ax.text(BATTLE_DAYS + 0.3, 60_000, "day 36:\nbattle ends", fontsize=9, color="#555555")
    ax.set(xlabel="days after the first landing (19 February 1945)", ylabel="troops",
           title="Iwo Jima: Lanchester square law with Engel's (1954) coefficients "
                 f"(a = {A}, b = {B})", xlim=(0, DAYS), ylim=(0, 80_000))
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(True, color="#dddddd", linewidth=0.6)
    ax.legend(frameon=False, loc="center right")
    out = Path(__file__).with_suffix(".png")
    fig.savefig(out, dpi=110, facecolor="white", bbox_inches="tight")
    gone = int(np.flatnonzero(battle.enemy == 0)[0])
    print(f"US strength: day 1 {battle.friendly[1]:,.0f}, peak {battle.friendly.max():,.0f} on "
          f"day {int(battle.friendly.argmax())}, day 36 {battle.friendly[36]:,.0f}")
    print(f"Japanese strength on day 36: {battle.enemy[36]:,.0f}; zero on day {gone}")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
