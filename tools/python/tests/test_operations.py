import urllib.error
import urllib.request

from engram import Client


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_health_ready_and_metrics(server):
    assert get(server.admin + "/health") == (200, "ok\n")
    assert get(server.admin + "/ready") == (200, "ready\n")
    with Client(server.url) as c:
        for i in range(3):
            c.call("probe:echo", {"value": i})
        c.call("probe:put", {"value": 1})
        try:
            c.call("probe:fail", {"code": "METRIC_PROBE"})
        except Exception:
            pass
    status, text = get(server.admin + "/metrics")
    assert status == 200
    lines = text.splitlines()
    echo = [l for l in lines if l.startswith('engram_requests_total{function="probe:echo"}')]
    assert echo and float(echo[0].split()[-1]) >= 3
    assert any(l.startswith('engram_errors_total{code="METRIC_PROBE"}') for l in lines)
    assert any(l.startswith("engram_request_duration_seconds_bucket") for l in lines)
    assert any(l.startswith('engram_shard_used_bytes{shard="1"}') for l in lines)
    assert any(l.startswith("engram_commit_batch_requests_count") for l in lines)
    assert get(server.admin + "/nope")[0] == 404


def test_config_file_and_readiness_failure(tmp_path):
    import json

    from conftest import Server

    config = tmp_path / "engram.json"
    config.write_text(json.dumps({"minFreeDiskBytes": 10**18, "slowRequestMs": 1, "maxConnections": 8}))
    s = Server(tmp_path / "data", extra=["--config", str(config)])
    try:
        status, body = get(s.admin + "/ready")
        assert status == 503 and "free disk" in body
        assert get(s.admin + "/health")[0] == 200
        with Client(s.url) as c:
            c.call("probe:sleep", {"ms": 5})
    finally:
        assert s.stop() == 0
    assert "slow request" in (tmp_path / f"server-{s.port}.log").read_text()
    assert "request-id" in (tmp_path / f"server-{s.port}.log").read_text()
