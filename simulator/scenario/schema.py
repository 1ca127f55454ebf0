"""Typed scenario schema (pydantic v2).

Units live in the key names: ``*_days`` are days, ``*_per_day`` are units (or cargo units) per day,
``distance_nm`` is nautical miles, ``speed_knots`` knots, ``*_prob`` probabilities in [0, 1].
Named things (items, places, factories, links, fleets, ...) are mappings keyed by name, so a
scenario that ``extends:`` another can add, override or (with ``null``) remove one in a few lines.
Cross-references between names are checked in :mod:`simulator.scenario.references`. The optional
sections for industry under attack and for the front and the money have modules of their own
(:mod:`simulator.scenario.industry`, :mod:`simulator.scenario.front`); :class:`Scenario` gathers
them all.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from simulator.scenario.fields import (
    Count,
    Disruptions,
    Model,
    NonNegative,
    Number,
    Positive,
    Probability,
    Window,  # noqa: F401  (re-exported: model modules import it from here)
    _check_mtbf_mttr,
    _field_error,
    label,
    reserved,  # noqa: F401  (re-exported for schema modules)
)
from simulator.scenario.front import Adaptation, BudgetConfig, Combat, FrontStrikes
from simulator.scenario.industry import (
    Component,
    StrikeCampaign,
    Supplier,
)


class Item(Model):
    """A consumable the front uses (drone, decoy, shell...)."""

    unit_cost: NonNegative = 0.0
    cargo_footprint: Positive = 1.0
    """Cargo units one item fills in a ship, aircraft or rail wagon."""
    signature: Probability = 0.5
    """Visibility to enemy surveillance while stocked: a depot's signature is the value-weighted
    signature of its items (read by the ``strikes`` campaign)."""
    effectiveness: Positive = 1.0


class Port(Model):
    """Berths for ships; a strike closes the port (no berthing) while it lasts."""

    berths: Annotated[Count, Field(ge=1)] = 2
    load_rate_per_day: Positive = 10_000.0
    """Cargo units one berth loads per day."""
    unload_rate_per_day: Positive = 10_000.0
    strikes: Disruptions = Field(default_factory=Disruptions)


class Place(Model):
    """A node on the map: a domestic region, an allied country, a waypoint, the theatre."""

    kind: Literal["domestic", "allied", "theatre", "waypoint"] = "domestic"
    """Feeds the production and delivered shares by kind (``*_share_domestic``...)."""
    country: str = ""
    """Feeds the shares by country in ``summary.json`` (``by_country``)."""
    port: Port | None = None
    ship_via: list[str] | None = None
    """Pin the links that may carry this place's goods (default: every link toward the
    theatre, fastest route first)."""
    lat: Annotated[Number, Field(ge=-90.0, le=90.0)] | None = label(
        None, "latitude in degrees north; only the map replay reads it, the run does not")
    """Latitude in degrees north. A label: only the map replay reads it, the run does not."""
    lon: Annotated[Number, Field(ge=-180.0, le=180.0)] | None = label(
        None, "longitude in degrees east; a label like lat")
    """Longitude in degrees east. A label, like ``lat``; give both or neither."""

    @model_validator(mode="after")
    def _both_coordinates(self) -> Place:
        if (self.lat is None) != (self.lon is None):
            missing = "lon" if self.lon is None else "lat"
            raise _field_error(missing, "give both lat and lon, or neither")
        return self


class SiteOutage(Model):
    """A scheduled outage of some (default: all) of a factory's sites."""

    start_day: NonNegative
    days: Positive
    sites: Annotated[Count, Field(ge=1)] | None = None


