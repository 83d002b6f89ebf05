"""The Python SDK's memory convenience layer (spec: memory-convenience.md) replayed
against a real server through the Convex-compatible adapter.

Each test issues, for one SDK convenience call, the backend calls the SDK makes, in
its order and with exactly the argument keys it sends (top-level ``None`` dropped,
nested ``None`` sent as null, ``participantId`` on list/count, ``includeFacts`` on
export), and checks that every call succeeds and that results have the shapes the
SDK reads (memory documents carry only keys ``MemoryEntry`` accepts).
"""

import json
import time
import uuid

import pytest

from engram import ConvexClient, ConvexError, EngramError

# memories.md, Conventions 5: the keys MemoryEntry(**fields) accepts.
MEMORY_ENTRY_REQUIRED = {
    "_id", "memoryId", "memorySpaceId", "content", "contentType", "sourceType", "sourceTimestamp", "importance", "tags",
    "version", "previousVersions", "createdAt", "updatedAt", "accessCount",
}
MEMORY_ENTRY_OPTIONAL = {
    "participantId", "userId", "agentId", "embedding", "sourceUserId", "sourceUserName", "messageRole",
    "conversationRef", "immutableRef", "mutableRef", "factsRef", "lastAccessed", "metadata", "_score", "score",
    "enrichedContent", "factCategory",
}
# The SDK's remember() treats a short agent reply with one of these as an acknowledgement.
ACKNOWLEDGEMENTS = ("got it", "i've noted", "i'll remember", "noted", "understood", "i'll set", "i'll call you",
                    "will do", "sure thing", "okay,", "ok,")


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def now_ms():
    return int(time.time() * 1000)


def sent(**args):
    """The SDK drops top-level None values before sending (nested ones stay null)."""
    return {k: v for k, v in args.items() if v is not None}


def memory_entry(doc):
    """What MemoryEntry(**fields) would receive; fails where the SDK raises TypeError."""
    assert isinstance(doc, dict)
    fields = {k: v for k, v in doc.items() if not k.startswith("_") or k in ("_id", "_score")}
    assert MEMORY_ENTRY_REQUIRED <= fields.keys(), MEMORY_ENTRY_REQUIRED - fields.keys()
    unknown = fields.keys() - MEMORY_ENTRY_REQUIRED - MEMORY_ENTRY_OPTIONAL
    assert not unknown, f"MemoryEntry would reject {unknown}"
    assert all(v is not None for v in fields.values()), "absent fields must not come back as null"
    return fields


def version_info(v):
    """MemoryVersionInfo(memory_id, version, content, timestamp, embedding) via .get."""
    assert set(v) <= {"memoryId", "version", "content", "embedding", "timestamp"}
    return (v.get("memoryId"), v.get("version"), v.get("content"), v.get("timestamp"), v.get("embedding"))


