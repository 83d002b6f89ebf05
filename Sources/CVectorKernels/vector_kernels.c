// Distance kernels with run-time dispatch; see include/vector_kernels.h.

#include "vector_kernels.h"

#include <immintrin.h>
#include <string.h>

// MARK: Scalar

static float dot_scalar(const void *a, const void *b, size_t n) {
    const unsigned char *pa = a, *pb = b;
    float sum = 0;
    for (size_t i = 0; i < n; i++) {
        float x, y;
        memcpy(&x, pa + 4 * i, 4);
        memcpy(&y, pb + 4 * i, 4);
        sum += x * y;
    }
    return sum;
}

static float l2sq_scalar(const void *a, const void *b, size_t n) {
    const unsigned char *pa = a, *pb = b;
    float sum = 0;
    for (size_t i = 0; i < n; i++) {
        float x, y;
        memcpy(&x, pa + 4 * i, 4);
        memcpy(&y, pb + 4 * i, 4);
        float d = x - y;
        sum += d * d;
    }
    return sum;
}

// MARK: AVX2 + FMA

__attribute__((target("avx2,fma"))) static inline float hsum256(__m256 v) {
    __m128 lo = _mm256_castps256_ps128(v), hi = _mm256_extractf128_ps(v, 1);
    lo = _mm_add_ps(lo, hi);
    lo = _mm_add_ps(lo, _mm_movehl_ps(lo, lo));
    lo = _mm_add_ss(lo, _mm_movehdup_ps(lo));
    return _mm_cvtss_f32(lo);
}

__attribute__((target("avx2,fma"))) static float dot_avx2(const void *a, const void *b, size_t n) {
    const float *pa = a, *pb = b;
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        s0 = _mm256_fmadd_ps(_mm256_loadu_ps(pa + i), _mm256_loadu_ps(pb + i), s0);
        s1 = _mm256_fmadd_ps(_mm256_loadu_ps(pa + i + 8), _mm256_loadu_ps(pb + i + 8), s1);
    }
    for (; i + 8 <= n; i += 8) s0 = _mm256_fmadd_ps(_mm256_loadu_ps(pa + i), _mm256_loadu_ps(pb + i), s0);
    return hsum256(_mm256_add_ps(s0, s1)) + dot_scalar(pa + i, pb + i, n - i);
}

__attribute__((target("avx2,fma"))) static float l2sq_avx2(const void *a, const void *b, size_t n) {
    const float *pa = a, *pb = b;
    __m256 s0 = _mm256_setzero_ps(), s1 = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(pa + i), _mm256_loadu_ps(pb + i));
        __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(pa + i + 8), _mm256_loadu_ps(pb + i + 8));
        s0 = _mm256_fmadd_ps(d0, d0, s0);
        s1 = _mm256_fmadd_ps(d1, d1, s1);
    }
    for (; i + 8 <= n; i += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(pa + i), _mm256_loadu_ps(pb + i));
        s0 = _mm256_fmadd_ps(d, d, s0);
    }
    return hsum256(_mm256_add_ps(s0, s1)) + l2sq_scalar(pa + i, pb + i, n - i);
}

// MARK: AVX-512

__attribute__((target("avx512f"))) static float dot_avx512(const void *a, const void *b, size_t n) {
    const float *pa = a, *pb = b;
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        s0 = _mm512_fmadd_ps(_mm512_loadu_ps(pa + i), _mm512_loadu_ps(pb + i), s0);
        s1 = _mm512_fmadd_ps(_mm512_loadu_ps(pa + i + 16), _mm512_loadu_ps(pb + i + 16), s1);
    }
    for (; i + 16 <= n; i += 16) s0 = _mm512_fmadd_ps(_mm512_loadu_ps(pa + i), _mm512_loadu_ps(pb + i), s0);
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        s1 = _mm512_fmadd_ps(_mm512_maskz_loadu_ps(m, pa + i), _mm512_maskz_loadu_ps(m, pb + i), s1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

__attribute__((target("avx512f"))) static float l2sq_avx512(const void *a, const void *b, size_t n) {
    const float *pa = a, *pb = b;
    __m512 s0 = _mm512_setzero_ps(), s1 = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 d0 = _mm512_sub_ps(_mm512_loadu_ps(pa + i), _mm512_loadu_ps(pb + i));
        __m512 d1 = _mm512_sub_ps(_mm512_loadu_ps(pa + i + 16), _mm512_loadu_ps(pb + i + 16));
        s0 = _mm512_fmadd_ps(d0, d0, s0);
        s1 = _mm512_fmadd_ps(d1, d1, s1);
    }
    for (; i + 16 <= n; i += 16) {
        __m512 d = _mm512_sub_ps(_mm512_loadu_ps(pa + i), _mm512_loadu_ps(pb + i));
        s0 = _mm512_fmadd_ps(d, d, s0);
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        __m512 d = _mm512_sub_ps(_mm512_maskz_loadu_ps(m, pa + i), _mm512_maskz_loadu_ps(m, pb + i));
        s1 = _mm512_fmadd_ps(d, d, s1);
    }
    return _mm512_reduce_add_ps(_mm512_add_ps(s0, s1));
}

