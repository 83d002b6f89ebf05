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

// MARK: Dispatch

typedef float (*kernel_fn)(const void *, const void *, size_t);

static kernel_fn dot_impl, l2sq_impl;
static const char *variant_name;

__attribute__((constructor)) static void choose_kernels(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) {
        dot_impl = dot_avx512, l2sq_impl = l2sq_avx512, variant_name = "avx512";
    } else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        dot_impl = dot_avx2, l2sq_impl = l2sq_avx2, variant_name = "avx2";
    } else {
        dot_impl = dot_scalar, l2sq_impl = l2sq_scalar, variant_name = "scalar";
    }
}

float engram_dot(const void *a, const void *b, size_t n) { return dot_impl(a, b, n); }
float engram_l2sq(const void *a, const void *b, size_t n) { return l2sq_impl(a, b, n); }
const char *engram_kernel_variant(void) { return variant_name; }
