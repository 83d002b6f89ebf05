"""The synchronous client."""

import socket
import ssl
import threading
from typing import Any, Dict, List, Optional, Tuple

from . import protocol as p
from .errors import ConnectionClosed, EngramError
from .url import DEFAULT_PORT, Endpoint, parse_url


class Client:
    """A synchronous connection to an Engram server (thread-safe: one request at a time).

    ``Client("engram://key@host:port")`` or ``Client(host=..., port=..., api_key=...)``.
    Use :meth:`pipeline` to send many requests at once and read their answers in
    whatever order the server finishes them.
    """

    def __init__(
        self,
        url: Optional[str] = None,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        api_key: Optional[str] = None,
        tls: bool = False,
        ssl_context: Optional[ssl.SSLContext] = None,
        timeout: Optional[float] = 60.0,
        client_name: str = "engram-python",
    ):
        ep = parse_url(url) if url else Endpoint(host, port, api_key, tls)
        if url and api_key is not None:
            ep.api_key = api_key
        self.endpoint = ep
        self._lock = threading.Lock()
        self._next_id = 1
        sock = socket.create_connection((ep.host, ep.port), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if ep.tls:
            ctx = ssl_context or ssl.create_default_context()
            sock = ctx.wrap_socket(sock, server_hostname=ep.host)
        self._sock = sock
        self._rfile = sock.makefile("rb")
        self._closed = False
        try:
            self._sock.sendall(p.preamble())
            p.check_server_preamble(self._read_exact(p.PREAMBLE.size))
            hello: Dict[str, Any] = {"client": client_name}
            if ep.api_key:
                hello["apiKey"] = ep.api_key
            self.session = self._round_trip([(p.HELLO, p.pack(hello))])[0]
        except BaseException:
            self.close()
            raise

    # -- requests ---------------------------------------------------------------

    def call(self, name: str, args: Optional[Dict[str, Any]] = None, timeout_ms: Optional[int] = None) -> Any:
        """Calls function ``name`` with ``args``; raises :class:`EngramError` on failure."""
        return self._one(*p.request_payload("call", name, args, timeout_ms))

    def query(self, text: str, params: Optional[Dict[str, Any]] = None) -> Any:
        """Runs query-language text with named parameters."""
        return self._one(*p.request_payload("query", text, params))

    def ping(self) -> None:
        """A round trip."""
        self._one(p.PING, b"")

    def pipeline(self) -> "Pipeline":
        """A batch of requests sent together (see :class:`Pipeline`)."""
        return Pipeline(self)

    @property
    def role(self) -> Optional[str]:
        """The role the server granted this connection."""
        return self.session.get("role") if isinstance(self.session, dict) else None

    def close(self) -> None:
        """Closes the connection."""
        if self._closed:
            return
        self._closed = True
        try:
            self._rfile.close()
        finally:
            self._sock.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- internals --------------------------------------------------------------

    def _one(self, type_: int, payload: bytes) -> Any:
        result = self._round_trip([(type_, payload)], raise_errors=True)[0]
        return result

    def _round_trip(self, requests: List[Tuple[int, bytes]], raise_errors: bool = True) -> List[Any]:
        """Sends every request in one write and reads every answer, by request id."""
        with self._lock:
            if self._closed:
                raise ConnectionClosed()
            ids = []
            out = bytearray()
            for type_, payload in requests:
                rid = self._next_id
                self._next_id = 1 if rid >= 0xFFFFFFFF else rid + 1
                ids.append(rid)
                out += p.frame(type_, rid, payload)
            self._sock.sendall(out)
            answers: Dict[int, Any] = {}
            while len(answers) < len(ids):
                length, type_, _flags, rid = p.parse_header(self._read_exact(p.HEADER.size))
                payload = self._read_exact(length)
                if type_ == p.PUSH:
                    continue  # reserved for subscriptions; version 1 ignores it
                try:
                    value: Any = p.answer_value(type_, payload)
                except EngramError as e:
                    if rid == 0:
                        self.close()
                        raise
                    value = e
                answers[rid] = value
        results = [answers[i] for i in ids]
        if raise_errors:
            for r in results:
                if isinstance(r, EngramError):
                    raise r
        return results

    def _read_exact(self, n: int) -> bytes:
        data = self._rfile.read(n) if n else b""
        if len(data) != n:
            self.close()
            raise ConnectionClosed("the server closed the connection")
        return data


class Pipeline:
    """Requests queued locally, then sent in one write by :meth:`execute`.

    The server runs them concurrently and may answer in any order; ``execute``
    returns results in the order the requests were queued.
    """

    def __init__(self, client: Client):
        self._client = client
        self._requests: List[Tuple[int, bytes]] = []

    def call(self, name: str, args: Optional[Dict[str, Any]] = None, timeout_ms: Optional[int] = None) -> "Pipeline":
        self._requests.append(p.request_payload("call", name, args, timeout_ms))
        return self

    def query(self, text: str, params: Optional[Dict[str, Any]] = None) -> "Pipeline":
        self._requests.append(p.request_payload("query", text, params))
        return self

    def ping(self) -> "Pipeline":
        self._requests.append((p.PING, b""))
        return self

    def execute(self, raise_on_error: bool = True) -> List[Any]:
        """Sends the queued requests and returns their results in order.

        With ``raise_on_error=False`` a failed request's slot holds its
        :class:`EngramError` instead of raising the first one.
        """
        requests, self._requests = self._requests, []
        return self._client._round_trip(requests, raise_errors=raise_on_error)

    def __len__(self) -> int:
        return len(self._requests)
