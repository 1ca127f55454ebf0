from simulator.model.routing import Arc, days_to, route


def names(arcs):
    return [a.name for a in arcs]


def test_fastest_route_draws_first_and_slower_parallel_route_is_kept():
    arcs = [
        Arc("sea", "us", "hub", 10.0),
        Arc("rail", "hub", "front", 2.0),
        Arc("air", "us", "front", 1.0),
    ]
    used = route("front", arcs, {})
    # Air is fastest from the US, but sealift to the hub and rail on still carry the rest.
    assert names(used) == ["air", "rail", "sea"]
    assert days_to("front", arcs) == {"front": 0.0, "hub": 2.0, "us": 1.0}


def test_cycles_are_broken_toward_the_theatre():
    arcs = [
        Arc("a_to_b", "a", "b", 1.0),
        Arc("b_to_a", "b", "a", 1.0),
        Arc("b_out", "b", "front", 1.0),
        Arc("a_out", "a", "front", 5.0),
    ]
    used = set(names(route("front", arcs, {})))
    # a -> b -> front (2 days) beats a -> front (5): a_to_b is used, b_to_a would loop back.
    assert used == {"a_to_b", "b_out", "a_out"}


def test_links_that_lead_nowhere_or_leave_the_theatre_are_idle():
    arcs = [
        Arc("dead_end", "us", "island", 3.0),
        Arc("out", "us", "front", 3.0),
        Arc("back", "front", "us", 3.0),
    ]
    assert names(route("front", arcs, {})) == ["out"]


def test_pinned_links_override_routing():
    arcs = [Arc("air", "us", "front", 1.0), Arc("sea", "us", "front", 10.0)]
    assert names(route("front", arcs, {"us": ["sea"]})) == ["sea"]
