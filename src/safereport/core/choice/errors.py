"""Typed errors of the choice-experiment core."""

from __future__ import annotations


class ChoiceError(Exception):
    """Base class of every error raised by ``safereport.core.choice``."""


class ExperimentError(ChoiceError):
    """An experiment definition, a profile or a coding request is invalid."""


class DesignError(ChoiceError):
    """A design cannot be generated or a stored design cannot be read."""


class DataFormatError(ChoiceError):
    """A response file is malformed. ``line`` is the 1-based line in the file (if known)."""

    def __init__(self, message: str, *, line: int | None = None) -> None:
        self.line = line
        self.reason = message
        super().__init__(f"line {line}: {message}" if line is not None else message)


class EstimationError(ChoiceError):
    """A model cannot be estimated (bad specification, singular Hessian, no data...)."""
