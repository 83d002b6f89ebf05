// The vector index target (issue 3): kernels, exact and HNSW indexes.