class SDK:
    """The backend calls of cortex.memory, one method per helper or convenience step."""

    def __init__(self, client):
        self.c = client
        self.calls = []

    def q(self, name, args):
        self.calls.append(name)
        return self.c.query(name, args)

    def m(self, name, args):
        self.calls.append(name)
        return self.c.mutation(name, args)

    # Shared helpers H1-H3 (errors are only printed by the SDK; none are expected here).
    def ensure_space(self, space):
        if not self.q("memorySpaces:get", {"memorySpaceId": space}):
            self.m("memorySpaces:register", {"memorySpaceId": space, "name": space, "type": "custom"})

    def ensure_user(self, user_id, user_name):
        if not self.q("immutable:get", {"type": "user", "id": user_id}):
            self.m("immutable:store", {"type": "user", "id": user_id,
                                       "data": {"displayName": user_name or user_id, "createdAt": now_ms()}})

    def ensure_agent(self, agent_id):
        if not self.q("agents:exists", {"agentId": agent_id}):
            try:
                self.m("agents:register", {"agentId": agent_id, "name": agent_id,
                                           "description": "Auto-registered by memory.remember()"})
            except ConvexError as e:
                assert "AGENT_ALREADY_REGISTERED" in str(e.data)

    # Conversation calls.
    def conversation(self, space, conversation_id, user_id=None, agent_id=None, participant_id=None):
        conv = self.q("conversations:get", {"conversationId": conversation_id})
        if not conv:
            conv = self.m("conversations:create", {
                "conversationId": conversation_id, "memorySpaceId": space, "type": "user-agent",
                "participants": sent(userId=user_id, agentId=agent_id, participantId=participant_id)})
        return conv

    def add_message(self, conversation_id, role, content, participant_id=None):
        message = sent(id=f"msg-{now_ms()}-{uuid.uuid4().hex[:9]}", role=role, content=content,
                       participantId=participant_id)
        conv = self.m("conversations:addMessage", {"conversationId": conversation_id, "message": message})
        return conv["messages"][-1]["id"]

    # vector.store: the keys it sends, top-level None dropped.
    def store(self, space, content, *, content_type="raw", source_type="conversation", participant_id=None,
              embedding=None, user_id=None, user_name=None, agent_id=None, message_role=None, enriched_content=None,
              fact_category=None, conversation_ref=None, immutable_ref=None, mutable_ref=None, importance=50,
              tags=None):
        doc = self.m("memories:store", sent(
            memorySpaceId=space, participantId=participant_id, content=content, contentType=content_type,
            embedding=embedding, sourceType=source_type, sourceUserId=user_id, sourceUserName=user_name, userId=user_id,
            agentId=agent_id, messageRole=message_role, enrichedContent=enriched_content, factCategory=fact_category,
            conversationRef=conversation_ref, immutableRef=immutable_ref, mutableRef=mutable_ref,
            importance=importance, tags=tags if tags is not None else []))
        return memory_entry(doc)

    # H4 / H5: facts of a memory (and of its conversation), selected from facts:list.
    def facts_of(self, space, memory_id, conversation_id=None):
        facts = self.q("facts:list", {"memorySpaceId": space, "limit": 10000})
        # SDK defect (memory-convenience.md H4): it reads fact.sourceRef as an attribute of
        # what is a dict, so it raises AttributeError as soon as a listed fact has a
        # sourceRef. These are the calls a working SDK makes.
        return [f for f in facts if (f.get("sourceRef") or {}).get("memoryId") == memory_id
                or (conversation_id and (f.get("sourceRef") or {}).get("conversationId") == conversation_id)]

    def cascade_facts(self, space, memory_id, conversation_id=None):
        selected = self.facts_of(space, memory_id, conversation_id)
        for fact in selected:
            self.m("facts:deleteFact", {"memorySpaceId": space, "factId": fact["factId"]})
        return len(selected), [f["factId"] for f in selected]

    # memory.remember
    def remember(self, space, conversation_id, user_message, agent_response, *, user_id=None, user_name=None,
                 agent_id=None, participant_id=None, importance=None, tags=None, embed=None, extracted_facts=()):
        self.ensure_space(space)
        if user_id:
            self.ensure_user(user_id, user_name)
        if agent_id:
            self.ensure_agent(agent_id)
        self.conversation(space, conversation_id, user_id, agent_id, participant_id)
        user_msg = self.add_message(conversation_id, "user", user_message)
        agent_msg = self.add_message(conversation_id, "agent", agent_response, participant_id or agent_id)
        common = dict(participant_id=participant_id, user_id=user_id, user_name=user_name, agent_id=agent_id,
                      importance=importance or 50, tags=tags or [])
        memories = [self.store(space, user_message, embedding=embed(user_message) if embed else None,
                               message_role="user",
                               conversation_ref={"conversationId": conversation_id, "messageIds": [user_msg]},
                               **common)]
        lowered = agent_response.lower()
        if not (len(agent_response) < 80 and any(a in lowered for a in ACKNOWLEDGEMENTS)):
            memories.append(self.store(space, agent_response, embedding=embed(agent_response) if embed else None,
                                       message_role="agent",
                                       conversation_ref={"conversationId": conversation_id, "messageIds": [agent_msg]},
                                       **common))
        facts = [self.revise_fact(space, user_id, agent_id, participant_id, f, tags or []) for f in extracted_facts]
        return {"conversation": {"messageIds": [user_msg, agent_msg], "conversationId": conversation_id},
                "memories": memories, "facts": [f for f in facts if f]}

    def revise_fact(self, space, user_id, agent_id, participant_id, fact, tags):
        """Belief revision for one extracted fact, without an LLM or embeddings: the
        slot, structure and subject stages, then ADD."""
        subject = fact.get("subject") or user_id or agent_id
        slot = self.q("facts:queryBySubject", sent(
            memorySpaceId=space, subject=" ".join(subject.lower().split()), userId=user_id, includeSuperseded=False,
            limit=100))
        if [f for f in slot if f.get("predicate") == fact["predicate"]]:
            return None  # the heuristics see the same slot filled: NONE
        if self.q("facts:findByStructure", sent(memorySpaceId=space, subject=subject, predicate=fact["predicate"],
                                                 object=fact.get("object"), userId=user_id, limit=1)):
            return None
        self.q("facts:list", sent(memorySpaceId=space, userId=user_id, subject=subject, factType=fact["factType"],
                                  includeSuperseded=False, limit=20))
        return self.m("facts:store", sent(
            memorySpaceId=space, participantId=participant_id, userId=user_id, fact=fact["fact"],
            factType=fact["factType"], subject=subject, predicate=fact["predicate"], object=fact.get("object"),
            confidence=fact.get("confidence", 80), sourceType="conversation", tags=tags))


