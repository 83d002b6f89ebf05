"""engram:// URLs."""

from dataclasses import dataclass
from typing import Optional
from urllib.parse import unquote

DEFAULT_PORT = 7717


@dataclass
class Endpoint:
    """Where a server is: host, port, API key, TLS."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    api_key: Optional[str] = None
    tls: bool = False


def parse_url(url: str) -> Endpoint:
    """Parses ``engram://[key@]host[:port]`` (``engrams://`` for TLS)."""
    if url.startswith("engram://"):
        tls, rest = False, url[len("engram://"):]
    elif url.startswith("engrams://"):
        tls, rest = True, url[len("engrams://"):]
    else:
        raise ValueError(f"{url!r} is not an engram:// or engrams:// URL")
    rest = rest.rstrip("/")
    key = None
    if "@" in rest:
        key, rest = rest.rsplit("@", 1)
        key = unquote(key) or None
    port = DEFAULT_PORT
    if rest.startswith("["):
        close = rest.index("]")
        host, after = rest[1:close], rest[close + 1:]
        if after.startswith(":"):
            port = int(after[1:])
    elif ":" in rest:
        host, p = rest.rsplit(":", 1)
        port = int(p)
    else:
        host = rest
    if not host:
        raise ValueError(f"no host in {url!r}")
    if not 0 < port < 65536:
        raise ValueError(f"bad port in {url!r}")
    return Endpoint(host, port, key, tls)
