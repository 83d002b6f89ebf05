// The text index target (issue 4): tokenizer, inverted index, BM25, hybrid.