@pytest.fixture
def sdk(server):
    c = ConvexClient(server.url)
    yield SDK(c)
    c.close()


def embed(text):
    """A tiny deterministic 'embedding' of a text (the SDK takes a client callback)."""
    return [float(len(text) % 7 + 1), float(text.count("e") + 1), float(text.count("a")), 1.0]


def test_remember_runs_every_helper_and_stores_both_messages(sdk):
    space, conv, user, agent = unique("space"), unique("conv"), unique("user"), unique("agent")
    result = sdk.remember(space, conv, "My favourite colour is blue", "Blue is a lovely colour, I will keep it in mind.",
                          user_id=user, user_name="Ann", agent_id=agent, importance=0, tags=["prefs"], embed=embed,
                          extracted_facts=[{"fact": "Ann likes blue", "factType": "preference",
                                            "predicate": "favorite_color", "object": "blue"}])
    assert sdk.calls[:12] == [
        "memorySpaces:get", "memorySpaces:register", "immutable:get", "immutable:store", "agents:exists",
        "agents:register", "conversations:get", "conversations:create", "conversations:addMessage",
        "conversations:addMessage", "memories:store", "memories:store"]
    user_mem, agent_mem = result["memories"]
    assert user_mem["importance"] == 50 and user_mem["tags"] == ["prefs"]  # importance 0 becomes 50
    assert user_mem["messageRole"] == "user" and agent_mem["messageRole"] == "agent"
    assert user_mem["conversationRef"] == {"conversationId": conv, "messageIds": [result["conversation"]["messageIds"][0]]}
    assert user_mem["sourceUserId"] == user and user_mem["sourceUserName"] == "Ann"
    assert user_mem["embedding"] == embed("My favourite colour is blue")
    assert "tenantId" not in user_mem and "participantId" not in user_mem
    assert result["facts"][0]["fact"] == "Ann likes blue"
    # A second remember in the same space and conversation finds everything in place.
    sdk.calls.clear()
    again = sdk.remember(space, conv, "Also green", "Got it!", user_id=user, user_name="Ann", agent_id=agent)
    assert sdk.calls == ["memorySpaces:get", "immutable:get", "agents:exists", "conversations:get",
                         "conversations:addMessage", "conversations:addMessage", "memories:store"]
    assert len(again["memories"]) == 1  # the acknowledgement is not stored
    assert sdk.c.query("memories:count", sent(memorySpaceId=space, userId=user, participantId=None,
                                               sourceType=None)) == 3


