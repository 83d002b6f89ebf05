#!/usr/bin/env python3
"""Engram's wire protocol against Redis, side by side in one run.

64 connections, pipelined requests: Engram `ping` and a small `call` (get by id,
`probe:get` on a one-document collection) against Redis PING and GET, on loopback.
The Engram load generator is server_load.c (single-threaded C, epoll), compiled here;
Redis is driven by redis-benchmark with the same connections, pipeline depth and
request count. Each pair runs alternately for several rounds; the table gives the
median of the rounds and the Engram/Redis ratio.

Installs what it needs: Debian's redis-server and redis-tools (apt), gcc's output
under tools/bench/data/, and a release build of engram.

usage: tools/bench/server_bench.py [--requests 1000000] [--connections 64] [--pipeline 16] [--rounds 3]
"""

import argparse
import csv
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "python"))


def sh(*cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, proc, what):
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not start")


def ensure_tools(redis=True):
    """Installs Redis (unless `redis` is false), compiles the load generator and builds
    engram in release mode; returns the paths of both binaries."""
    if redis and (not shutil.which("redis-server") or not shutil.which("redis-benchmark")):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        sh("apt-get", "update", "-qq", env=env)
        sh("apt-get", "install", "-y", "-qq", "redis-server", "redis-tools", env=env, stdout=subprocess.DEVNULL)
    out = ROOT / "tools" / "bench" / "data"
    out.mkdir(parents=True, exist_ok=True)
    load = out / "server_load"
    sh("gcc", "-O2", "-o", str(load), str(ROOT / "tools" / "bench" / "server_load.c"))
    sh("swift", "build", "-c", "release", "--product", "engram", cwd=ROOT, stdout=subprocess.DEVNULL)
    return load, ROOT / ".build" / "release" / "engram"


def engram_run(load, port, args, mode, payload_hex=""):
    cmd = [str(load), "127.0.0.1", str(port), str(args.connections), str(args.pipeline), str(args.requests), mode]
    if payload_hex:
        cmd.append(payload_hex)
    line = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()
    fields = dict(kv.split("=") for kv in line.split())
    return float(fields["rps"]), float(fields["p50_ms"]), float(fields["p99_ms"])


def redis_run(port, args, test):
    out = subprocess.run(
        ["redis-benchmark", "-p", str(port), "-c", str(args.connections), "-P", str(args.pipeline), "-n",
         str(args.requests), "-t", test, "--csv", "--precision", "3"],
        check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    wanted = {"ping": "PING_MBULK", "get": "GET"}[test]
    row = next(r for r in rows if r["test"] == wanted)
    return float(row["rps"]), float(row["p50_latency_ms"]), float(row["p99_latency_ms"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=1_000_000)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--pipeline", type=int, default=16)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    load, engram = ensure_tools()

    from engram import Client
    from engram import protocol as p

    tmp = Path(tempfile.mkdtemp(prefix="engram-bench-"))
    eport, rport = free_port(), free_port()
    eproc = subprocess.Popen([str(engram), "serve", "--data", str(tmp / "data"), "--port", str(eport), "--no-admin",
                              "--probe-functions", "--log-level", "error"])
    rproc = subprocess.Popen(["redis-server", "--port", str(rport), "--save", "", "--appendonly", "no",
                              "--bind", "127.0.0.1", "--dir", str(tmp)], stdout=subprocess.DEVNULL)
    try:
        wait_port(eport, eproc, "engram")
        wait_port(rport, rproc, "redis")
        with Client(f"engram://127.0.0.1:{eport}") as c:
            doc_id = c.call("probe:put", {"value": "x" * 16})["id"]
            assert c.call("probe:get", {"id": doc_id})["value"] == "x" * 16
        get_payload = p.pack({"function": "probe:get", "args": {"id": doc_id}}).hex()
        # redis-benchmark's GET reads key "key:__rand_int__" → "key:000000000000" etc.; set it.
        sh("redis-cli", "-p", str(rport), "SET", "key:__rand_int__", "x" * 16, stdout=subprocess.DEVNULL)

        results = {k: [] for k in ("engram ping", "redis PING", "engram call get", "redis GET")}
        for _ in range(args.rounds):
            results["engram ping"].append(engram_run(load, eport, args, "ping"))
            results["redis PING"].append(redis_run(rport, args, "ping"))
            results["engram call get"].append(engram_run(load, eport, args, "call", get_payload))
            results["redis GET"].append(redis_run(rport, args, "get"))
    finally:
        eproc.terminate()
        rproc.terminate()
        eproc.wait(timeout=60)
        rproc.wait(timeout=60)
        shutil.rmtree(tmp, ignore_errors=True)

    med = {k: tuple(statistics.median(r[i] for r in v) for i in range(3)) for k, v in results.items()}
    print(f"\n{args.connections} connections, pipeline {args.pipeline}, {args.requests} requests per run, "
          f"median of {args.rounds} rounds")
    print(f"{'workload':<18}{'req/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'vs Redis':>10}")
    for name, peer in (("engram ping", "redis PING"), ("redis PING", None), ("engram call get", "redis GET"),
                       ("redis GET", None)):
        rps, p50, p99 = med[name]
        ratio = f"{rps / med[peer][0]:.2f}x" if peer else ""
        print(f"{name:<18}{rps:>12,.0f}{p50:>10.3f}{p99:>10.3f}{ratio:>10}")


if __name__ == "__main__":
    main()
