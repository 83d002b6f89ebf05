"""The asyncio client."""

import asyncio
import ssl
from typing import Any, Dict, Optional

from . import protocol as p
from .errors import ConnectionClosed, EngramError
from .url import DEFAULT_PORT, Endpoint, parse_url


class AsyncClient:
    """An asyncio connection to an Engram server.

    Every request is pipelined: concurrent ``await client.call(...)`` calls share the
    connection, are written together, and each resumes when its own answer arrives,
    in whatever order the server finishes them. Create with :meth:`connect`.
    """

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self._reader = reader
        self._writer = writer
        self._pending: Dict[int, "asyncio.Future[Any]"] = {}
        self._next_id = 1
        self._closed_error: Optional[EngramError] = None
        self._reader_task: Optional["asyncio.Task[None]"] = None
        self.session: Any = None

    @classmethod
    async def connect(
        cls,
        url: Optional[str] = None,
        *,
        host: str = "127.0.0.1",
        port: int = DEFAULT_PORT,
        api_key: Optional[str] = None,
        tls: bool = False,
        ssl_context: Optional[ssl.SSLContext] = None,
        client_name: str = "engram-python-asyncio",
    ) -> "AsyncClient":
        """Connects, negotiates the protocol version and authenticates."""
        ep = parse_url(url) if url else Endpoint(host, port, api_key, tls)
        if url and api_key is not None:
            ep.api_key = api_key
        ctx = (ssl_context or ssl.create_default_context()) if ep.tls else None
        reader, writer = await asyncio.open_connection(ep.host, ep.port, ssl=ctx, server_hostname=ep.host if ctx else None)
        client = cls(reader, writer)
        try:
            writer.write(p.preamble())
            p.check_server_preamble(await reader.readexactly(p.PREAMBLE.size))
            client._reader_task = asyncio.get_running_loop().create_task(client._read_loop())
            hello: Dict[str, Any] = {"client": client_name}
            if ep.api_key:
                hello["apiKey"] = ep.api_key
            client.session = await client._request(p.HELLO, p.pack(hello))
        except BaseException:
            await client.close()
            raise
        return client

    async def call(self, name: str, args: Optional[Dict[str, Any]] = None, timeout_ms: Optional[int] = None) -> Any:
        """Calls function ``name`` with ``args``; raises :class:`EngramError` on failure."""
        return await self._request(*p.request_payload("call", name, args, timeout_ms))

    async def query(self, text: str, params: Optional[Dict[str, Any]] = None) -> Any:
        """Runs query-language text with named parameters."""
        return await self._request(*p.request_payload("query", text, params))

    async def ping(self) -> None:
        """A round trip."""
        await self._request(p.PING, b"")

    async def close(self) -> None:
        """Closes the connection; outstanding requests fail with ``CONNECTION_CLOSED``."""
        self._fail_all(ConnectionClosed())
        if self._reader_task is not None:
            self._reader_task.cancel()
        self._writer.close()
        try:
            await self._writer.wait_closed()
        except (ConnectionError, OSError):
            pass

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    async def _request(self, type_: int, payload: bytes) -> Any:
        if self._closed_error is not None:
            raise self._closed_error
        rid = self._next_id
        self._next_id = 1 if rid >= 0xFFFFFFFF else rid + 1
        fut: "asyncio.Future[Any]" = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        self._writer.write(p.frame(type_, rid, payload))
        if self._writer.transport.get_write_buffer_size() > 1 << 20:
            await self._writer.drain()
        return await fut

    async def _read_loop(self) -> None:
        try:
            while True:
                length, type_, _flags, rid = p.parse_header(await self._reader.readexactly(p.HEADER.size))
                payload = await self._reader.readexactly(length)
                if type_ == p.PUSH:
                    continue  # reserved for subscriptions; version 1 ignores it
                try:
                    value = p.answer_value(type_, payload)
                    error = None
                except EngramError as e:
                    value, error = None, e
                if rid == 0 and error is not None:
                    self._fail_all(error)
                    return
                fut = self._pending.pop(rid, None)
                if fut is None or fut.done():
                    continue
                if error is not None:
                    fut.set_exception(error)
                else:
                    fut.set_result(value)
        except (asyncio.IncompleteReadError, ConnectionError, OSError):
            self._fail_all(ConnectionClosed("the server closed the connection"))
        except asyncio.CancelledError:
            self._fail_all(ConnectionClosed())
            raise

    def _fail_all(self, error: EngramError) -> None:
        if self._closed_error is None:
            self._closed_error = error
        pending, self._pending = self._pending, {}
        for fut in pending.values():
            if not fut.done():
                fut.set_exception(error)
