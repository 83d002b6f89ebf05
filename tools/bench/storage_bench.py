#!/usr/bin/env python3
"""Insert throughput: Engram (one commit per request vs group commit) beside raw LMDB.

Engram inserts ~1 KB documents with three secondary indexes, durably (fsync per
commit). Raw LMDB (py-lmdb, the same C library) does the equivalent key writes: the
document plus three index entries per insert, durably, one transaction per insert or
64 inserts per transaction. One run, one table; ratios are within the run.

Usage: tools/bench/storage_bench.py [--sequential N] [--grouped N] [--writers W]
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
    out = subprocess.check_output([binary, "--docs", str(docs), "--writers", str(writers),
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sequential", type=int, default=1000)
    ap.add_argument("--grouped", type=int, default=20000)
    ap.add_argument("--writers", type=int, default=64)
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


if __name__ == "__main__":
    main()
