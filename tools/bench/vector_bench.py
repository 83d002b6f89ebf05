#!/usr/bin/env python3
"""Engram's HNSW vector index beside hnswlib and FAISS, in one run.

Data (vector_data.py, cached in tools/bench/data/vector/): seeded Gaussian mixtures,
L2-normalised, metric cosine (= inner product): `100k-384` (100,000 x 384) and `1m-128`
(1,000,000 x 128), 1,000 centres each, 1,000 queries from the same mixture; exact top-100
ground truth (faiss IndexFlatIP) and the exact top 10 under a 1% filter (row % 100 == 7).

Systems, all HNSW with M = 16, efConstruction = 200:
- Engram (the VectorBench driver: documents {"v": vector, "tag": row % 100, "row": row}),
- hnswlib (space "ip"),
- FAISS IndexHNSWFlat(dim, 16, METRIC_INNER_PRODUCT),
- FAISS IndexFlatIP (exact search; Engram's --exact is compared with it).

Measured per system on the same machine in the same run (each peer in its own process, so
its RSS is its own):
- build time with 1 thread and with all cores (the graph fully built; Engram has one
  writer thread per shard, so its all-cores build uses one shard per core),
- index size (hnswlib save_index file, faiss write_index file, Engram's reported bytes),
- RSS growth over the build with 1 thread (psutil; the vectors loaded before),
- for ef in {10, 16, 32, 48, 64, 96, 128, 192, 256}: recall@10 against the exact top 10,
  and QPS / p50 / p99 with one thread answering one query per call (the headline: Engram
  answers one query per request), after a warm-up pass, as the median of 3 passes (this
  machine is noisy); the peers' batch QPS (all queries in one call, one
  thread) is reported for reference,
- exact search QPS (Engram --exact vs FAISS IndexFlatIP, one query per call),
- Engram's filtered search (tag == 7, in the index) against post-filtering (unfiltered
  HNSW top 1000, then filtered),
- Engram's first answered query after process start (target <= 2 s on 1m-128; the
  store was just built, so its files are in the page cache).

Ratios: Engram/peer QPS, each at its smallest ef reaching recall@10 >= 0.95; Engram/peer
build time; Engram/FAISS exact QPS; filtered/post-filtered QPS. Raw results go to
tools/bench/results/vector-<date>.json (gitignored).

usage: tools/bench/vector_bench.py [--datasets 100k-384,1m-128] [--scale 1.0] [--smoke]
                                   [--skip-engram] [--vectorbench PATH] [--scratch-path .build]
"""

import argparse
import datetime
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = HERE / "data" / "vector"
RESULTS = HERE / "results"
PACKAGES = ["hnswlib", "faiss-cpu", "numpy", "psutil"]
M, EFC, K = 16, 200, 10
EFS = [10, 16, 32, 48, 64, 96, 128, 192, 256]
PEERS = ["hnswlib", "faiss-hnsw", "faiss-flat"]
TARGET_RECALL = 0.95
PASSES = 3  # timed passes per sweep point, after one warm-up pass; the median is reported


sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_venv import run_in_venv  # noqa: E402

run_in_venv(__file__, PACKAGES, "import hnswlib, faiss, numpy, psutil")
sys.path.insert(0, str(HERE))
import numpy as np  # noqa: E402
import psutil  # noqa: E402
import vector_data  # noqa: E402

CORES = os.cpu_count() or 1


def recall(labels, truth):
    """Mean fraction of the exact top k found in each row of labels ([nq, k] each)."""
    return float((labels[:, :, None] == truth[:, None, :]).any(axis=2).mean())


def timed_pass(search, queries):
    """Runs search(one-row array) per query; (labels [nq, K], qps, p50 us, p99 us)."""
    labels, lat = [], []
    start = time.perf_counter()
    for i in range(len(queries)):
        t0 = time.perf_counter_ns()
        labels.append(search(queries[i:i + 1]))
        lat.append(time.perf_counter_ns() - t0)
    total = time.perf_counter() - start
    lat = np.array(lat) / 1e3
    return np.vstack(labels), len(queries) / total, float(np.percentile(lat, 50)), float(np.percentile(lat, 99))


