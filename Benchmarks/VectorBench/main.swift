// Vector benchmark driver for tools/bench/vector_bench.py (issue 3); filled in with the index.
