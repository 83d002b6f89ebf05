"""A drop-in for the hosted backend's Python client, speaking Engram's protocol."""

from typing import Any, Dict, Optional

from .client import Client
from .errors import ConvexError, EngramError

try:
    import numpy as _np
except ImportError:  # pragma: no cover
    _np = None


def _plain(value: Any) -> Any:
    """Results as the hosted client returns them: vectors become lists of floats."""
    if _np is not None and isinstance(value, _np.ndarray):
        return [float(x) for x in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class ConvexClient:
    """The hosted client's interface (``query``, ``mutation``, ``action``, ``close``)
    over an Engram server, so SDKs written for the hosted backend run unchanged.

    Constructed from one URL string, as the hosted client is from its deployment URL:
    ``engram://host:port``, ``engram://key@host:port``, ``engrams://...`` for TLS.

    Errors: a coded application error raises :class:`ConvexError` whose ``.data`` is
    the code string and whose message contains it; every other failure raises
    :class:`EngramError` (message ``"CODE: message"``, ``.data`` None).
    """

    def __init__(self, deployment_url: str, **client_options: Any):
        self._client = Client(deployment_url, **client_options)

    def query(self, name: str, args: Optional[Dict[str, Any]] = None) -> Any:
        """Runs query function ``name``."""
        return self._call(name, args)

    def mutation(self, name: str, args: Optional[Dict[str, Any]] = None) -> Any:
        """Runs mutation function ``name``."""
        return self._call(name, args)

    def action(self, name: str, args: Optional[Dict[str, Any]] = None) -> Any:
        """Runs action function ``name``."""
        return self._call(name, args)

    def close(self) -> None:
        """Closes the connection."""
        self._client.close()

    def _call(self, name: str, args: Optional[Dict[str, Any]]) -> Any:
        try:
            return _plain(self._client.call(name, dict(args) if args else {}))
        except EngramError as e:
            if e.data is not None:
                message = e.code if e.message == e.code else f"{e.code}: {e.message}"
                raise ConvexError(message, e.data, code=e.code, details=e.details) from None
            raise
