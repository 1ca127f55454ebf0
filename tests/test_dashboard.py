"""The live view: its levers (scenario overrides) and, in headless Chromium, its page."""

from __future__ import annotations

import json

import pytest

from simulator.classroom.dashboard import build_app
from simulator.classroom.levers import LEVERS, lever, overrides_for
from simulator.classroom.quickrun import run_postures
from simulator.scenario import load_scenario

from . import browser
from .conftest import SCENARIOS

DOMESTIC = SCENARIOS / "indo_pacific_domestic.yaml"
ALLIED = SCENARIOS / "indo_pacific_allied.yaml"


@pytest.mark.parametrize("lv", LEVERS, ids=lambda lv: lv.name)
def test_every_lever_changes_the_scenario_it_applies_to(lv):
    """A lever moved to another value writes keys the loader accepts, and they change the
    scenario; at the scenario's own value a one-value lever changes nothing it reads."""
    sc = load_scenario(ALLIED)
    assert lv.applies(sc)
    other = lv.hi if lv.current(sc) != lv.hi else lv.lo
    moved = load_scenario(ALLIED, lv.overrides(sc, other))
    assert moved != sc
    assert lv.current(moved) == pytest.approx(other if not _scales(lv) else 1.0)


def _scales(lv) -> bool:
    return lv.targets[0].scale


def test_a_scale_lever_multiplies_and_zero_removes():
    sc = load_scenario(ALLIED)
    half = load_scenario(ALLIED, lever("allied_share").overrides(sc, 0.5))
    for name, f in sc.factories.items():
        allied = sc.places[f.place].kind == "allied"
        assert half.factories[name].capacity_per_day == pytest.approx(
            f.capacity_per_day * (0.5 if allied else 1.0))
    none = load_scenario(ALLIED, lever("allied_share").overrides(sc, 0))
    assert all(none.places[f.place].kind != "allied" for f in none.factories.values())
    assert set(none.factories) == {n for n, f in sc.factories.items()
                                   if sc.places[f.place].kind != "allied"}


def test_levers_that_do_not_apply_leave_the_scenario_alone():
    sc = load_scenario(DOMESTIC)
    assert not lever("allied_share").applies(sc)
    assert overrides_for(sc, {"allied_share": 2.0}) == {}


def test_escorts_lever_sets_convoys_and_pool():
    sc = load_scenario(DOMESTIC)
    moved = load_scenario(DOMESTIC, lever("escorts").overrides(sc, 7))
    assert moved.links["pacific_sealift"].convoy.escorts == 7
    assert moved.fleets["us_surge_sealift"].escorts == 14


def test_quick_runs_use_the_replication_seeds_of_arsenal_run():
    """Replication i of the live view is replication i of ``replicate`` with the same seed."""
    from simulator.experiment import replicate

    sc = load_scenario(SCENARIOS / "classroom_minimal.yaml")
    (posture,), _ = run_postures([sc], reps=3, seed=5)
    reps = replicate(sc, 3, 5, workers=1)
    assert posture.fill_rate["drone"] == pytest.approx(
        float(reps.kpis["drone.fill_rate"].mean()))


def test_quick_runs_do_not_depend_on_the_process_pool():
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    scenarios = [load_scenario(SCENARIOS / "classroom_minimal.yaml"),
                 load_scenario(SCENARIOS / "classroom_minimal.yaml",
                               {"links": {"supply_line": {"loss_prob": 0.2}}})]
    here, _ = run_postures(scenarios, reps=2, seed=7)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        there, _ = run_postures(scenarios, reps=2, seed=7, pool=pool)
    for a, b in zip(here, there, strict=True):
        assert a.fill_rate == b.fill_rate
        assert (a.depot_stock == b.depot_stock).all() and (a.lost == b.lost).all()
    assert here[0].fill_rate != here[1].fill_rate


# --- in the browser ---------------------------------------------------------------------------
needs_browser = pytest.mark.skipif(browser.missing() is not None,
                                   reason=browser.missing() or "")


@needs_browser
def test_moving_a_slider_redraws_the_figure():
    """Load the page, drag the attack-probability slider, the figure changes; screenshots of
    before and after, and the redraw time, are written to results/browser/."""
    app = build_app([str(DOMESTIC), str(ALLIED)], reps=2, seed=0)
    browser.SHOTS.mkdir(parents=True, exist_ok=True)
    with browser.serving(app) as url, browser.browser_page() as page:
        page.goto(url)
        before = browser.wait_for_figure(page)
        page.screenshot(path=str(browser.SHOTS / "dashboard-before.png"))
        released = browser.drag_slider(page, "p_attack", 0.9)
        seconds = browser.redraw_after(page, before, released)
        after = browser.figure_signature(page)
        page.screenshot(path=str(browser.SHOTS / "dashboard-after.png"))
        value = page.get_attribute("#lever-p_attack [role=slider]", "aria-valuenow")
        timing = page.inner_text("#timing")
    assert after != before
    assert float(value) > 0.3, "the drag moved the slider near its top"
    assert "p_attack" in timing
    (browser.SHOTS / "dashboard-redraw.json").write_text(json.dumps(
        {"seconds_from_release_to_redraw": round(seconds, 3), "page_says": timing}))
    assert seconds < 30