class Factory(Model):
    """A production node making one item at one place, split over dispersed sites."""

    item: str
    place: str
    capacity_per_day: Positive
    """Surge capacity of all sites together, units/day."""
    start_rate_per_day: NonNegative | None = None
    """Rate on ``start_day``; defaults to capacity (no ramp)."""
    ramp_days: NonNegative = 0.0
    """Days of linear ramp from the start rate to capacity."""
    start_day: NonNegative = 0.0
    sites: Annotated[Count, Field(ge=1)] = 1
    mtbf_days: Positive | None = None
    """Mean days between random outages, per site."""
    mttr_days: Positive | None = None
    """Mean days to repair a site."""
    outages: list[SiteOutage] = Field(default_factory=list)
    unit_cost: NonNegative | None = None
    """Cost of one unit; defaults to the item's unit cost."""
    signature: Probability = 0.5
    """Probability that an enemy strike that reaches one of its sites finds it (used by the
    ``strikes`` campaign; a small, hidden workshop is low, a large, known plant high)."""
    site_overhead_per_day: NonNegative = 0.0
    """Fixed cost of running one site for a day (guards, tooling, management), charged to the
    item for every site: the price of dispersion over more sites."""
    investment_per_unit_day: Annotated[Number, Field(ge=0.0, le=1e12)] = 0.0
    """Money one unit/day of *new* capacity costs to build: paid on ``start_day`` for
    ``capacity_per_day - start_rate_per_day`` (the start rate is capacity that already exists;
    unset, the whole capacity is new)."""
    lead_days: NonNegative = 0.0
    """Days from ``start_day`` (the decision to build) to first output."""

    @model_validator(mode="after")
    def _consistent(self) -> Factory:
        _check_mtbf_mttr(self.mtbf_days, self.mttr_days)
        if self.start_rate_per_day is not None and self.start_rate_per_day > self.capacity_per_day:
            raise _field_error("start_rate_per_day", f"must not exceed capacity_per_day "
                                                     f"({self.capacity_per_day:g}); got "
                                                     f"{self.start_rate_per_day:g}")
        return self


class LinkBase(Model):
    """What every transport link has: a place it draws from and a place it delivers to."""

    from_: str = Field(alias="from")
    to: str


class SimpleLink(LinkBase):
    """An abstract daily pipe: one shipment a day up to capacity, never cut.

    For a route whose detail does not matter (a domestic hop, a classroom map). ``land``
    is the same pipe on rails and roads, which long-range fires can cut.
    """

    kind: Literal["simple"]
    transit_days: Positive
    capacity_per_day: Positive
    """Cargo units dispatched per day at most."""
    loss_prob: Probability = 0.0
    """Probability that a whole shipment is lost on the way."""


class LandLink(SimpleLink):
    """Rail or road: a daily pipe that strikes cut.

    No dispatch while cut; cargo already moving arrives.
    """

    kind: Literal["land"]  # type: ignore[assignment]
    cuts: Disruptions = Field(default_factory=Disruptions)
    """Strikes that cut the link."""


DailyLink = SimpleLink | LandLink
"""The two daily-pipe kinds (one component, :class:`simulator.model.links.DailyLink`)."""


class AirLink(LinkBase):
    """An airlift: a pool of aircraft flying sorties, each lost with ``loss_prob``."""

    kind: Literal["air"]
    aircraft: Annotated[Count, Field(ge=0)]
    payload: Positive
    """Cargo units per sortie."""
    sortie_days: Positive
    """Round-trip time; cargo arrives after half of it."""
    loss_prob: Probability = 0.0


class Leg(Model):
    """One leg of a sea route, ending at place ``to``."""

    to: str
    distance_nm: Positive
    threat_zone: str | None = None


class ConvoyRule(Model):
    """When a convoy sails and how many escorts it takes from the fleet's pool."""

    min_ships: Annotated[Count, Field(ge=1)] = 1
    max_wait_days: NonNegative = 3.0
    escorts: Annotated[Count, Field(ge=0)] = 0
    max_loading_days: NonNegative | None = None
    """Longest a partly loaded ship waits at the berth for a full load before it joins the
    convoy with what it has; defaults to ``max_wait_days``."""


class SeaLink(LinkBase):
    """Sealift: ships of one fleet load at ``from``'s port and sail in convoys, leg by leg."""

    kind: Literal["sea"]
    fleet: str
    legs: Annotated[list[Leg], Field(min_length=1)]
    convoy: ConvoyRule = Field(default_factory=ConvoyRule)