def test_remember_with_a_participant_and_nested_nulls(sdk):
    space, conv, user, agent = unique("space"), unique("conv"), unique("user"), unique("agent")
    result = sdk.remember(space, conv, "Deploy at noon", "I will schedule the deploy for noon today.",
                          user_id=user, user_name="Bo", agent_id=agent, participant_id="cursor")
    assert [m["participantId"] for m in result["memories"]] == ["cursor", "cursor"]
    # vector.store sends an immutable_ref without version as a nested null.
    doc = sdk.store(space, "linked", source_type="system", immutable_ref={"type": "kb", "id": "a1", "version": None},
                    mutable_ref={"namespace": "cfg", "key": "k", "snapshotValue": None, "snapshotAt": now_ms()})
    assert doc["immutableRef"] == {"type": "kb", "id": "a1"}
    assert doc["mutableRef"]["snapshotValue"] is None


def test_remember_stream_stores_updates_and_finalizes_a_partial_memory(sdk):
    space, conv, user, agent = unique("space"), unique("conv"), unique("user"), unique("agent")
    sdk.conversation(space, conv, user, agent)
    started = now_ms()
    partial = sdk.m("memories:storePartialMemory", {
        "memorySpaceId": space, "participantId": "agent", "conversationId": conv, "userId": user,
        "content": "[Streaming in progress...]", "isPartial": True,
        "metadata": {"userMessage": "Tell me a story", "streamStartTime": started}, "importance": 50,
        "tags": ["story", "streaming", "partial"]})
    assert set(partial) == {"memoryId", "_id"} and partial["memoryId"].startswith("mem-partial-")
    text = ""
    for chunk_no, chunk in enumerate(["Once upon ", "a time ", "there was a database."], start=1):
        text += chunk
        assert sdk.m("memories:updatePartialMemory", {
            "memoryId": partial["memoryId"], "content": text,
            "metadata": {"lastUpdateTime": now_ms(), "currentChunk": chunk_no, "contentLength": len(text)}}) == {
            "success": True}
    assert sdk.m("memories:finalizePartialMemory", {
        "memoryId": partial["memoryId"], "content": text,
        "metadata": {"streamCompleteTime": now_ms(), "totalUpdates": 3, "finalContentLength": len(text)},
        "embedding": embed(text)}) == {"success": True}
    final = sdk.c.query("memories:get", {"memorySpaceId": space, "memoryId": partial["memoryId"]})
    assert final["content"] == text and final["tags"] == ["story"] and final["isPartial"] is False
    # Parity: the finalized memory keeps isPartial/partialMetadata, which MemoryEntry rejects
    # (memories.md Conventions 5: the SDK fails on its later reads there too).
    with pytest.raises(AssertionError):
        memory_entry(final)
    result = sdk.remember(space, conv, "Tell me a story", text, user_id=user, user_name="Ann", agent_id=agent)
    assert len(result["memories"]) == 2
    assert sdk.c.query("memories:count", {"memorySpaceId": space}) == 3  # the partial memory stays as an extra one


