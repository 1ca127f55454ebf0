"""The map replay: convoy tracks against the model's own timing, the frames against the
result, the GIF, and (in headless Chromium) the page's play, pause and day slider."""

from __future__ import annotations

import math
import time

import pytest
from click.testing import CliRunner

from simulator.classroom.mapfig import map_figure, write_html
from simulator.classroom.replay import NoCoordinates, build, coordinates, great_circle, tracks
from simulator.cli import main
from simulator.model import simulate
from simulator.scenario import load_scenario

from . import browser
from .conftest import SCENARIOS

PACIFIC = SCENARIOS / "indo_pacific_domestic.yaml"


@pytest.fixture(scope="module")
def pacific():
    sc = load_scenario(PACIFIC, {"horizon_days": 240})
    return sc, simulate(sc, 1)


def test_convoys_sail_their_legs_in_the_time_the_model_takes(pacific):
    """Outbound time is sum(distance) / (24 * speed) (the model's leg time), and the track
    starts at the home port and reaches the theatre exactly then."""
    sc, result = pacific
    where = coordinates(sc)
    done = [t for t in tracks(sc, result, where) if t.arrived is not None]
    assert done
    route_nm = sum(leg.distance_nm for leg in sc.links["pacific_sealift"].legs)
    for t in done:
        assert t.arrived - t.sailed == pytest.approx(route_nm / t.speed_nm_per_day, abs=1e-9)
        assert t.position(t.sailed) == pytest.approx(where["us_west_coast"])
        assert t.position(t.arrived - 1e-9) == pytest.approx(where["theatre_depot"], abs=1e-3)


def test_frames_count_the_losses_and_stocks_of_the_result(pacific):
    sc, result = pacific
    replay = build(sc, result, "drone", step_days=1.0)
    assert len(replay.frames) == result.days + 1
    assert replay.frames[-1].ships_lost == result.transport["ships_lost"]
    depot = list(replay.places).index("theatre_depot")
    for f in replay.frames[::17]:
        assert f.stock[depot] == result.stock[int(f.day), result.theatre, 0]


def test_longitudes_unwrap_across_the_date_line():
    where = coordinates(load_scenario(PACIFIC))
    theatre = where["theatre_depot"][1]
    assert all(abs(lon - theatre) <= 180 for _, lon in where.values())
    assert where["pearl_harbor"][1] > 180  # east of the date line, drawn the short way
    mid = great_circle(where["pearl_harbor"], where["guam"], 0.5)
    assert where["guam"][1] < mid[1] < where["pearl_harbor"][1]


def test_a_scenario_without_coordinates_is_a_clear_error(tmp_path):
    sc = load_scenario(SCENARIOS / "classroom_minimal.yaml")
    with pytest.raises(NoCoordinates, match="home, front"):
        build(sc, simulate(sc, 0))
    result = CliRunner().invoke(main, ["map", str(SCENARIOS / "classroom_minimal.yaml"),
                                       "--out", str(tmp_path / "m")])
    assert result.exit_code == 2 and "lat/lon" in result.output
    assert not (tmp_path / "m").exists()


def test_only_one_of_lat_and_lon_is_refused(tmp_path):
    from simulator.scenario import ScenarioError

    with pytest.raises(ScenarioError, match="lon"):
        load_scenario(PACIFIC, {"places": {"guam": {"lat": 13.4, "lon": None}}})
    with pytest.raises(ScenarioError, match="lat"):
        load_scenario(PACIFIC, {"places": {"guam": {"lat": 95}}})


def test_the_gif_has_moving_frames(pacific, tmp_path):
    from PIL import Image, ImageChops

    from simulator.classroom.mapgif import write_gif

    sc, result = pacific
    path = write_gif(build(sc, result, step_days=40.0), tmp_path / "map.gif", every=1)
    with Image.open(path) as gif:
        assert gif.n_frames == 7
        first = gif.convert("RGB")
        gif.seek(gif.n_frames - 1)
        assert ImageChops.difference(first, gif.convert("RGB")).getbbox() is not None


@pytest.mark.skipif(browser.missing() is not None, reason=browser.missing() or "")
def test_the_map_animates_and_scrubs_in_the_browser(pacific):
    """Open the page from a file (offline), press Play: the day advances; Pause; drag the day
    slider: it jumps. Screenshots go to results/browser/."""
    sc, result = pacific
    browser.SHOTS.mkdir(parents=True, exist_ok=True)
    page_path = write_html(map_figure(build(sc, result, step_days=4.0), frame_ms=50),
                           browser.SHOTS / "map.html")
    title = "document.querySelector('#map .g-gtitle').textContent"

    def day(page) -> int:
        return int(page.evaluate(title).split(":")[0].removeprefix("Day "))

    with browser.browser_page() as page:
        page.goto(page_path.as_uri())
        page.wait_for_selector("#map .geo .coastlines path", state="attached", timeout=60_000)
        assert day(page) == 0
        page.screenshot(path=str(browser.SHOTS / "map-day0.png"))
        page.get_by_text("Play", exact=True).click()
        page.wait_for_function(f"!{title}.startsWith('Day 0:')", timeout=60_000)
        time.sleep(1.0)
        page.get_by_text("Pause", exact=True).click()
        played = day(page)
        page.screenshot(path=str(browser.SHOTS / "map-playing.png"))
        assert played > 0
        rail = page.locator("#map .slider-rail-rect").bounding_box()
        page.mouse.click(rail["x"] + 0.95 * rail["width"], rail["y"] + rail["height"] / 2)
        page.wait_for_function(f"parseInt({title}.slice(4)) > 200", timeout=30_000)
        page.screenshot(path=str(browser.SHOTS / "map-scrubbed.png"))
        assert day(page) > max(played, 200)
        assert math.isfinite(day(page))
