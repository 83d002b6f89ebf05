import pytest

from engram import Client, EngramError


def connect(auth_server, who):
    return Client(auth_server.url_with(auth_server.keys[who]))


def test_no_key_or_bad_key_is_refused(auth_server):
    for url in (auth_server.url, auth_server.url_with("egk_000000000000_bogus")):
        with pytest.raises(EngramError) as e:
            Client(url)
        assert e.value.code == "UNAUTHENTICATED"


@pytest.mark.parametrize("role,can_read,can_write,can_admin", [
    ("readonly", True, False, False),
    ("readwrite", True, True, False),
    ("admin", True, True, True),
])
def test_role_matrix(auth_server, role, can_read, can_write, can_admin):
    with connect(auth_server, role) as c:
        assert c.role == role
        c.ping()
        assert c.call("probe:echo", {"value": 1}) == 1  # query function
        with pytest.raises(EngramError) as e:
            c.query("SELECT 1")  # query text: allowed for all roles, not implemented yet
        assert e.value.code == "NOT_IMPLEMENTED"
        for name, args, allowed in (("probe:put", {"value": 1}, can_write), ("probe:sleep", {"ms": 1}, can_write),
                                    ("_system:listApiKeys", {}, can_admin)):
            if allowed:
                c.call(name, args)
            else:
                with pytest.raises(EngramError) as e:
                    c.call(name, args)
                assert e.value.code == "PERMISSION_DENIED"


def test_tenant_bound_keys_are_confined(auth_server):
    with connect(auth_server, "tenantA") as a, connect(auth_server, "tenantB") as b:
        mine = a.call("probe:put", {"value": "a-secret"})["id"]  # tenantId forced to A
        assert a.call("probe:get", {"id": mine})["tenantId"] == "A"
        with pytest.raises(EngramError) as e:
            b.call("probe:get", {"id": mine})
        assert e.value.code == "FORBIDDEN"
        with pytest.raises(EngramError) as e:
            b.call("probe:put", {"value": "x", "tenantId": "A"})
        assert e.value.code == "FORBIDDEN"


def test_admin_manages_keys_and_revocation_is_immediate(auth_server):
    with connect(auth_server, "admin") as admin:
        created = admin.call("_system:createApiKey", {"role": "readonly", "name": "temp"})
        assert created["key"].startswith("egk_") and "hash" not in created
        listed = admin.call("_system:listApiKeys")
        assert created["keyId"] in [k["keyId"] for k in listed]
        assert all("hash" not in k for k in listed)
        with Client(auth_server.url_with(created["key"])) as temp:
            temp.ping()
            admin.call("_system:revokeApiKey", {"keyId": created["keyId"]})
            with pytest.raises(EngramError) as e:
                temp.call("probe:echo", {"value": 1})
            assert e.value.code == "UNAUTHENTICATED"
        with pytest.raises(EngramError):
            Client(auth_server.url_with(created["key"]))
