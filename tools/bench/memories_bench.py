#!/usr/bin/env python3
"""Memories over the wire beside Chroma, in one run.

Data: `--spaces` memory spaces × `--per-space` memories, each with a `--dim`-dimensional
embedding (a Gaussian mixture: every space has its own few topic centres) and a short
text. Engram: a real `engram serve` (release, durable commits), loaded by `--connections`
concurrent clients with one `memories:store` per call (the SDK's `remember` path), then
searched with `memories:search` (embedding + space, limit 10: the `recall` path), first
by the same concurrent clients (throughput), then by one client (latency). Chroma
(`chromadb.PersistentClient`, from PyPI, in a virtualenv under tools/bench/.venv) gets the
same data, embeddings and space filter: `add` one memory per call (as the SDK stores), and
`query(where={"memorySpaceId": …}, n_results=10)` one at a time.

Reports one table: stores/s and searches/s, search p50/p99, and the Engram/Chroma ratios.
Also checks that Engram's top result for each query is its exact nearest neighbour in the
space (recall@1 against a numpy brute force).

usage: tools/bench/memories_bench.py [--spaces 100] [--per-space 1000] [--dim 384] [--queries 2000]
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_venv import run_in_venv  # noqa: E402

run_in_venv(__file__, ["chromadb", "msgpack", "numpy"], "import chromadb, msgpack, numpy")
sys.path.insert(0, str(HERE))
from server_bench import ROOT, engram_run, ensure_tools, free_port, wait_port  # noqa: E402

sys.path.insert(0, str(ROOT / "tools" / "python"))
import numpy as np  # noqa: E402

WORDS = ("project deadline coffee meeting travel budget garden recipe doctor birthday music running "
         "invoice family weekend python database vacation paris tokyo reading piano hiking salary "
         "allergy dentist concert football movie podcast train flight hotel dinner").split()


def make_data(args, rng):
    """Embeddings (float32, unit length), texts and space ids for every memory, and queries."""
    n = args.spaces * args.per_space
    centres = rng.standard_normal((args.spaces, 5, args.dim)).astype(np.float32)
    space_of = np.repeat(np.arange(args.spaces), args.per_space)
    topic = rng.integers(0, 5, n)
    vecs = centres[space_of, topic] + 0.35 * rng.standard_normal((n, args.dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    texts = [" ".join(rng.choice(WORDS, 12)) for _ in range(n)]
    q_space = rng.integers(0, args.spaces, args.queries)
    q_topic = rng.integers(0, 5, args.queries)
    queries = centres[q_space, q_topic] + 0.35 * rng.standard_normal((args.queries, args.dim)).astype(np.float32)
    queries /= np.linalg.norm(queries, axis=1, keepdims=True)
    return vecs, texts, space_of, queries, q_space


def write_payloads(path, bodies):
    with open(path, "wb") as f:
        for b in bodies:
            f.write(len(b).to_bytes(4, "big") + b)
    return "@" + str(path)


def engram_side(args, load, binary, vecs, texts, space_of, queries, q_space, tmp):
    from engram import Client
    from engram import protocol as p

    port = free_port()
    proc = subprocess.Popen([str(binary), "serve", "--data", str(tmp / "engram"), "--port", str(port), "--no-admin",
                             "--log-level", "error"])
    try:
        wait_port(port, proc, "engram")
        stores = write_payloads(tmp / "store.bin", (p.pack({"function": "memories:store", "args": {
            "memorySpaceId": f"space-{space_of[i]}", "content": texts[i], "contentType": "raw",
            "embedding": [float(x) for x in vecs[i]], "sourceType": "conversation", "userId": "user-1",
            "importance": 50.0, "tags": []}}) for i in range(len(texts))))
        searches = [{"memorySpaceId": f"space-{q_space[j]}", "query": "recall",
                     "embedding": [float(x) for x in queries[j]], "limit": 10.0} for j in range(len(queries))]
        search_file = write_payloads(tmp / "search.bin", (p.pack({"function": "memories:search", "args": a})
                                                          for a in searches))
        store_args = argparse.Namespace(connections=args.connections, pipeline=1, requests=len(texts))
        store_rps, store_p50, store_p99 = engram_run(load, port, store_args, "call", stores)
        search_args = argparse.Namespace(connections=args.connections, pipeline=1, requests=len(searches))
        search_rps, _, _ = engram_run(load, port, search_args, "call", search_file)
        latencies, hits = [], 0
        index_of = {t: i for i, t in enumerate(texts)}
        with Client(f"engram://127.0.0.1:{port}") as c:
            for j, a in enumerate(searches):
                t = time.perf_counter()
                result = c.call("memories:search", a)
                latencies.append(time.perf_counter() - t)
                in_space = np.flatnonzero(space_of == q_space[j])
                best = in_space[np.argmax(vecs[in_space] @ queries[j])]
                if result and result[0]["content"] == texts[best]:
                    hits += 1
                elif result:
                    got = index_of.get(result[0]["content"], -1)
                    print(f"  recall miss: query {j} expected row {best} (cosine {vecs[best] @ queries[j]:.6f}), "
                          f"got row {got} (cosine {vecs[got] @ queries[j] if got >= 0 else float('nan'):.6f})",
                          file=sys.stderr)
    finally:
        proc.terminate()
        proc.wait(timeout=120)
    return dict(store_rps=store_rps, store_p50=store_p50, store_p99=store_p99, search_rps=search_rps,
                search_p50=statistics.median(latencies) * 1e3,
                search_p99=sorted(latencies)[int(len(latencies) * 0.99)] * 1e3, recall1=hits / len(searches))


def chroma_side(args, vecs, texts, space_of, queries, q_space, tmp):
    import chromadb

    client = chromadb.PersistentClient(path=str(tmp / "chroma"))
    coll = client.create_collection("memories", metadata={"hnsw:space": "cosine"})
    t = time.perf_counter()
    for i in range(len(texts)):
        coll.add(ids=[f"m{i}"], embeddings=[vecs[i].tolist()], documents=[texts[i]],
                 metadatas=[{"memorySpaceId": f"space-{space_of[i]}", "userId": "user-1"}])
    store_rps = len(texts) / (time.perf_counter() - t)
    latencies = []
    t0 = time.perf_counter()
    for j in range(len(queries)):
        t = time.perf_counter()
        coll.query(query_embeddings=[queries[j].tolist()], n_results=10,
                   where={"memorySpaceId": f"space-{q_space[j]}"})
        latencies.append(time.perf_counter() - t)
    search_rps = len(queries) / (time.perf_counter() - t0)
    return dict(store_rps=store_rps, search_rps=search_rps, search_p50=statistics.median(latencies) * 1e3,
                search_p99=sorted(latencies)[int(len(latencies) * 0.99)] * 1e3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--spaces", type=int, default=100)
    ap.add_argument("--per-space", type=int, default=1000)
    ap.add_argument("--dim", type=int, default=384)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--connections", type=int, default=32)
    args = ap.parse_args()
    load, binary = ensure_tools(redis=False)
    rng = np.random.default_rng(7)
    vecs, texts, space_of, queries, q_space = make_data(args, rng)
    tmp = Path(tempfile.mkdtemp(prefix="engram-memories-bench-"))
    try:
        e = engram_side(args, load, binary, vecs, texts, space_of, queries, q_space, tmp)
        c = chroma_side(args, vecs, texts, space_of, queries, q_space, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{args.spaces} spaces x {args.per_space} memories, {args.dim}-d, {args.queries} queries; "
          f"Engram over the wire with {args.connections} clients for throughput, 1 client for latency")
    print(f"{'system':<10}{'stores/s':>10}{'searches/s':>12}{'search p50 ms':>15}{'search p99 ms':>15}")
    print(f"{'Engram':<10}{e['store_rps']:>10,.0f}{e['search_rps']:>12,.0f}{e['search_p50']:>15.3f}{e['search_p99']:>15.3f}")
    print(f"{'Chroma':<10}{c['store_rps']:>10,.0f}{c['search_rps']:>12,.0f}{c['search_p50']:>15.3f}{c['search_p99']:>15.3f}")
    print(f"Engram/Chroma: stores {e['store_rps'] / c['store_rps']:.1f}x, search p50 "
          f"{c['search_p50'] / e['search_p50']:.1f}x lower; Engram store p50/p99 under load "
          f"{e['store_p50']:.3f}/{e['store_p99']:.3f} ms; Engram recall@1 vs exact {e['recall1']:.3f}")


if __name__ == "__main__":
    main()