Link = Annotated[SimpleLink | LandLink | AirLink | SeaLink, Field(discriminator="kind")]
"""Every kind of link; a new kind adds its class here."""


class ShipClass(Model):
    """A class of cargo ship in a fleet."""

    count: Annotated[Count, Field(ge=0)]
    cargo_capacity: Positive
    speed_knots: Positive
    availability: Annotated[Number, Field(gt=0.0, le=1.0)] = 1.0
    """Share of the class that activates on time (the rest never sails)."""
    unit_cost: NonNegative = 0.0


class Fleet(Model):
    """Ships of one owner serving one sea link, and the escorts its convoys draw on."""

    owner: str = label("", "who owns the fleet")
    classes: Annotated[dict[str, ShipClass], Field(min_length=1)]
    escorts: Annotated[Count, Field(ge=0)] = 0


class ThreatZone(Model):
    """Where convoys are interdicted, by one of two models.

    ``per_ship``: every ship is lost independently with ``p_loss``.
    ``per_convoy`` (the WWII operations-research finding): the convoy is attacked with
    probability ``p_attack * exp(-escort_effect * escorts)``; an attack sinks a Poisson number of
    ships with mean ``mean_sunk_per_attack`` (not growing with convoy size), and each escort is
    lost with ``escort_loss_prob``.
    """

    model: Literal["per_ship", "per_convoy"] = "per_ship"
    p_loss: Probability = 0.0
    p_attack: Probability = 0.0
    escort_effect: NonNegative = 0.0
    mean_sunk_per_attack: NonNegative = 0.0
    escort_loss_prob: Probability = 0.0


class Shipyard(Model):
    """Builds ships of one class for one fleet at a steady rate after a start delay."""

    place: str
    fleet: str
    ship_class: str
    ships_per_year: Positive
    start_day: NonNegative = 0.0


class Phase(Model):
    """A period of the campaign with its own demand multiplier."""

    name: str = label(..., "what the phase is called")
    start_day: NonNegative
    multiplier: NonNegative


class Theatre(Model):
    """The depot that receives deliveries and the front that draws on it."""

    place: str
    demand_per_day: dict[str, NonNegative]
    initial_stock: dict[str, NonNegative] = Field(default_factory=dict)
    phases: list[Phase] = Field(default_factory=list)

    @field_validator("phases")
    @classmethod
    def _phases_in_order(cls, phases: list[Phase]) -> list[Phase]:
        for i in range(1, len(phases)):
            if phases[i].start_day < phases[i - 1].start_day:
                raise ValueError(
                    f"phases must be listed in order of start_day: phases[{i}] "
                    f"('{phases[i].name}') starts on day {phases[i].start_day:g}, before "
                    f"phases[{i - 1}] ('{phases[i - 1].name}') on day {phases[i - 1].start_day:g}")
        return phases


class Scenario(Model):
    """A whole scenario: the catalogue, the map, production, transport and the front."""

    name: str = label(..., "the scenario's name in results and reports")
    description: str = label("", "one line, shown by `arsenal scenarios`")
    horizon_days: Annotated[Count, Field(ge=1, le=36_500)] = 730
    items: Annotated[dict[str, Item], Field(min_length=1)]
    places: Annotated[dict[str, Place], Field(min_length=1)]
    factories: dict[str, Factory] = Field(default_factory=dict)
    links: dict[str, Link] = Field(default_factory=dict)
    fleets: dict[str, Fleet] = Field(default_factory=dict)
    threat_zones: dict[str, ThreatZone] = Field(default_factory=dict)
    shipyards: dict[str, Shipyard] = Field(default_factory=dict)
    theatre: Theatre
    components: dict[str, Component] = Field(default_factory=dict)
    suppliers: dict[str, Supplier] = Field(default_factory=dict)
    strikes: StrikeCampaign | None = None
    front_strikes: FrontStrikes | None = None
    adaptation: dict[str, Adaptation] = Field(default_factory=dict)
    """Countermeasure cycle per item (keyed by item name)."""
    combat: Combat | None = None
    budget: BudgetConfig | None = None
