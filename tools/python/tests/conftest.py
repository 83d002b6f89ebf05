"""Starts real `engram serve` processes on free loopback ports with temporary data."""

import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def engram_binary() -> str:
    env = os.environ.get("ENGRAM_BINARY")
    if env:
        return env
    for build in ("release", "debug"):
        candidate = ROOT / ".build" / build / "engram"
        if candidate.exists():
            return str(candidate)
    pytest.fail("set ENGRAM_BINARY to a built engram executable (tools/test does)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running server: its URL, admin base URL and process."""

    def __init__(self, data: Path, extra=()):
        self.port = free_port()
        self.admin_port = free_port()
        self.data = data
        self.log = open(data.parent / f"server-{self.port}.log", "wb")
        self.proc = subprocess.Popen(
            [engram_binary(), "serve", "--data", str(data), "--port", str(self.port), "--admin-port",
             str(self.admin_port), "--shards", "2", "--probe-functions", *extra],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError(f"engram serve did not start: {(data.parent / f'server-{self.port}.log').read_text()}")
                time.sleep(0.05)
        self.url = f"engram://127.0.0.1:{self.port}"
        self.admin = f"http://127.0.0.1:{self.admin_port}"

    def url_with(self, key: str) -> str:
        return f"engram://{key}@127.0.0.1:{self.port}"

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        return self.proc.returncode


def create_key(data: Path, role: str, tenant=None) -> str:
    """Creates a key offline (server stopped) and returns its text."""
    cmd = [engram_binary(), "keys", "create", "--data", str(data), "--role", role, "--name", f"test-{role}"]
    if tenant:
        cmd += ["--tenant", tenant]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)["key"]


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("open") / "data")
    yield s
    assert s.stop() == 0


@pytest.fixture(scope="session")
def auth_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("auth") / "data"
    keys = {
        "admin": create_key(data, "admin"),
        "readwrite": create_key(data, "readwrite"),
        "readonly": create_key(data, "readonly"),
        "tenantA": create_key(data, "readwrite", tenant="A"),
        "tenantB": create_key(data, "readwrite", tenant="B"),
    }
    s = Server(data)
    s.keys = keys
    yield s
    assert s.stop() == 0
