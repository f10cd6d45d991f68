"""What a facility search asks and answers, whatever the backend."""

from __future__ import annotations

from dataclasses import dataclass, field

SORTS = ("relevance", "distance")
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


@dataclass(frozen=True)
class FacilityQuery:
    q: str = ""
    region: str | None = None  # a 6-digit division code: it and everything under it
    services: tuple[str, ...] = ()  # service codes; all must be offered
    free: bool = False  # the services asked (or, with none asked, any service) are free there
    near: tuple[float, float] | None = None  # (lat, lng)
    radius_km: float | None = None
    sort: str = "relevance"
    include_expired: bool = False
    only_ids: frozenset[int] | None = None  # e.g. the facilities open now (「只看正在营业」)
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


@dataclass
class Hit:
    facility_id: int
    score: float = 0.0
    distance_km: float | None = None


@dataclass
class SearchResult:
    count: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=lambda: {"service": {}, "region": {}})
    # Divisions the query text named (武侯 → 510107): the finder says it searched there.
    regions_in_query: list[str] = field(default_factory=list)
    # No facility matched every word: these match as many as possible.
    partial: bool = False
    backend: str = "database"
