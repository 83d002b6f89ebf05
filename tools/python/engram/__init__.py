"""Python client for the Engram database server.

- :class:`Client` — synchronous, with :meth:`Client.pipeline` for pipelined batches.
- :class:`AsyncClient` — asyncio; concurrent calls are pipelined on one connection.
- :class:`ConvexClient` — the hosted backend's client interface (``query``,
  ``mutation``, ``action``, ``close``) over Engram, built from one URL string.
- :class:`EngramError` — every failure, with ``.code``, ``.message``, ``.data``
  (the code, for coded application errors) and ``.details``.
- :class:`Vector` — a float32 vector; numpy arrays are accepted as vectors too.
"""

from .errors import ConnectionClosed, ConvexError, EngramError
from .protocol import Vector
from .url import Endpoint, parse_url
from .client import Client, Pipeline
from .aio import AsyncClient
from .convex import ConvexClient

__all__ = [
    "AsyncClient",
    "Client",
    "ConnectionClosed",
    "ConvexClient",
    "ConvexError",
    "Endpoint",
    "EngramError",
    "Pipeline",
    "Vector",
    "parse_url",
]