def timed_queries(search, queries):
    """PASSES passes of timed_pass; the one with the median QPS (the machine is noisy)."""
    runs = sorted((timed_pass(search, queries) for _ in range(PASSES)), key=lambda r: r[1])
    return runs[len(runs) // 2]


def file_size(save):
    with tempfile.TemporaryDirectory(dir=DATA) as tmp:
        path = os.path.join(tmp, "index")
        save(path)
        return os.path.getsize(path)


# ---------------------------------------------------------------- peers (one process each)

def run_peer(name, directory):
    """Builds and searches one peer; returns its result dict. Runs in a child process."""
    import faiss
    import hnswlib
    meta = vector_data.meta(directory)
    dim = meta["dim"]
    base = vector_data.load(directory / "base.f32", dim)
    queries = vector_data.load(directory / "queries.f32", dim)
    truth = vector_data.load(directory / "truth.i32", meta["truth_k"], "<i4")[:, :K]
    proc = psutil.Process()

    def make(threads):
        t0 = time.perf_counter()
        if name == "hnswlib":
            index = hnswlib.Index(space="ip", dim=dim)
            index.init_index(max_elements=len(base), M=M, ef_construction=EFC, random_seed=100)
            index.add_items(base, np.arange(len(base)), num_threads=threads)
        else:
            faiss.omp_set_num_threads(threads)
            if name == "faiss-hnsw":
                index = faiss.IndexHNSWFlat(dim, M, faiss.METRIC_INNER_PRODUCT)
                index.hnsw.efConstruction = EFC
            else:
                index = faiss.IndexFlatIP(dim)
            index.add(base)
        return index, time.perf_counter() - t0

    gc.collect()
    rss0 = proc.memory_info().rss
    index, build_1 = make(1)
    out = {"system": name, "build_s_1": build_1, "rss_delta": proc.memory_info().rss - rss0}
    if name == "hnswlib":
        out["index_bytes"] = file_size(index.save_index)
        index.set_num_threads(1)
    else:
        out["index_bytes"] = file_size(lambda p: faiss.write_index(index, p))
        faiss.omp_set_num_threads(1)

    def sweep_point(ef):
        if name == "hnswlib":
            index.set_ef(ef)
            one = lambda q: index.knn_query(q, k=K, num_threads=1)[0]  # noqa: E731
        else:
            if ef is not None:
                index.hnsw.efSearch = ef
            one = lambda q: index.search(q, K)[1]  # noqa: E731
        labels, qps, p50, p99 = timed_queries(one, queries)
        t0 = time.perf_counter()
        batch = one(queries)
        batch_qps = len(queries) / (time.perf_counter() - t0)
        return {"ef": ef, "recall": recall(labels, truth), "qps": qps, "p50_us": p50, "p99_us": p99,
                "batch_qps": batch_qps, "batch_recall": recall(batch, truth)}

    if name == "hnswlib":
        index.set_ef(EFS[0])
        timed_pass(lambda q: index.knn_query(q, k=K, num_threads=1)[0], queries)  # warm-up
    else:
        timed_pass(lambda q: index.search(q, K)[1], queries)  # warm-up
    out["search"] = [sweep_point(None)] if name == "faiss-flat" else [sweep_point(ef) for ef in EFS]
    del index
    gc.collect()
    out["build_s_all"] = make(CORES)[1]
    return out


def peer(name, directory):
    """Runs run_peer in a fresh interpreter (clean RSS, no allocator reuse between peers)."""
    cmd = [sys.executable, __file__, "--peer", name, "--peer-dir", str(directory)]
    print(f"  {name} …", file=sys.stderr, flush=True)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# ---------------------------------------------------------------- Engram (the VectorBench driver)

def driver(binary, *args):
    """Runs VectorBench; its JSON lines (stdout) as a list, progress (stderr) passed through."""
    cmd = [binary, *map(str, args)]
    print("  $ " + " ".join(cmd), file=sys.stderr, flush=True)
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def engram(binary, directory, args):
    meta = vector_data.meta(directory)
    dim, base = meta["dim"], directory / "base.f32"
    common = ["--base", base, "--dim", dim, "--m", M, "--efc", EFC, "--metric", "cosine", "--tag-modulo", 100]
    builds = {}
    # One writer thread per shard: the all-cores build uses one shard per core. The
    # 1-shard store is built last and searched.
    for threads in (CORES, 1):
        store = directory / f"engram-t{threads}"
        shutil.rmtree(store, ignore_errors=True)
        builds[threads] = driver(binary, "build", "--data", store, "--shards", threads, *common)[-1]
        if threads != 1:
            shutil.rmtree(store, ignore_errors=True)
    lines = driver(binary, "search", "--data", directory / "engram-t1", "--queries", directory / "queries.f32",
                   "--dim", dim, "--truth", directory / "truth.i32", "--k", K, "--ef", ",".join(map(str, EFS)),
                   "--passes", PASSES, "--exact", "--filter-truth", directory / "filter_truth.i32")
    phase = lambda p: [x for x in lines if x.get("phase") == p]  # noqa: E731
    first = phase("first_query")
    return {"system": "engram", "build_s_1": builds[1]["seconds"], "build_s_all": builds[CORES]["seconds"],
            "index_bytes": builds[1].get("index_bytes"), "rss_delta": builds[1].get("rss_bytes"),
            "builds": builds, "search": phase("search"), "exact": (phase("exact") or [None])[0],
            "filter": (phase("filter") or [None])[0], "postfilter": (phase("postfilter") or [None])[0],
            "first_query_s": first[0]["seconds"] if first else None}


# ---------------------------------------------------------------- report

def at_target(result):
    """The first sweep point (smallest ef) with recall >= TARGET_RECALL, or None."""
    return next((p for p in sorted(result["search"], key=lambda p: p["ef"]) if p["recall"] >= TARGET_RECALL), None)


def fmt(x, spec):
    return "—" if x is None else format(x, spec)


def report(name, meta, results):
    print(f"\n### {name}: {meta['n']:,} x {meta['dim']}, {meta['nq']:,} queries, M={M} efC={EFC}, k={K}\n")
    print("| system | ef | recall@10 | QPS (1 query/call) | p50 µs | p99 µs | batch QPS |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        for p in r["search"]:
            label = "faiss-flat (exact)" if r["system"] == "faiss-flat" else r["system"]
            print(f"| {label} | {fmt(p['ef'], 'd')} | {p['recall']:.4f} | {p['qps']:,.0f} | {p['p50_us']:,.1f} | "
                  f"{fmt(p.get('p99_us'), ',.1f')} | {fmt(p.get('batch_qps'), ',.0f')} |")
    e = next((r for r in results if r["system"] == "engram"), None)
    if e:
        for key, label in (("exact", "engram (exact)"), ("filter", "engram filter tag==7"),
                           ("postfilter", "engram post-filter k=1000")):
            p = e[key]
            if p:
                print(f"| {label} | — | {p['recall']:.4f} | {p['qps']:,.0f} | {p['p50_us']:,.1f} | "
                      f"{fmt(p.get('p99_us'), ',.1f')} | — |")

    print(f"\n| system | build s (1 thread) | build s ({CORES} threads) | index MB | RSS Δ MB (1-thread build) |")
    print("|---|---:|---:|---:|---:|")
    for r in results:
        mb = lambda b: None if b is None else b / 2**20  # noqa: E731
        print(f"| {r['system']} | {r['build_s_1']:,.1f} | {r['build_s_all']:,.1f} | {fmt(mb(r['index_bytes']), ',.1f')} | "
              f"{fmt(mb(r['rss_delta']), ',.1f')} |")

    by = {r["system"]: r for r in results}
    print()
    for r in results:
        if r["system"] != "faiss-flat":
            p = at_target(r)
            print(f"- {r['system']}: smallest ef with recall@10 >= {TARGET_RECALL}: "
                  + (f"ef={p['ef']} (recall {p['recall']:.4f}, {p['qps']:,.0f} QPS)" if p else "none in the sweep"))
    if e:
        ep = at_target(e)
        for other in (p for p in ("hnswlib", "faiss-hnsw") if p in by):  # --peers may leave some out
            op = at_target(by[other])
            if ep and op:
                print(f"- QPS Engram/{other} at recall >= {TARGET_RECALL}: {ep['qps'] / op['qps']:.2f}x")
            print(f"- build time Engram/{other}: 1 thread {e['build_s_1'] / by[other]['build_s_1']:.2f}x, "
                  f"{CORES} threads {e['build_s_all'] / by[other]['build_s_all']:.2f}x")
        if e["exact"] and "faiss-flat" in by:
            print(f"- exact QPS Engram/FAISS IndexFlatIP: {e['exact']['qps'] / by['faiss-flat']['search'][0]['qps']:.2f}x")
        if e["filter"] and e["postfilter"]:
            print(f"- filtered (in-index) vs post-filter: {e['filter']['qps'] / e['postfilter']['qps']:.2f}x QPS "
                  f"(recall {e['filter']['recall']:.4f} vs {e['postfilter']['recall']:.4f})")
        if e["first_query_s"] is not None:
            verdict = "" if meta["n"] < 1_000_000 else (" (target <= 2 s: " + ("met" if e["first_query_s"] <= 2 else "MISSED") + ")")
            print(f"- first query after process start: {e['first_query_s']:.2f} s{verdict}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--datasets", default="100k-384,1m-128", help="comma-separated: " + ", ".join(vector_data.DATASETS))
    ap.add_argument("--scale", type=float, default=1.0, help="shrink the base rows by this factor (smoke runs)")
    ap.add_argument("--smoke", action="store_true", help="only the 10k x 64 set with 100 queries")
    ap.add_argument("--skip-engram", action="store_true", help="peers only")
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--vectorbench", help="a built VectorBench binary (default: build it)")
    ap.add_argument("--scratch-path", default=".build")
    ap.add_argument("--peer", help=argparse.SUPPRESS)
    ap.add_argument("--peer-dir", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer:
        print(json.dumps(run_peer(args.peer, Path(args.peer_dir))))
        return

    names = ["smoke"] if args.smoke else args.datasets.split(",")
    binary = args.vectorbench
    if not args.skip_engram and not binary:
        subprocess.run(["swift", "build", "-c", "release", "--product", "VectorBench", "--scratch-path", args.scratch_path],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        binary = str(ROOT / args.scratch_path / "release" / "VectorBench")

    host = {"cores": CORES, "memory_gb": round(psutil.virtual_memory().total / 2**30, 1), "cpu": _cpu_name(),
            "hnswlib": _version("hnswlib"), "faiss-cpu": _version("faiss-cpu"), "numpy": np.__version__}
    everything = {"date": datetime.datetime.now().isoformat(timespec="seconds"), "host": host, "datasets": {}}
    for name in names:
        directory = vector_data.build(DATA, name, args.scale)
        meta = vector_data.meta(directory)
        print(f"{meta['name']}: {meta['n']:,} x {meta['dim']} …", file=sys.stderr, flush=True)
        results = [] if args.skip_engram else [engram(binary, directory, args)]
        results += [peer(p, directory) for p in args.peers.split(",")]
        everything["datasets"][meta["name"]] = {"meta": meta, "results": results}
        report(meta["name"], meta, results)

    print(f"\nhost: {host}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"vector-{datetime.date.today().isoformat()}.json"
    out.write_text(json.dumps(everything, indent=1))
    print(f"raw results: {out.relative_to(ROOT)}")


def _cpu_name():
    try:
        return next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        return None


def _version(package):
    from importlib.metadata import version
    return version(package)


if __name__ == "__main__":
    main()