def test_the_command_binds_localhost_and_prints_its_address():
    """`arsenal dashboard --port 0` prints an http://127.0.0.1 address that serves the page."""
    import subprocess
    import sys
    import urllib.request

    proc = subprocess.Popen([sys.executable, "-m", "simulator.cli", "dashboard", "--port", "0",
                             str(SCENARIOS / "classroom_minimal.yaml")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        assert line.startswith("Arsenal live view: http://127.0.0.1:"), line
        url = line.split()[3]
        with urllib.request.urlopen(url, timeout=30) as page:
            assert "Arsenal live view" in page.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_command_refuses_a_taken_port_and_a_bad_scenario(tmp_path):
    import socket

    from click.testing import CliRunner

    from simulator.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(main, ["dashboard", "--port", str(port),
                                           str(SCENARIOS / "classroom_minimal.yaml")])
    assert result.exit_code == 2 and "cannot listen on 127.0.0.1" in result.output
    result = CliRunner().invoke(main, ["dashboard", str(tmp_path / "missing.yaml")])
    assert result.exit_code == 2 and "missing.yaml" in result.output
    assert "Traceback" not in result.output


@needs_browser
def test_the_live_view_replays_a_posture_on_the_map():
    """Replay draws the first replication on the map; Play moves the day on."""
    app = build_app([str(DOMESTIC)], reps=1, seed=0)
    browser.SHOTS.mkdir(parents=True, exist_ok=True)
    title = "document.querySelector('#map .g-gtitle').textContent"
    with browser.serving(app) as url, browser.browser_page(height=1500) as page:
        page.goto(url)
        browser.wait_for_figure(page)
        page.click("#replay")
        page.wait_for_selector("#map .geo .coastlines path", state="attached", timeout=60_000)
        assert page.evaluate(title).startswith("Day 0:")
        page.locator("#map").get_by_text("Play", exact=True).click()
        page.wait_for_function(f"!{title}.startsWith('Day 0:')", timeout=60_000)
        page.locator("#map").get_by_text("Pause", exact=True).click()
        page.screenshot(path=str(browser.SHOTS / "dashboard-map.png"), full_page=True)
        assert page.evaluate(title).startswith("Day ")


def test_decoy_lever_scales_only_the_decoy_plants():
    sc = load_scenario(ALLIED)
    half = load_scenario(ALLIED, lever("decoy_supply").overrides(sc, 0.5))
    decoy = sc.front_strikes.decoy_item
    assert any(f.item == decoy for f in sc.factories.values())
    for name, f in sc.factories.items():
        share = 0.5 if f.item == decoy else 1.0
        assert half.factories[name].capacity_per_day == pytest.approx(f.capacity_per_day * share)
        assert half.factories[name].start_rate_per_day == pytest.approx(
            f.start_rate_per_day * share)


def test_strikes_lever_scales_every_phase_and_front_levers_skip_a_scenario_without_a_front():
    sc = load_scenario(DOMESTIC)
    double = load_scenario(DOMESTIC, lever("enemy_strikes").overrides(sc, 2)).front_strikes
    assert double.strikes_per_day == 2 * sc.front_strikes.strikes_per_day
    assert double.by_phase == {k: 2 * v for k, v in sc.front_strikes.by_phase.items()}
    bare = load_scenario(SCENARIOS / "classroom_minimal.yaml")
    for name in ("decoy_supply", "enemy_strikes", "countermeasure_days"):
        assert not lever(name).applies(bare)
        assert overrides_for(bare, {name: 2.0}) == {}


def test_embargo_lever_cuts_the_substitutable_suppliers_from_its_day_or_not_at_all():
    sc = load_scenario(ALLIED)
    lv = lever("embargo_day")
    cut = {n for n, s in sc.suppliers.items() if s.substitute is not None}
    assert cut and lv.current(sc) == lv.hi  # the allied file has no embargo: the slider's top
    moved = load_scenario(ALLIED, lv.overrides(sc, 30))
    for name, s in moved.suppliers.items():
        windows = [(w.start_day, w.start_day + w.days) for w in s.cutoffs.scheduled]
        assert windows == ([(30.0, sc.horizon_days + 1.0)] if name in cut
                           else [(w.start_day, w.start_day + w.days)
                                 for w in sc.suppliers[name].cutoffs.scheduled])
    embargoed = load_scenario(SCENARIOS / "indo_pacific_allied_embargo.yaml")
    assert lv.current(embargoed) == 30
    lifted = load_scenario(SCENARIOS / "indo_pacific_allied_embargo.yaml",
                           lv.overrides(embargoed, lv.hi))
    assert lifted.suppliers == sc.suppliers  # no embargo: the allied posture's suppliers


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_lever_at_either_end_gives_a_scenario_the_loader_accepts(path):
    """A slider pushed to its end never makes a bundled scenario invalid (a removed plant is
    also dropped from a strike campaign aimed at it)."""
    sc = load_scenario(path)
    for lv in LEVERS:
        if lv.applies(sc):
            for value in (lv.lo, lv.hi):
                load_scenario(path, lv.overrides(sc, value))


def test_removing_the_allied_plants_removes_them_from_the_strike_campaign_aimed_at_them():
    path = SCENARIOS / "indo_pacific_allied_plants_struck.yaml"
    sc = load_scenario(path)
    none = load_scenario(path, lever("allied_share").overrides(sc, 0))
    assert sc.strikes.focus_factories and none.strikes.focus_factories == [
        f for f in sc.strikes.focus_factories if sc.places[sc.factories[f].place].kind != "allied"]
    assert set(none.factories) < set(sc.factories)
