// Text benchmark driver for tools/bench/text_bench.py (issue 4); filled in with the index.
