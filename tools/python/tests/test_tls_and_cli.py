import json
import ssl
import subprocess

import pytest

from conftest import Server, engram_binary
from engram import AsyncClient, Client, EngramError


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(d / "key.pem"), "-out",
         str(d / "cert.pem"), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    s = Server(d / "data", extra=["--tls-cert", str(d / "cert.pem"), "--tls-key", str(d / "key.pem")])
    s.ca = str(d / "cert.pem")
    yield s
    assert s.stop() == 0


def test_tls_round_trip(tls_server):
    ctx = ssl.create_default_context(cafile=tls_server.ca)
    with Client(f"engrams://localhost:{tls_server.port}", ssl_context=ctx) as c:
        assert c.call("probe:echo", {"value": "over tls"}) == "over tls"

    import asyncio

    async def main():
        a = await AsyncClient.connect(f"engrams://127.0.0.1:{tls_server.port}", ssl_context=ctx)
        assert await a.call("probe:echo", {"value": 2}) == 2
        await a.close()

    asyncio.run(main())


def test_tls_rejects_an_untrusted_certificate(tls_server):
    with pytest.raises(ssl.SSLError):
        Client(f"engrams://localhost:{tls_server.port}")


def test_plain_client_cannot_talk_to_a_tls_port(tls_server):
    with pytest.raises((EngramError, OSError)):
        Client(f"engram://127.0.0.1:{tls_server.port}", timeout=5)


def run_cli(*args):
    return subprocess.run([engram_binary(), *args], capture_output=True, text=True, timeout=60)


def test_cli_call_prints_json_and_fails_with_the_code(server):
    out = run_cli("call", "probe:echo", '{"value": {"a": [1, 2.5, "x", null, true]}}', "--url", server.url)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {"a": [1, 2.5, "x", None, True]}
    bad = run_cli("call", "probe:fail", '{"code": "CLI_PROBE"}', "--url", server.url)
    assert bad.returncode == 1 and bad.stderr.startswith("CLI_PROBE")


def test_cli_keys_online(server, tmp_path):
    # An open server lets a loopback client manage keys; afterwards the server requires them.
    s = Server(tmp_path / "data")
    try:
        created = json.loads(run_cli("keys", "create", "--role", "admin", "--name", "ops", "--url", s.url).stdout)
        listed = json.loads(run_cli("keys", "list", "--url", s.url_with(created["key"])).stdout)
        assert [k["keyId"] for k in listed] == [created["keyId"]]
        denied = run_cli("keys", "list", "--url", s.url)
        assert denied.returncode == 1 and "UNAUTHENTICATED" in denied.stderr
        revoked = run_cli("keys", "revoke", created["keyId"], "--url", s.url_with(created["key"]))
        assert revoked.returncode == 0, revoked.stderr
    finally:
        assert s.stop() == 0
