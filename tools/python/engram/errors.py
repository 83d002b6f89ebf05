"""Errors raised by the Engram clients."""

from typing import Any, Optional


class EngramError(Exception):
    """A failure reported by the server (or the connection).

    ``code`` is a stable UPPER_SNAKE string (``FUNCTION_NOT_FOUND``,
    ``MEMORYSPACE_NOT_FOUND``, ...). ``data`` is set exactly for coded application
    errors (the hosted backend's ``ConvexError("CODE")``) and is then the code.
    """

    def __init__(self, code: str, message: str, data: Any = None, details: Any = None):
        super().__init__(f"{code}: {message}" if message != code else code)
        self.code = code
        self.message = message
        self.data = data
        self.details = details

    @property
    def is_coded(self) -> bool:
        """Whether this is an application error whose data payload is its code."""
        return self.data is not None

    @classmethod
    def from_payload(cls, payload: Any) -> "EngramError":
        if not isinstance(payload, dict):
            return cls("PROTOCOL_ERROR", f"malformed error payload: {payload!r}")
        return cls(
            str(payload.get("code", "INTERNAL")),
            str(payload.get("message", "")),
            payload.get("data"),
            payload.get("details"),
        )


class ConnectionClosed(EngramError):
    """The connection closed before an answer arrived."""

    def __init__(self, message: str = "the connection is closed"):
        super().__init__("CONNECTION_CLOSED", message)


class ConvexError(EngramError):
    """A coded application error as the hosted client raises it: ``.data`` is the code.

    Constructed like the hosted client's ``ConvexError(message, data)``; also carries
    ``.code`` like every :class:`EngramError`.
    """

    def __init__(self, message: str, data: Any, code: Optional[str] = None, details: Any = None):
        Exception.__init__(self, message)
        self.code = code if code is not None else (data if isinstance(data, str) else "APPLICATION_ERROR")
        self.message = message
        self.data = data
        self.details = details
