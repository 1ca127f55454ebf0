"""Sealift: ports with berths, ships that load and sail in escorted convoys, interdiction, yards.

Composed of small parts, one module each (after OpenCLSim), with dependencies one way only:
:mod:`.capabilities` (what a ship can do: carry cargo, move along legs, be sunk, use berths)
← :mod:`.ship` (a ship's cycle) ← :mod:`.convoy` (assembly and the round trip; losses from
:mod:`.interdiction`, pure functions) ← :mod:`.link` (:class:`SeaLink`, the component that ties
them to a fleet, two ports and the books). :mod:`.port` and :mod:`.fleet` are components of
their own that the link finds by name.
"""

from simulator.model.sealift.link import SeaLink
from simulator.model.sealift.port import Port

__all__ = ["Port", "SeaLink"]
