"""What every report says about how it was made (footer data)."""

from __future__ import annotations

from dataclasses import dataclass

from licensecmp import __version__


@dataclass(frozen=True, slots=True)
class Meta:
    catalogue_digest: str
    generated: str | None = None
    """An ISO date, only when asked for: the same input must give the same bytes."""
    tool: str = f"licensecmp {__version__}"
