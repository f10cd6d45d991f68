"""Facility search behind one interface: the database backend (always available) and Elasticsearch
(when ELASTICSEARCH_URL names a reachable cluster). `get_backend()` chooses, and falls back to the
database, logged, when the cluster cannot be reached."""

from .backends import get_backend, search  # noqa: F401
from .base import FacilityQuery, Hit, SearchResult  # noqa: F401
