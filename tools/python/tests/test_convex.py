import pytest

from engram import ConvexClient, ConvexError, EngramError


def test_adapter_runs_functions_like_the_hosted_client(server):
    client = ConvexClient(server.url)
    doc_id = client.mutation("probe:put", {"value": [1, 2]})["id"]
    assert client.query("probe:get", {"id": doc_id})["value"] == [1, 2]
    assert client.query("probe:echo", {"value": None}) is None
    assert client.action("probe:sleep", {"ms": 1}) is None
    import numpy as np
    assert client.query("probe:echo", {"value": np.array([0.5], dtype=np.float32)}) == [0.5]
    client.close()


def test_coded_errors_carry_the_code_as_data(server):
    client = ConvexClient(server.url)
    with pytest.raises(ConvexError) as e:
        client.query("probe:fail", {"code": "AGENT_ALREADY_REGISTERED"})
    assert e.value.data == "AGENT_ALREADY_REGISTERED"
    assert "AGENT_ALREADY_REGISTERED" in str(e.value)
    with pytest.raises(ConvexError) as e:
        client.query("probe:fail", {"code": "MEMORYSPACE_NOT_FOUND", "message": "Memory space not found"})
    assert e.value.data == "MEMORYSPACE_NOT_FOUND"
    assert "MEMORYSPACE_NOT_FOUND" in str(e.value) and "Memory space not found" in str(e.value)
    with pytest.raises(EngramError) as e:
        client.query("probe:fail", {"message": "plain text"})
    assert not isinstance(e.value, ConvexError) and e.value.data is None and "plain text" in str(e.value)
    client.close()


def test_url_with_key_and_tls_scheme_parse():
    from engram import parse_url

    ep = parse_url("engrams://egk_abc_def@db.example:9000")
    assert (ep.host, ep.port, ep.api_key, ep.tls) == ("db.example", 9000, "egk_abc_def", True)
    assert parse_url("engram://[::1]").port == 7717
