"""Sealift: ports with berths, ships that load and sail in escorted convoys, interdiction, yards.

Composed of small capabilities, one module each (after OpenCLSim): :mod:`.port` (berths,
strikes), :mod:`.fleet` (ships alive, escorts, shipbuilding), :mod:`.interdiction` (the two loss
models as pure functions), :mod:`.convoy` (assembly and the round trip) and :mod:`.ship` (a
ship's cycle: load, wait for a convoy, sail, unload, return). :class:`SeaLink` ties them to the
common link interface.
"""

from simulator.model.sealift.link import SeaLink
from simulator.model.sealift.port import Port

__all__ = ["Port", "SeaLink"]
