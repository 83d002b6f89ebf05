#ifndef ENGRAM_VECTOR_KERNELS_H
#define ENGRAM_VECTOR_KERNELS_H

// Distance kernels for float32 vectors, one pair at a time.
//
// Each function is compiled for AVX-512, AVX2+FMA and plain C; the best variant the
// CPU supports is chosen once, at first use. No alignment is required of either
// argument (vectors read straight from LMDB pages are only 2-byte aligned).

#include <stddef.h>

/// The inner product of the `n` floats at `a` and at `b`.
float engram_dot(const void *a, const void *b, size_t n);

/// The squared Euclidean distance between the `n` floats at `a` and at `b`.
float engram_l2sq(const void *a, const void *b, size_t n);

/// The inner products of the `n` floats at `q` with those at each of `v[0]`…`v[3]`,
/// into `out[0]`…`out[3]`: exactly the values of four `engram_dot(q, v[k], n)` calls,
/// computed together so that the four vectors' loads overlap.
void engram_dot4(const void *q, const void *const v[4], size_t n, float out[4]);

/// The squared Euclidean distances of `q` to each of `v[0]`…`v[3]`, as four
/// `engram_l2sq` calls would give them, computed together.
void engram_l2sq4(const void *q, const void *const v[4], size_t n, float out[4]);

/// The name of the variant in use: "avx512", "avx2" or "scalar".
const char *engram_kernel_variant(void);

/// Hints the CPU to start loading the cache line at `p` (no effect on results).
static inline void engram_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
