#!/usr/bin/env python3
"""Catalogue writes over the wire: `conversations:addMessage` and `mutable:set`.

32 concurrent clients (connections), each with one request in flight (no pipelining),
against a real `engram serve` with durable commits. Clients write different documents:
addMessage goes to one of `--conversations` conversations (created first), mutable:set
to one of `--keys` keys. The load generator is server_load.c (single-threaded C, epoll),
compiled by server_bench.py's helper.

usage: tools/bench/catalogue_bench.py [--requests 20000] [--connections 32] [--conversations 320] [--keys 10000]
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from server_bench import ROOT, engram_run, ensure_tools, free_port, wait_port  # noqa: E402

sys.path.insert(0, str(ROOT / "tools" / "python"))


def write_payloads(path, bodies):
    """Writes call bodies for server_load's @FILE mode (each preceded by its u32 BE length)."""
    with open(path, "wb") as f:
        for b in bodies:
            f.write(len(b).to_bytes(4, "big") + b)
    return "@" + str(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=20_000)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--conversations", type=int, default=320)
    ap.add_argument("--keys", type=int, default=10_000)
    args = ap.parse_args()
    args.pipeline = 1
    load, engram = ensure_tools(redis=False)

    from engram import Client
    from engram import protocol as p

    tmp = Path(tempfile.mkdtemp(prefix="engram-catalogue-bench-"))
    port = free_port()
    proc = subprocess.Popen([str(engram), "serve", "--data", str(tmp / "data"), "--port", str(port), "--no-admin",
                             "--log-level", "error"])
    rows = []
    try:
        wait_port(port, proc, "engram")
        with Client(f"engram://127.0.0.1:{port}") as c:
            for i in range(args.conversations):
                c.call("conversations:create", {
                    "conversationId": f"conv-{i}", "memorySpaceId": f"space-{i % 8}", "type": "user-agent",
                    "participants": {"userId": f"user-{i}", "agentId": "agent-bench"}})
        text = "The user said something worth remembering about their plans for the weekend."
        add = write_payloads(tmp / "add.bin", (p.pack({"function": "conversations:addMessage", "args": {
            "conversationId": f"conv-{i % args.conversations}",
            "message": {"id": f"msg-{i}", "role": "user" if i % 2 == 0 else "agent", "content": text}}})
            for i in range(args.requests)))
        put = write_payloads(tmp / "set.bin", (p.pack({"function": "mutable:set", "args": {
            "namespace": "bench", "key": f"key-{i % args.keys}", "value": {"n": i, "note": text}}})
            for i in range(args.requests)))
        rows.append(("conversations:addMessage",) + engram_run(load, port, args, "call", add))
        rows.append(("mutable:set",) + engram_run(load, port, args, "call", put))
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\n{args.connections} concurrent clients, 1 request in flight each, {args.requests} requests per function")
    print(f"{'function':<28}{'calls/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, rps, p50, p99 in rows:
        print(f"{name:<28}{rps:>10,.0f}{p50:>10.3f}{p99:>10.3f}")


if __name__ == "__main__":
    main()