// MARK: Four at a time
//
// A graph walk compares the query with several neighbours in a row. Computing four
// together keeps four independent streams of loads in flight, which is what bounds a
// walk over vectors that are not in cache (measured: 140-147 ns per random 384-d
// vector against 183-220 ns one at a time). Each lane repeats exactly the operations
// of the one-pair kernel of the same instruction set, so the results are identical.

static void batch4_scalar(const void *q, const void *const *v, size_t n, float *out, int l2) {
    for (int k = 0; k < 4; k++) out[k] = l2 ? l2sq_scalar(q, v[k], n) : dot_scalar(q, v[k], n);
}

__attribute__((target("avx2,fma"))) static inline __m256 term256(__m256 s, __m256 x, __m256 y, int l2) {
    if (l2) {
        __m256 d = _mm256_sub_ps(x, y);
        return _mm256_fmadd_ps(d, d, s);
    }
    return _mm256_fmadd_ps(x, y, s);
}

__attribute__((target("avx2,fma"))) static void batch4_avx2(const void *q, const void *const *v, size_t n, float *out, int l2) {
    const float *pq = q, *p[4] = {v[0], v[1], v[2], v[3]};
    __m256 s0[4], s1[4];
    for (int k = 0; k < 4; k++) s0[k] = s1[k] = _mm256_setzero_ps();
    size_t i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 x0 = _mm256_loadu_ps(pq + i), x1 = _mm256_loadu_ps(pq + i + 8);
        for (int k = 0; k < 4; k++) {
            s0[k] = term256(s0[k], x0, _mm256_loadu_ps(p[k] + i), l2);
            s1[k] = term256(s1[k], x1, _mm256_loadu_ps(p[k] + i + 8), l2);
        }
    }
    for (; i + 8 <= n; i += 8) {
        __m256 x = _mm256_loadu_ps(pq + i);
        for (int k = 0; k < 4; k++) s0[k] = term256(s0[k], x, _mm256_loadu_ps(p[k] + i), l2);
    }
    for (int k = 0; k < 4; k++) {
        float tail = l2 ? l2sq_scalar(pq + i, p[k] + i, n - i) : dot_scalar(pq + i, p[k] + i, n - i);
        out[k] = hsum256(_mm256_add_ps(s0[k], s1[k])) + tail;
    }
}

__attribute__((target("avx512f"))) static inline __m512 term512(__m512 s, __m512 x, __m512 y, int l2) {
    if (l2) {
        __m512 d = _mm512_sub_ps(x, y);
        return _mm512_fmadd_ps(d, d, s);
    }
    return _mm512_fmadd_ps(x, y, s);
}

__attribute__((target("avx512f"))) static void batch4_avx512(const void *q, const void *const *v, size_t n, float *out, int l2) {
    const float *pq = q, *p[4] = {v[0], v[1], v[2], v[3]};
    __m512 s0[4], s1[4];
    for (int k = 0; k < 4; k++) s0[k] = s1[k] = _mm512_setzero_ps();
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m512 x0 = _mm512_loadu_ps(pq + i), x1 = _mm512_loadu_ps(pq + i + 16);
        for (int k = 0; k < 4; k++) {
            s0[k] = term512(s0[k], x0, _mm512_loadu_ps(p[k] + i), l2);
            s1[k] = term512(s1[k], x1, _mm512_loadu_ps(p[k] + i + 16), l2);
        }
    }
    for (; i + 16 <= n; i += 16) {
        __m512 x = _mm512_loadu_ps(pq + i);
        for (int k = 0; k < 4; k++) s0[k] = term512(s0[k], x, _mm512_loadu_ps(p[k] + i), l2);
    }
    if (i < n) {
        __mmask16 m = (__mmask16)((1u << (n - i)) - 1);
        __m512 x = _mm512_maskz_loadu_ps(m, pq + i);
        for (int k = 0; k < 4; k++) s1[k] = term512(s1[k], x, _mm512_maskz_loadu_ps(m, p[k] + i), l2);
    }
    for (int k = 0; k < 4; k++) out[k] = _mm512_reduce_add_ps(_mm512_add_ps(s0[k], s1[k]));
}

// MARK: Dispatch

typedef float (*kernel_fn)(const void *, const void *, size_t);
typedef void (*batch4_fn)(const void *, const void *const *, size_t, float *, int);

static kernel_fn dot_impl, l2sq_impl;
static batch4_fn batch4_impl;
static const char *variant_name;

__attribute__((constructor)) static void choose_kernels(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) {
        dot_impl = dot_avx512, l2sq_impl = l2sq_avx512, batch4_impl = batch4_avx512, variant_name = "avx512";
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        dot_impl = dot_avx2, l2sq_impl = l2sq_avx2, batch4_impl = batch4_avx2, variant_name = "avx2";
    } else {
        dot_impl = dot_scalar, l2sq_impl = l2sq_scalar, batch4_impl = batch4_scalar, variant_name = "scalar";
    }
}

float engram_dot(const void *a, const void *b, size_t n) { return dot_impl(a, b, n); }
float engram_l2sq(const void *a, const void *b, size_t n) { return l2sq_impl(a, b, n); }
void engram_dot4(const void *q, const void *const v[4], size_t n, float out[4]) { batch4_impl(q, v, n, out, 0); }
void engram_l2sq4(const void *q, const void *const v[4], size_t n, float out[4]) { batch4_impl(q, v, n, out, 1); }
const char *engram_kernel_variant(void) { return variant_name; }
