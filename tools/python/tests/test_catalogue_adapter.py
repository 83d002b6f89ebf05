"""A representative subset of the catalogue, called through the Convex-compatible
adapter against a real server, as an SDK written for the hosted backend calls it."""

import uuid

import pytest

from engram import ConvexClient, ConvexError, EngramError


@pytest.fixture
def client(server):
    c = ConvexClient(server.url)
    yield c
    c.close()


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def test_memory_space_lifecycle(client):
    space = unique("space")
    doc = client.mutation("memorySpaces:register", {"memorySpaceId": space, "type": "project", "name": "Demo"})
    assert doc["memorySpaceId"] == space and doc["status"] == "active"
    assert isinstance(doc["_id"], str) and isinstance(doc["_creationTime"], float)
    assert "tenantId" not in doc  # absent, never null
    assert client.query("memorySpaces:get", {"memorySpaceId": space})["_id"] == doc["_id"]
    with pytest.raises(ConvexError) as e:
        client.mutation("memorySpaces:register", {"memorySpaceId": space, "type": "project"})
    assert e.value.data == "MEMORYSPACE_ALREADY_EXISTS"
    listed = client.query("memorySpaces:list", {})
    assert space in [s["memorySpaceId"] for s in listed["spaces"]]


def test_argument_validation_names_the_field(client):
    with pytest.raises(EngramError) as e:
        client.mutation("memorySpaces:register", {"memorySpaceId": "x", "type": "project", "colour": "red"})
    assert "ArgumentValidationError" in str(e.value) and "colour" in str(e.value)
    with pytest.raises(EngramError) as e:
        client.mutation("memorySpaces:register", {"memorySpaceId": "x", "type": "Project"})
    assert "ArgumentValidationError" in str(e.value)


def test_agents_register_and_exist(client):
    agent = unique("agent")
    assert client.query("agents:exists", {"agentId": agent}) is False
    doc = client.mutation("agents:register", {"agentId": agent, "name": "Helper"})
    assert doc["agentId"] == agent
    assert client.query("agents:exists", {"agentId": agent}) is True
    with pytest.raises(ConvexError) as e:
        client.mutation("agents:register", {"agentId": agent, "name": "Helper"})
    assert e.value.data == "AGENT_ALREADY_REGISTERED"


def test_conversation_messages(client):
    conv = unique("conv")
    created = client.mutation("conversations:create", {
        "conversationId": conv, "memorySpaceId": unique("space"), "type": "user-agent",
        "participants": {"userId": "u1", "agentId": "a1"}})
    assert created["messages"] == [] and created["messageCount"] == 0
    after = client.mutation("conversations:addMessage", {
        "conversationId": conv, "message": {"id": "m1", "role": "user", "content": "hello"}})
    assert after["messageCount"] == 1 and after["messages"][0]["content"] == "hello"
    assert client.query("conversations:get", {"conversationId": conv})["messageCount"] == 1
    with pytest.raises(ConvexError) as e:
        client.mutation("conversations:addMessage", {
            "conversationId": unique("missing"), "message": {"id": "m1", "role": "user", "content": "x"}})
    assert e.value.data == "CONVERSATION_NOT_FOUND"


def test_immutable_versions_and_user_profiles(client):
    user = unique("user")
    v1 = client.mutation("immutable:store", {"type": "user", "id": user, "data": {"displayName": "Ada"}})
    v2 = client.mutation("immutable:store", {"type": "user", "id": user, "data": {"displayName": "Ada L."}})
    assert (v1["version"], v2["version"]) == (1, 2)
    assert [p["version"] for p in v2["previousVersions"]] == [1]
    old = client.query("immutable:getVersion", {"type": "user", "id": user, "version": 1})
    assert old["data"] == {"displayName": "Ada"}
    assert client.query("users:get", {"userId": user})["data"] == {"displayName": "Ada L."}


def test_mutable_set_get_and_update(client):
    ns = unique("ns")
    client.mutation("mutable:set", {"namespace": ns, "key": "count", "value": 1})
    assert client.query("mutable:get", {"namespace": ns, "key": "count"})["value"] == 1
    client.mutation("mutable:set", {"namespace": ns, "key": "count", "value": 5})
    assert client.query("mutable:get", {"namespace": ns, "key": "count"})["value"] == 5
    assert client.query("mutable:exists", {"namespace": ns, "key": "count"}) is True
    assert client.query("mutable:count", {"namespace": ns}) == 1
    client.mutation("mutable:deleteKey", {"namespace": ns, "key": "count"})
    assert client.query("mutable:get", {"namespace": ns, "key": "count"}) is None