def test_remember_stream_error_recovery_and_rollback(sdk):
    space, conv = unique("space"), unique("conv")
    sdk.conversation(space, conv, unique("user"), "agent-x")
    partial = sdk.m("memories:storePartialMemory", {
        "memorySpaceId": space, "participantId": "agent", "conversationId": conv, "userId": "",
        "content": "[Streaming in progress...]", "isPartial": True,
        "metadata": {"userMessage": "hi", "streamStartTime": now_ms()}, "importance": 50,
        "tags": ["streaming", "partial"]})
    sdk.m("memories:updatePartialMemory", {"memoryId": partial["memoryId"], "content": "Half an ans",
                                           "metadata": {"lastUpdateTime": now_ms(), "currentChunk": 1,
                                                        "contentLength": 11}})
    # Recovery with a resume token, then the rollback deletes the partial memory.
    sdk.m("mutable:set", {"namespace": "resume-tokens", "key": unique("token"),
                          "value": {"memoryId": partial["memoryId"], "content": "Half an ans"}})
    deleted = sdk.m("memories:deleteMemory", {"memorySpaceId": space, "memoryId": partial["memoryId"]})
    assert deleted == {"deleted": True, "memoryId": partial["memoryId"]}
    # The "rollback" strategy deletes first and rolls back again: the second call fails
    # with the exact code the SDK's resilience layer matches ("not a system failure").
    with pytest.raises(ConvexError) as e:
        sdk.m("memories:deleteMemory", {"memorySpaceId": space, "memoryId": partial["memoryId"]})
    assert e.value.data == "MEMORY_NOT_FOUND"
    assert sdk.c.query("memories:list", {"memorySpaceId": space}) == []


def seed_conversation_memory(sdk, with_fact_ref=True):
    """remember() plus a fact stored the dedup way (sourceRef pointing at the memory)."""
    space, conv, user, agent = unique("space"), unique("conv"), unique("user"), unique("agent")
    result = sdk.remember(space, conv, "I live in Paris", "Paris is a beautiful city to live in, enjoy it.",
                          user_id=user, user_name="Ann", agent_id=agent, embed=embed)
    user_mem = result["memories"][0]
    fact = None
    if with_fact_ref:
        fact = sdk.m("facts:store", {
            "memorySpaceId": space, "userId": user, "fact": "Ann lives in Paris", "factType": "identity",
            "subject": user, "predicate": "lives_in", "object": "Paris", "confidence": 90,
            "sourceType": "conversation",
            "sourceRef": {"conversationId": conv, "messageIds": result["conversation"]["messageIds"],
                          "memoryId": user_mem["memoryId"]}, "tags": []})
    return space, conv, user, result, fact


def test_get_and_get_with_conversation(sdk):
    space, conv, _, result, fact = seed_conversation_memory(sdk)
    memory_id = result["memories"][0]["memoryId"]
    doc = memory_entry(sdk.q("memories:get", {"memorySpaceId": space, "memoryId": memory_id}))
    assert doc["_id"] == result["memories"][0]["_id"]
    conversation = sdk.q("conversations:get", {"conversationId": doc["conversationRef"]["conversationId"]})
    source = [m for m in conversation["messages"] if m["id"] in doc["conversationRef"]["messageIds"]]
    assert [m["content"] for m in source] == ["I live in Paris"]
    assert [f["factId"] for f in sdk.facts_of(space, memory_id, conv)] == [fact["factId"]]
    assert sdk.q("memories:get", {"memorySpaceId": space, "memoryId": "mem-missing"}) is None
    assert sdk.q("memories:get", {"memorySpaceId": unique("other"), "memoryId": memory_id}) is None


def test_forget_deletes_the_memory_its_facts_and_the_conversation(sdk):
    space, conv, _, result, fact = seed_conversation_memory(sdk)
    memory_id = result["memories"][0]["memoryId"]
    memory = sdk.q("memories:get", {"memorySpaceId": space, "memoryId": memory_id})
    assert memory
    assert sdk.m("memories:deleteMemory", {"memorySpaceId": space, "memoryId": memory_id}) == {
        "deleted": True, "memoryId": memory_id}
    count, ids = sdk.cascade_facts(space, memory_id, memory["conversationRef"]["conversationId"])
    assert (count, ids) == (1, [fact["factId"]])
    # delete_conversation with delete_entire_conversation: get (message count), then delete.
    conversation = sdk.q("conversations:get", {"conversationId": conv})
    assert conversation["messageCount"] == 2
    sdk.m("conversations:deleteConversation", {"conversationId": conv})
    assert sdk.q("memories:get", {"memorySpaceId": space, "memoryId": memory_id}) is None
    # forget of a missing memory: the SDK raises MEMORY_NOT_FOUND itself after a null get.
    assert sdk.q("memories:get", {"memorySpaceId": space, "memoryId": memory_id}) is None


