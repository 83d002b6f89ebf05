import socket
import struct

import numpy as np
import pytest

from engram import Client, EngramError, Vector
from engram import protocol as p


def test_ping_and_session(server):
    with Client(server.url) as c:
        c.ping()
        assert c.role == "admin"  # an open (keyless) loopback server


def test_values_round_trip(server):
    value = {"i": -5, "big": 2**40, "f": 1.5, "s": "héllo", "b": b"\x00\x01", "n": None, "t": True,
             "list": [1, "x", [2.5]], "map": {"k": {"j": False}}}
    with Client(server.url) as c:
        assert c.call("probe:echo", {"value": value}) == value


def test_vectors_travel_as_float32(server):
    with Client(server.url) as c:
        back = c.call("probe:echo", {"value": np.array([0.25, -1.5, 3.0], dtype=np.float64)})
        assert back.dtype == np.float32
        assert back.tolist() == [0.25, -1.5, 3.0]
        assert c.call("probe:echo", {"value": Vector([1.0, 2.0])}).tolist() == [1.0, 2.0]


def test_put_then_get(server):
    with Client(server.url) as c:
        doc_id = c.call("probe:put", {"value": {"text": "remember this"}})["id"]
        doc = c.call("probe:get", {"id": doc_id})
        assert doc["_id"] == doc_id
        assert doc["value"] == {"text": "remember this"}
        assert isinstance(doc["_creationTime"], float)


def test_errors_are_typed(server):
    with Client(server.url) as c:
        with pytest.raises(EngramError) as e:
            c.call("nope:missing", {})
        assert e.value.code == "FUNCTION_NOT_FOUND" and e.value.data is None
        with pytest.raises(EngramError) as e:
            c.call("probe:echo", {"value": 1, "extra": 2})
        assert e.value.code == "ARGUMENT_VALIDATION_ERROR"
        assert e.value.message.startswith("ArgumentValidationError") and "extra" in e.value.message
        with pytest.raises(EngramError) as e:
            c.call("probe:fail", {"code": "MEMORYSPACE_NOT_FOUND"})
        assert e.value.code == "MEMORYSPACE_NOT_FOUND" and e.value.data == "MEMORYSPACE_NOT_FOUND"
        assert e.value.is_coded
        with pytest.raises(EngramError) as e:
            c.call("probe:fail", {"message": "INVALID_FILTERS: Must provide agentIds"})
        assert e.value.code == "FUNCTION_ERROR" and e.value.data is None
        assert e.value.message == "INVALID_FILTERS: Must provide agentIds"
        c.ping()  # the connection survives every error


def test_query_is_not_implemented(server):
    with Client(server.url) as c:
        with pytest.raises(EngramError) as e:
            c.query("SELECT * FROM memories WHERE memorySpaceId = $s", {"s": "x"})
        assert e.value.code == "NOT_IMPLEMENTED"


def test_pipeline_returns_results_in_request_order(server):
    with Client(server.url) as c:
        pipe = c.pipeline()
        for i in range(50):
            if i % 10 == 0:
                pipe.call("probe:sleep", {"ms": 30})
            else:
                pipe.call("probe:echo", {"value": i})
        pipe.call("nope:missing")
        results = pipe.execute(raise_on_error=False)
        assert len(results) == 51
        for i in range(50):
            assert results[i] == (None if i % 10 == 0 else i)
        assert isinstance(results[50], EngramError) and results[50].code == "FUNCTION_NOT_FOUND"


def raw_connect(server):
    s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    s.sendall(p.preamble())
    assert p.check_server_preamble(recv_exact(s, 8)) == 1
    s.sendall(p.frame(p.HELLO, 1, p.pack({})))
    read_frame(s)
    return s


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def read_frame(s):
    length, type_, _flags, rid = p.parse_header(recv_exact(s, 10))
    return type_, rid, p.unpack(recv_exact(s, length)) if type_ != p.PONG else None


def test_answers_come_out_of_order(server):
    s = raw_connect(server)
    slow = p.frame(p.CALL, 7, p.pack({"function": "probe:sleep", "args": {"ms": 400}}))
    fast = p.frame(p.CALL, 8, p.pack({"function": "probe:echo", "args": {"value": "fast"}}))
    s.sendall(slow + fast)
    first, second = read_frame(s), read_frame(s)
    assert (first[1], first[2]) == (8, "fast")
    assert second[1] == 7
    s.close()


def test_bad_messagepack_and_unknown_operations_get_error_frames(server):
    s = raw_connect(server)
    s.sendall(p.frame(p.CALL, 3, b"\xc1\xc1"))
    type_, rid, payload = read_frame(s)
    assert (type_, rid, payload["code"]) == (p.ERROR, 3, "MALFORMED_MESSAGEPACK")
    s.sendall(p.frame(0x42, 4, b""))
    type_, rid, payload = read_frame(s)
    assert (type_, rid, payload["code"]) == (p.ERROR, 4, "UNKNOWN_OPERATION")
    s.sendall(p.frame(p.PING, 5, b"abc"))
    assert read_frame(s)[:2] == (p.PONG, 5)
    s.close()


def test_garbage_closes_only_that_connection(server):
    with Client(server.url) as good:
        bad = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        bad.sendall(bytes(range(256)) * 4)
        assert bad.recv(100) == b""  # closed without a word: not our protocol
        bad.close()
        oversize = raw_connect(server)
        oversize.sendall(struct.pack(">IBBI", 0x7FFFFFFF, p.CALL, 0, 9))
        type_, rid, payload = read_frame(oversize)
        assert (type_, rid, payload["code"]) == (p.ERROR, 0, "FRAME_TOO_LARGE")
        assert oversize.recv(10) == b""
        oversize.close()
        good.ping()
        assert good.call("probe:echo", {"value": "still here"}) == "still here"


def test_truncated_frames_and_random_bytes_never_hurt_other_connections(server):
    import random

    rng = random.Random(5)
    with Client(server.url) as good:
        # A header that promises more than is sent, then a hang-up.
        s = raw_connect(server)
        s.sendall(struct.pack(">IBBI", 100, p.CALL, 0, 1) + b"\x80" * 10)
        s.close()
        # A preamble cut short.
        s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        s.sendall(b"ENG")
        s.close()
        # Random bytes after a good handshake: error frames or a closed connection, never a crash.
        for _ in range(20):
            s = raw_connect(server)
            s.sendall(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))))
            s.settimeout(0.5)
            try:
                while s.recv(4096):
                    pass
            except (socket.timeout, ConnectionError):
                pass
            s.close()
            assert good.call("probe:echo", {"value": "alive"}) == "alive"
