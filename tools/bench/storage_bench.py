#!/usr/bin/env python3
"""Storage throughput and latency: Engram beside raw LMDB, in one run.

Inserts: Engram (one commit per request vs group commit) beside raw LMDB.

Engram inserts ~1 KB documents with three secondary indexes, durably (fsync per
commit). Raw LMDB (py-lmdb, the same C library) does the equivalent key writes: the
document plus three index entries per insert, durably, one transaction per insert or
64 inserts per transaction. One run, one table; ratios are within the run.

Reads: with N documents loaded, indexed point lookups (index entry → document), range
scans of 100 documents, and a full scan in index order across all shards. Raw LMDB does
the same key-level work (cursor seek on an index key, then a get of the document).

Usage: tools/bench/storage_bench.py [--sequential N] [--grouped N] [--writers W] [--read-docs N]
"""
import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def ensure(package, module):
    try:
        return __import__(module)
    except ImportError:
        subprocess.check_call([sys.executable, "-m", "pip", "install", "--quiet", package])
        return __import__(module)


def engram(docs, writers):
    binary = os.path.join(ROOT, ".build", "release", "StorageBench")
    out = subprocess.check_output([binary, "insert", "--docs", str(docs), "--writers", str(writers),
                                   "--dir", tempfile.mkdtemp(prefix="engram-bench-")])
    return json.loads(out)["docsPerSecond"]


def lmdb_raw(lmdb, docs, per_txn):
    path = tempfile.mkdtemp(prefix="lmdb-bench-")
    env = lmdb.open(path, map_size=1 << 30, max_dbs=8, sync=True)
    main, ix = env.open_db(b"docs"), [env.open_db(b"ix%d" % i) for i in range(3)]
    body = b"lorem ipsum dolor sit amet " * 35
    start = time.perf_counter()
    i = 0
    while i < docs:
        with env.begin(write=True) as txn:
            for j in range(i, min(i + per_txn, docs)):
                key = j.to_bytes(16, "big")
                txn.put(key, body, db=main)
                txn.put(b"user-%d" % (j % 1000) + key, b"", db=ix[0])
                txn.put(b"space-%d" % (j % 50) + j.to_bytes(8, "big") + key, b"", db=ix[1])
                txn.put([b"note", b"fact", b"event"][j % 3] + key, b"", db=ix[2])
        i += per_txn
    elapsed = time.perf_counter() - start
    env.close()
    shutil.rmtree(path)
    return docs / elapsed


def engram_reads(docs, shards):
    binary = os.path.join(ROOT, ".build", "release", "StorageBench")
    out = subprocess.check_output([binary, "reads", "--docs", str(docs), "--shards", str(shards), "--no-sync",
                                   "--dir", tempfile.mkdtemp(prefix="engram-bench-")])
    return json.loads(out)


def pct(samples, p):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(len(samples) * p / 100))] * 1e6


def lmdb_reads(lmdb, docs):
    path = tempfile.mkdtemp(prefix="lmdb-bench-")
    env = lmdb.open(path, map_size=1 << 30, max_dbs=8, sync=False)
    main, by_user, by_space = env.open_db(b"docs"), env.open_db(b"user"), env.open_db(b"space")
    body = b"lorem ipsum dolor sit amet " * 35
    with env.begin(write=True) as txn:
        for j in range(docs):
            key = j.to_bytes(16, "big")
            txn.put(key, body, db=main)
            txn.put(b"user-%d" % j + key, b"", db=by_user)
            txn.put(b"space-%d" % (j % 50) + j.to_bytes(8, "big") + key, b"", db=by_space)
    point, ranges = [], []
    with env.begin() as txn:
        cu, cs = txn.cursor(db=by_user), txn.cursor(db=by_space)
        for k in range(20000):
            t = time.perf_counter()
            prefix = b"user-%d" % ((k * 7919) % docs)
            cu.set_range(prefix)
            txn.get(cu.key()[-16:], db=main)
            point.append(time.perf_counter() - t)
        for k in range(2000):
            t = time.perf_counter()
            cs.set_range(b"space-%d" % (k % 50) + ((k * 37) % max(1, docs - 5000)).to_bytes(8, "big"))
            n = 0
            for key, _ in cs:
                txn.get(key[-16:], db=main)
                n += 1
                if n == 100:
                    break
            ranges.append(time.perf_counter() - t)
        t = time.perf_counter()
        n = 0
        for key, _ in txn.cursor(db=by_user):
            txn.get(key[-16:], db=main)
            n += 1
        scan = n / (time.perf_counter() - t)
    env.close()
    shutil.rmtree(path)
    return {"pointP50us": pct(point, 50), "pointP99us": pct(point, 99), "range100P50us": pct(ranges, 50),
            "range100P99us": pct(ranges, 99), "orderedScanDocsPerSecond": scan}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sequential", type=int, default=1000)
    ap.add_argument("--grouped", type=int, default=20000)
    ap.add_argument("--writers", type=int, default=64)
    ap.add_argument("--read-docs", type=int, default=50000)
    args = ap.parse_args()
    lmdb = ensure("lmdb", "lmdb")
    subprocess.check_call(["swift", "build", "-c", "release", "--product", "StorageBench"], cwd=ROOT,
                          stdout=subprocess.DEVNULL)

    e_seq = engram(args.sequential, 1)
    e_grp = engram(args.grouped, args.writers)
    l_seq = lmdb_raw(lmdb, args.sequential, 1)
    l_grp = lmdb_raw(lmdb, args.grouped, args.writers)

    print(f"# storage_bench on {platform.node()} ({os.cpu_count()} cores), {time.strftime('%Y-%m-%d')}")
    print("| system | one commit per insert (docs/s) | batched, 64 per commit (docs/s) | batched / one |")
    print("|---|---|---|---|")
    print(f"| Engram (group commit, {args.writers} concurrent writers) | {e_seq:,.0f} | {e_grp:,.0f} | {e_grp / e_seq:.1f}× |")
    print(f"| raw LMDB (py-lmdb, 4 puts per insert) | {l_seq:,.0f} | {l_grp:,.0f} | {l_grp / l_seq:.1f}× |")
    print(f"| Engram / raw LMDB | {e_seq / l_seq:.2f} | {e_grp / l_grp:.2f} | |")
    print()
    raw = lmdb_reads(lmdb, args.read_docs)
    rows = [("raw LMDB (py-lmdb, one environment)", raw)]
    for shards in (1, 2, 4):
        rows.append((f"Engram, {shards} shard(s)", engram_reads(args.read_docs, shards)))
    print(f"Reads over {args.read_docs:,} documents")
    print("| system | point lookup p50 / p99 (µs) | 100-doc range scan p50 / p99 (µs) | ordered full scan (docs/s) |")
    print("|---|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r['pointP50us']:.1f} / {r['pointP99us']:.1f} | {r['range100P50us']:.0f} / "
              f"{r['range100P99us']:.0f} | {r['orderedScanDocsPerSecond']:,.0f} |")


if __name__ == "__main__":
    main()