def test_delete_cascades_facts_first(sdk):
    space, conv, _, result, fact = seed_conversation_memory(sdk)
    agent_mem = result["memories"][1]
    memory = sdk.q("memories:get", {"memorySpaceId": space, "memoryId": agent_mem["memoryId"]})
    count, _ = sdk.cascade_facts(space, memory["memoryId"], memory["conversationRef"]["conversationId"])
    assert count == 1  # the conversation's facts go too
    assert sdk.m("memories:deleteMemory", {"memorySpaceId": space, "memoryId": memory["memoryId"]})["deleted"] is True
    assert sdk.q("facts:get", {"memorySpaceId": space, "factId": fact["factId"]})["validUntil"] > 0


def test_search_and_recall(sdk):
    space, conv, user, result, _ = seed_conversation_memory(sdk)
    query = "Where do I live"
    semantic = sdk.q("memories:search", sent(memorySpaceId=space, query=query, embedding=embed(query), userId=user,
                                             tags=None, sourceType="conversation", minImportance=10, minScore=0.0,
                                             queryCategory=None, limit=5))
    entries = [memory_entry(m) for m in semantic]
    assert {e["memoryId"] for e in entries} == {m["memoryId"] for m in result["memories"]}
    assert all(isinstance(e["_score"], float) for e in entries)
    assert [e["_score"] for e in entries] == sorted((e["_score"] for e in entries), reverse=True)
    keyword = sdk.q("memories:search", {"memorySpaceId": space, "query": "paris", "limit": 10})
    assert keyword and all("_score" not in memory_entry(m) for m in keyword)
    # enrich_conversation: one conversation get per distinct conversation, one facts:list.
    for conversation_id in {m["conversationRef"]["conversationId"] for m in semantic}:
        assert sdk.q("conversations:get", {"conversationId": conversation_id})["conversationId"] == conv
    sdk.q("facts:list", {"memorySpaceId": space, "limit": 10000})
    # recall: vector source, facts source, graph expansion look-ups, then conversations.
    recalled = sdk.q("memories:search", sent(memorySpaceId=space, query=query, embedding=embed(query), userId=user,
                                             minImportance=None, tags=None, limit=20))
    assert len(recalled) == 2
    assert sdk.q("facts:search", sent(memorySpaceId=space, query="Paris", limit=20, minConfidence=None, userId=user))
    assert len(sdk.q("memories:search", {"memorySpaceId": space, "query": "Paris", "limit": 2, "minScore": 0.5})) <= 2
    sdk.q("facts:queryBySubject", {"memorySpaceId": space, "subject": "Paris", "limit": 1})
    sdk.q("facts:search", {"memorySpaceId": space, "query": "Paris", "limit": 1})
    assert sdk.q("conversations:get", {"conversationId": conv})["messageCount"] == 2


