"""Builds the vector benchmark's data sets (used by vector_bench.py).

Each data set is a Gaussian mixture with a fixed seed: `centres` centres drawn from N(0, I),
every base row and query is a centre chosen uniformly at random plus N(0, I) noise (so a
point's cosine to its centre is about 0.7), then L2-normalised. Queries are drawn from the
same mixture (same centres, fresh noise). The metric is cosine, which on normalised
vectors is the inner product.

Files in tools/bench/data/vector/<name>/ (gitignored), all little-endian, row-major:
  base.f32          float32 [n, dim]
  queries.f32       float32 [nq, dim]
  truth.i32         int32 [nq, 100]: the 100 exact nearest base rows per query, best first
                    (faiss IndexFlatIP)
  filter_truth.i32  int32 [nq, 10]: the exact top 10 among base rows with row % 100 == 7
  meta.json         n, dim, nq, centres, seed; written last (its presence = complete)
"""

import json
import time
from pathlib import Path

import numpy as np

# name: (base rows, dim, centres, queries, seed)
DATASETS = {
    "100k-384": (100_000, 384, 1000, 1000, 384),
    "1m-128": (1_000_000, 128, 1000, 1000, 128),
    "smoke": (10_000, 64, 100, 100, 64),
}
TRUTH_K = 100
FILTER_MODULO, FILTER_TAG, FILTER_K = 100, 7, 10
CHUNK = 100_000


def spec(name, scale=1.0):
    """(directory name, n, dim, centres, nq, seed) of a data set, its base shrunk by `scale`."""
    n, dim, centres, nq, seed = DATASETS[name]
    if scale != 1.0:
        n = max(1000, int(n * scale))
        name = f"{name}-x{scale:g}"
    return name, n, dim, centres, nq, seed


def _mixture(rng, centres, rows, dim):
    which = rng.integers(0, len(centres), rows)
    x = centres[which] + rng.standard_normal((rows, dim), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype("<f4", copy=False)


def build(root, name, scale=1.0):
    """Generates (or finds cached) data set `name`; returns its directory."""
    dirname, n, dim, ncentres, nq, seed = spec(name, scale)
    out = Path(root) / dirname
    if (out / "meta.json").exists():
        return out
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((ncentres, dim), dtype=np.float32)
    with open(out / "base.f32", "wb") as f:
        for start in range(0, n, CHUNK):
            _mixture(rng, centres, min(CHUNK, n - start), dim).tofile(f)
    queries = _mixture(rng, centres, nq, dim)
    queries.tofile(out / "queries.f32")

    import faiss
    base = load(out / "base.f32", dim)
    index = faiss.IndexFlatIP(dim)
    index.add(base)
    _, truth = index.search(queries, min(TRUTH_K, n))
    truth.astype("<i4").tofile(out / "truth.i32")
    rows = np.arange(FILTER_TAG, n, FILTER_MODULO)
    sub = faiss.IndexFlatIP(dim)
    sub.add(np.ascontiguousarray(base[rows]))
    _, local = sub.search(queries, FILTER_K)
    rows[local].astype("<i4").tofile(out / "filter_truth.i32")

    meta = {"name": dirname, "n": n, "dim": dim, "nq": nq, "centres": ncentres, "seed": seed,
            "truth_k": min(TRUTH_K, n), "filter": f"row % {FILTER_MODULO} == {FILTER_TAG}",
            "seconds": round(time.perf_counter() - t0, 1)}
    (out / "meta.json").write_text(json.dumps(meta, indent=1))
    return out


def load(path, dim, dtype="<f4"):
    """A raw row-major file as an [rows, dim] array."""
    return np.fromfile(path, dtype=dtype).reshape(-1, dim)


def meta(directory):
    return json.loads((Path(directory) / "meta.json").read_text())
