"""The narrated timeline: a snapshot of a fixed seed, and the event log it reads checked
against the ledger (the numbers a class hears are the numbers the model counted)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from simulator.classroom.narrate import narrate, tell
from simulator.cli import main
from simulator.model import simulate
from simulator.scenario import load_scenario

from .conftest import SCENARIOS

SNAPSHOT = Path(__file__).parent / "snapshots" / "narrate_indo_pacific_domestic_seed1.txt"
PACIFIC = SCENARIOS / "indo_pacific_domestic.yaml"


def test_narration_of_a_fixed_seed_is_stable():
    """The first lines of seed 1, as reviewed by hand (regenerate only for a deliberate change:
    ``arsenal run scenarios/indo_pacific_domestic.yaml --narrate --seed 1 | head -31``)."""
    expected = SNAPSHOT.read_text().splitlines()
    result = CliRunner().invoke(main, ["run", str(PACIFIC), "--narrate", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:len(expected)] == expected


def test_attack_lines_add_up_to_the_ledger():
    """Without airlift, every unit lost in transit went down with a ship in an attack: the
    attacks' cargo lost sums to the ledger's loss, and their ships to the fleet's losses."""
    sc = load_scenario(PACIFIC, {"links": {"pacific_airbridge": None},
                                 "threat_zones": {"contested": {"p_attack": 0.5}}})
    result = simulate(sc, 4)
    attacks = [e for e in result.events if e.kind == "convoy_attacked"]
    assert attacks, "p_attack 0.5 must give attacks"
    lost = sum(sum(e.data["cargo_lost"][i] for e in attacks) for i in range(len(result.items)))
    assert abs(lost - result.lost[-1].sum()) < 1e-6 * (1 + result.lost[-1].sum())
    assert sum(e.data["sunk"] for e in attacks) == result.transport["ships_lost"]
    told = [line for line in narrate(result, sc) if "attacked" in line]
    assert len(told) == len(attacks)
    first = attacks[0]
    assert f"{first.data['sunk']} of {first.data['ships']} ship" in told[0]


def test_every_line_is_in_order_and_the_story_ends_at_the_horizon():
    sc = load_scenario(SCENARIOS / "classroom_minimal.yaml")
    result = simulate(sc, 3)
    lines = narrate(result, sc)
    days = [int(line.split(":")[0].removeprefix("Day ")) for line in lines]
    assert days == sorted(days)
    assert lines[-1].startswith(f"Day {sc.horizon_days}: the campaign ends")
    assert any("shell_plant: 0 of 1 site working" in line for line in lines)  # the outage at 100


def test_pace_waits_between_days_only():
    waits: list[float] = []
    printed: list[str] = []
    lines = ["Day 1: a", "Day 1: b", "Day 5: c", "Day 9: d"]
    tell(lines, printed.append, pace=0.5, sleep=waits.append)
    assert printed == lines
    assert waits == [0.5, 0.5]


def test_a_reader_that_stops_early_ends_the_story_quietly():
    """``arsenal run --narrate | head``: the closed pipe stops the story, no error."""
    printed: list[str] = []
    closed: list[bool] = []

    def echo(line: str) -> None:
        if len(printed) == 2:
            raise BrokenPipeError
        printed.append(line)

    tell(["Day 1: a", "Day 2: b", "Day 3: c", "Day 4: d"], echo,
         on_closed=lambda: closed.append(True))
    assert printed == ["Day 1: a", "Day 2: b"] and closed == [True]


def test_narrate_refuses_replications_and_json():
    for extra in (["--reps", "3"], ["--json"]):
        result = CliRunner().invoke(main, ["run", str(PACIFIC), "--narrate", *extra])
        assert result.exit_code == 2
        assert "--narrate" in result.output and "Traceback" not in result.output


# --- the front: the adaptation race, the budget, combat ----------------------------------------
def test_the_adaptation_race_is_logged_on_the_days_of_the_closed_form_and_told():
    """Countermeasure k is fielded on day k*C; the producer's answer arrives loop days later
    (loop = report + redesign + retool + transit = 2 + 10 + 5 + 3 = 20): both in the log, the
    first countermeasure and the producer's first answer told."""
    from .test_front_model import adaptation_dict

    d = adaptation_dict(transit=3.0)
    res = simulate(load_scenario_dict(d), 0)
    horizon = d["horizon_days"]
    fielded = [e.day for e in res.events if e.kind == "countermeasure_fielded"]
    answered = [e.day for e in res.events if e.kind == "update_arrived"]
    assert fielded == [42.0 * k for k in range(1, horizon // 42 + 1)]
    assert answered == [42.0 * k + 20 for k in range(1, horizon // 42 + 1)
                        if 42 * k + 20 < horizon]
    lines = narrate(res, load_scenario_dict(d))
    assert "Day 42: the enemy fields countermeasure 1 against the drones: their effectiveness " \
           "drops 30% until an update answers it" in lines
    told = [line for line in lines if "update from plant" in line]
    assert told == ["Day 62: the update from plant reaches the front, 20 days after "
                    "countermeasure 1 (each later answer takes as long)"]


def test_a_budget_running_out_is_told_once_a_year_on_its_day():
    """123,456.7 a year at 1,000 a day lasts 123.46 days: told on day 123 and day 365+123."""
    from .test_front_model import budget_dict

    d = budget_dict(123_456.7)
    res = simulate(load_scenario_dict(d), 0)
    told = [line for line in narrate(res, load_scenario_dict(d)) if "budget" in line]
    assert [line.split(":")[0] for line in told] == ["Day 123", "Day 488"]
    assert "the budget for year 1 runs out (123,457 spent)" in told[0]


def test_a_force_breaking_is_told_on_the_combat_layers_break_day():
    sc = load_scenario(SCENARIOS / "indo_pacific_domestic_budget.yaml")
    res = simulate(sc, 1)
    day = res.sections["combat"]["friendly_break_day"]
    assert day is not None, "seed 1 of the budget posture breaks (see its narration)"
    told = [line for line in narrate(res, sc) if "force breaks" in line]
    assert told == [f"Day {day}: the friendly force breaks: down to 60% of its peak strength"]


def load_scenario_dict(d):
    from simulator.scenario import scenario_from_dict

    return scenario_from_dict(d)


# --- industry: embargo, substitutes, strikes on plants and stocks -------------------------------
def test_an_embargo_and_its_substitute_are_told_on_their_days():
    """Cut on day 10, substitute qualified 30 days later: both lines, on those days."""
    from .test_industry_model import industry

    sub = {"supplier": "alt", "qualification_days": 30.0, "rate_fraction": 0.1}
    d = industry(substitute=sub)
    sc = load_scenario_dict(d)
    lines = narrate(simulate(sc, 1), sc)
    assert "Day 10: cn cut off: motor deliveries stop once those already shipped arrive" in lines
    assert "Day 40: alt qualified as a substitute for cn: it starts shipping" in lines


def test_strikes_are_told_once_per_factory_and_once_per_stock():
    from .test_industry_model import struck

    sc = load_scenario_dict(struck(sites=4, per_day=3, days=100))
    res = simulate(sc, 0)
    hits = [e for e in res.events if e.kind == "strike_damage_start"]
    assert len(hits) > 1, "3 strikes a day for 100 days hit the plant many times"
    told = [line for line in narrate(res, sc) if "first strike" in line]
    assert told == [f"Day {int(hits[0].day)}: plant: the first strike damages one of its sites "
                    "(a hit takes part of a site's capacity until it is repaired)"]