def test_store_update_and_versions(sdk):
    space = unique("space")
    stored = sdk.store(space, "Server runs on port 80", source_type="system", embedding=[1.0, 0.0, 0.0, 0.5],
                       enriched_content="config: port 80", fact_category="config", importance=60, tags=["infra"])
    memory_id = stored["memoryId"]
    assert stored["version"] == 1 and stored["previousVersions"] == []
    # users/agents rollback paths send an undeclared memoryId: rejected, naming the field.
    with pytest.raises(EngramError) as e:
        sdk.m("memories:store", {"memorySpaceId": space, "memoryId": "m", "content": "x", "contentType": "raw",
                                 "sourceType": "system", "importance": 1, "tags": []})
    assert "ArgumentValidationError" in str(e.value) and "memoryId" in str(e.value)
    first = sdk.q("memories:get", {"memorySpaceId": space, "memoryId": memory_id})
    time.sleep(0.002)
    updated = memory_entry(sdk.m("memories:update", sent(memorySpaceId=space, memoryId=memory_id,
                                                         content="Server runs on port 8080", embedding=None,
                                                         importance=70, tags=None)))
    assert updated["version"] == 2 and updated["content"] == "Server runs on port 8080"
    assert updated["previousVersions"] == [{"version": 1, "content": "Server runs on port 80",
                                            "embedding": [1.0, 0.0, 0.0, 0.5], "timestamp": first["updatedAt"]}]
    v1 = sdk.q("memories:getVersion", {"memorySpaceId": space, "memoryId": memory_id, "version": 1})
    assert version_info(v1) == (memory_id, 1, "Server runs on port 80", first["updatedAt"], [1.0, 0.0, 0.0, 0.5])
    assert sdk.q("memories:getVersion", {"memorySpaceId": space, "memoryId": memory_id, "version": 9}) is None
    history = sdk.q("memories:getHistory", {"memorySpaceId": space, "memoryId": memory_id})
    assert [version_info(v)[1] for v in history] == [1, 2]
    assert sdk.q("memories:getHistory", {"memorySpaceId": space, "memoryId": "mem-none"}) == []
    at_first = sdk.q("memories:getAtTimestamp", {"memorySpaceId": space, "memoryId": memory_id,
                                                 "timestamp": first["updatedAt"]})
    assert version_info(at_first)[2] == "Server runs on port 80"
    at_now = sdk.q("memories:getAtTimestamp", {"memorySpaceId": space, "memoryId": memory_id, "timestamp": now_ms()})
    assert version_info(at_now)[1] == 2
    assert sdk.q("memories:getAtTimestamp", {"memorySpaceId": space, "memoryId": memory_id, "timestamp": 0}) is None
    with pytest.raises(ConvexError) as e:
        sdk.m("memories:update", {"memorySpaceId": unique("other"), "memoryId": memory_id, "importance": 1})
    assert e.value.data == "PERMISSION_DENIED"


def test_list_and_count_accept_the_sdks_participant_id(sdk):
    space = unique("space")
    sdk.store(space, "from cursor", source_type="system", participant_id="cursor", user_id="u1")
    sdk.store(space, "from claude", source_type="tool", participant_id="claude", user_id="u1")
    sdk.store(space, "from nobody", source_type="system")
    listed = sdk.q("memories:list", sent(memorySpaceId=space, userId="u1", participantId="cursor", sourceType=None,
                                         limit=None))
    assert [memory_entry(m)["content"] for m in listed] == ["from cursor"]
    everything = sdk.q("memories:list", {"memorySpaceId": space})
    assert [m["content"] for m in everything] == ["from nobody", "from claude", "from cursor"]
    assert int(sdk.q("memories:count", sent(memorySpaceId=space, userId=None, participantId="claude",
                                            sourceType="tool"))) == 1
    assert int(sdk.q("memories:count", {"memorySpaceId": space, "userId": "u1"})) == 2


