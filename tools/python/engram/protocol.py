"""Wire protocol v1: preamble, frames, MessagePack payloads (see Protocol.md)."""

import struct
from typing import Any, Iterable, List, Optional, Tuple

import msgpack

try:  # numpy is optional
    import numpy as _np
except ImportError:  # pragma: no cover - exercised only without numpy
    _np = None

MAGIC = b"ENGR"
VERSION_MIN = 1
VERSION_MAX = 1
PREAMBLE = struct.Struct(">4sHH")
HEADER = struct.Struct(">IBBI")

HELLO = 0x01
PING = 0x02
CALL = 0x03
QUERY = 0x04
CURSOR_NEXT = 0x05
CURSOR_CLOSE = 0x06
RESULT = 0x80
PONG = 0x81
ERROR = 0x82
PUSH = 0x83

VECTOR_EXT = 1


class Vector:
    """A dense float32 vector (sent as MessagePack ext type 1, raw little-endian float32)."""

    __slots__ = ("values",)

    def __init__(self, values: Iterable[float]):
        self.values = [float(v) for v in values]

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self):
        return iter(self.values)

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Vector) and self.values == other.values

    def __repr__(self) -> str:
        return f"Vector({self.values!r})"

    def to_bytes(self) -> bytes:
        return struct.pack(f"<{len(self.values)}f", *self.values)


def _default(obj: Any) -> Any:
    if isinstance(obj, Vector):
        return msgpack.ExtType(VECTOR_EXT, obj.to_bytes())
    if _np is not None:
        if isinstance(obj, _np.ndarray):
            if obj.ndim != 1:
                raise TypeError("only one-dimensional numpy arrays can be sent as vectors")
            return msgpack.ExtType(VECTOR_EXT, _np.ascontiguousarray(obj, dtype="<f4").tobytes())
        if isinstance(obj, _np.integer):
            return int(obj)
        if isinstance(obj, _np.floating):
            return float(obj)
        if isinstance(obj, _np.bool_):
            return bool(obj)
    if isinstance(obj, tuple):
        return list(obj)
    raise TypeError(f"cannot send a {type(obj).__name__} to Engram")


def _ext_hook(code: int, data: bytes) -> Any:
    if code == VECTOR_EXT:
        if len(data) % 4:
            raise ValueError("a vector ext must hold a multiple of 4 bytes")
        if _np is not None:
            return _np.frombuffer(data, dtype="<f4").astype("float32")
        return list(struct.unpack(f"<{len(data) // 4}f", data))
    return msgpack.ExtType(code, data)


def pack(value: Any) -> bytes:
    """MessagePack bytes of ``value`` (vectors as ext type 1)."""
    return msgpack.packb(value, default=_default, use_bin_type=True)


def unpack(data: bytes) -> Any:
    """The value of MessagePack ``data``; empty data is None."""
    if not data:
        return None
    return msgpack.unpackb(data, raw=False, ext_hook=_ext_hook, strict_map_key=True)


def preamble() -> bytes:
    """The client's 8-byte preamble."""
    return PREAMBLE.pack(MAGIC, VERSION_MIN, VERSION_MAX)


def check_server_preamble(data: bytes) -> int:
    """The version the server chose; raises EngramError when there is none."""
    from .errors import EngramError

    magic, chosen, server_max = PREAMBLE.unpack(data)
    if magic != MAGIC:
        raise EngramError("PROTOCOL_ERROR", "the server did not answer with the Engram preamble")
    if chosen == 0:
        raise EngramError(
            "UNSUPPORTED_VERSION",
            f"the server speaks versions up to {server_max}; this client speaks {VERSION_MIN}-{VERSION_MAX}",
        )
    return chosen


def frame(type_: int, request_id: int, payload: bytes = b"") -> bytes:
    """One frame: 10-byte header and payload."""
    return HEADER.pack(len(payload), type_, 0, request_id) + payload


def request_payload(kind: str, *args: Any) -> Tuple[int, bytes]:
    """(frame type, payload) of a request: ("call", name, args, timeout_ms),
    ("query", text, params), ("ping",)."""
    if kind == "call":
        name, fargs, timeout_ms = (list(args) + [None, None])[:3]
        body = {"function": name, "args": fargs or {}}
        if timeout_ms is not None:
            body["timeoutMs"] = int(timeout_ms)
        return CALL, pack(body)
    if kind == "query":
        text, params = (list(args) + [None])[:2]
        return QUERY, pack({"text": text, "params": params or {}})
    if kind == "ping":
        return PING, b""
    raise ValueError(f"unknown request kind {kind!r}")


def parse_header(data: bytes) -> Tuple[int, int, int, int]:
    """(payload length, type, flags, request id) of a 10-byte header."""
    return HEADER.unpack(data)


def answer_value(type_: int, payload: bytes) -> Any:
    """The value of an answer frame, raising EngramError for an error frame."""
    from .errors import EngramError

    if type_ == PONG:
        return None
    value = unpack(payload)
    if type_ == ERROR:
        raise EngramError.from_payload(value)
    if type_ != RESULT:
        raise EngramError("PROTOCOL_ERROR", f"unexpected frame type 0x{type_:02x}")
    return value
