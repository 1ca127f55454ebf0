"""Field types and the base block shared by every scenario schema module.

Kept apart from :mod:`simulator.scenario.schema` so that modules adding their own sections
(:mod:`simulator.scenario.industry`) build on the same rules without importing each other.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError


def _not_bool(value: Any) -> Any:
    """YAML reads ``yes``/``no``/``on``/``off`` as booleans; never let one pass as 1 or 0."""
    if isinstance(value, bool):
        raise PydanticCustomError("bool_not_number", "expected a number")
    return value


Number = Annotated[float, BeforeValidator(_not_bool)]
Count = Annotated[int, BeforeValidator(_not_bool)]
Probability = Annotated[Number, Field(ge=0.0, le=1.0)]
Positive = Annotated[Number, Field(gt=0.0)]
NonNegative = Annotated[Number, Field(ge=0.0)]


def _field_error(field: str, message: str) -> PydanticCustomError:
    """An error from a whole-block check that belongs to one key of the block.

    Pydantic places a model validator's error at the block; the loader reads ``field`` from
    the context and appends it, so the message names the key the user has to change.
    """
    return PydanticCustomError("scenario_field", "{message}", {"field": field, "message": message})


def label(default: Any = "", doc: str = "") -> Any:
    """A key that names or describes something and changes no number in a run."""
    return Field(default, description=doc or None, json_schema_extra={"role": "label"})


def reserved(default: Any, doc: str) -> Any:
    """A key accepted and recorded now, read by a mechanism still to come (it says which)."""
    return Field(default, description=doc, json_schema_extra={"role": "reserved"})


class Model(BaseModel):
    """Base for every scenario block: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)


class Window(Model):
    """A scheduled interval: starts on ``start_day`` and lasts ``days``."""

    start_day: NonNegative
    days: Positive


class Disruptions(Model):
    """Random (exponential up/down times) and scheduled interruptions of one asset."""

    mtbf_days: Positive | None = None
    mttr_days: Positive | None = None
    scheduled: list[Window] = Field(default_factory=list)

    @model_validator(mode="after")
    def _both_or_neither(self) -> Disruptions:
        _check_mtbf_mttr(self.mtbf_days, self.mttr_days)
        return self

    @property
    def random(self) -> bool:
        """Whether random interruptions are modelled."""
        return self.mtbf_days is not None


def _check_mtbf_mttr(mtbf: float | None, mttr: float | None) -> None:
    if mtbf is not None and mttr is None:
        raise _field_error("mttr_days", "required when mtbf_days is given (mean days to repair); "
                                        "give both mtbf_days and mttr_days, or neither")
    if mttr is not None and mtbf is None:
        raise _field_error("mtbf_days", "required when mttr_days is given (mean days between "
                                        "failures); give both mtbf_days and mttr_days, or neither")