def test_update_many_and_delete_many(sdk):
    space, conv, user, result, fact = seed_conversation_memory(sdk)
    other = sdk.store(space, "a system note", source_type="system")
    updated = sdk.m("memories:updateMany", sent(memorySpaceId=space, userId=user, sourceType=None, importance=90,
                                                tags=["important"]))
    assert set(updated) == {"updated", "memoryIds"}  # the SDK reads newVersions as absent → []
    assert sorted(updated["memoryIds"]) == sorted(m["memoryId"] for m in result["memories"])
    facts = sdk.q("facts:list", {"memorySpaceId": space, "limit": 10000})
    assert sum((f.get("sourceRef") or {}).get("memoryId") in updated["memoryIds"] for f in facts) == 1
    # delete_many: list (filters not applied), H4 per listed memory, then deleteMany.
    listed = sdk.q("memories:list", {"memorySpaceId": space, "limit": 10000})
    assert len(listed) == 3
    # SDK defect: reading conversationRef as an attribute raises AttributeError for the
    # remembered memories before anything is deleted; a working SDK makes these calls.
    facts_deleted = sum(sdk.cascade_facts(space, m["memoryId"], (m.get("conversationRef") or {}).get("conversationId"))[0]
                        for m in listed)
    assert facts_deleted == 2  # a soft-deleted fact stays listed: both memories of its conversation delete it
    deleted = sdk.m("memories:deleteMany", sent(memorySpaceId=space, userId=user, sourceType=None))
    assert deleted["deleted"] == 2 and set(deleted) == {"deleted", "memoryIds"}
    assert [m["memoryId"] for m in sdk.q("memories:list", {"memorySpaceId": space})] == [other["memoryId"]]


def test_export_accepts_include_facts(sdk):
    space, _, user, result, _ = seed_conversation_memory(sdk, with_fact_ref=False)
    exported = sdk.q("memories:exportMemories", sent(memorySpaceId=space, userId=user, format="json",
                                                     includeEmbeddings=True, includeFacts=False))
    assert set(exported) == {"format", "data", "count", "exportedAt"} and exported["count"] == 2
    rows = json.loads(exported["data"])
    assert [r["memoryId"] for r in rows] == [m["memoryId"] for m in result["memories"]]
    assert list(rows[0]) == ["memoryId", "content", "sourceType", "importance", "tags", "createdAt", "embedding"]
    csv = sdk.q("memories:exportMemories", sent(memorySpaceId=space, userId=None, format="csv",
                                                includeEmbeddings=False, includeFacts=True))
    lines = csv["data"].split("\n")
    assert lines[0] == "memoryId,content,sourceType,importance,tags,createdAt" and len(lines) == 3
    assert ";" in lines[2]  # "Paris is a beautiful city to live in, enjoy it." has its comma replaced


def test_archive_and_restore(sdk):
    space = unique("space")
    memory = sdk.store(space, "keep me", source_type="system", importance=80, tags=["x"])
    archived = sdk.m("memories:archive", {"memorySpaceId": space, "memoryId": memory["memoryId"]})
    assert archived == {"archived": True, "memoryId": memory["memoryId"], "restorable": True}
    assert archived.get("factsArchived", 0) == 0 and archived.get("factIds", []) == []
    restored = sdk.m("memories:restoreFromArchive", {"memorySpaceId": space, "memoryId": memory["memoryId"]})
    assert restored["restored"] is True and restored["memoryId"] == memory["memoryId"]
    entry = memory_entry(restored["memory"])  # vector.restore_from_archive builds a MemoryEntry
    assert entry["tags"] == ["x"] and entry["importance"] == 50
    with pytest.raises(ConvexError) as e:
        sdk.m("memories:restoreFromArchive", {"memorySpaceId": space, "memoryId": memory["memoryId"]})
    assert e.value.data == "MEMORY_NOT_ARCHIVED"


def test_agents_cascade_delete_by_ids_and_the_purge_gate(sdk):
    space = unique("space")
    a = sdk.store(space, "one", source_type="system", agent_id="bot")
    b = sdk.store(space, "two", source_type="system", agent_id="bot")
    result = sdk.m("memories:deleteByIds", {"memoryIds": [a["memoryId"], b["memoryId"], a["memoryId"]]})
    assert result == {"deleted": 2, "memoryIds": [a["memoryId"], b["memoryId"]]}
    # The Python test helpers call memories:purgeAll {}; this server runs without --allow-purge.
    with pytest.raises(EngramError) as e:
        sdk.m("memories:purgeAll", {})
    assert "PURGE_DISABLED_IN_PRODUCTION: purgeAll is only available in test/dev environments." in str(e.value)
    assert not isinstance(e.value, ConvexError)
