// Fenced reads of the time-stamp counter (x86_64) or the virtual counter (aarch64),
// and the CPUID leaves environment capture needs.
#ifndef SC_TSC_H
#define SC_TSC_H

#include <stdint.h>

#if defined(__x86_64__)
#include <cpuid.h>

/// Start of a timed region: earlier instructions retire before the read,
/// later ones do not start before it.
static inline uint64_t sc_tsc_begin(void) {
    uint32_t lo, hi;
    __asm__ volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

/// End of a timed region: rdtscp waits for earlier instructions; the lfence keeps
/// later ones from starting before the read.
static inline uint64_t sc_tsc_end(void) {
    uint32_t lo, hi, aux;
    __asm__ volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi), "=c"(aux) : : "memory");
    return ((uint64_t)hi << 32) | lo;
}

/// CPUID: returns 0 when the leaf is above the maximum the CPU reports.
static inline int sc_cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
    if (leaf >= 0x40000000u && leaf < 0x50000000u) {
        // Hypervisor leaves are not bounded by leaf 0's maximum.
        __cpuid(leaf, *a, *b, *c, *d);
        return 1;
    }
    return __get_cpuid(leaf, a, b, c, d);
}

#elif defined(__aarch64__)

static inline uint64_t sc_tsc_begin(void) {
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(v) : : "memory");
    return v;
}

static inline uint64_t sc_tsc_end(void) {
    uint64_t v;
    __asm__ volatile("isb\n\tmrs %0, cntvct_el0\n\tisb" : "=r"(v) : : "memory");
    return v;
}

static inline int sc_cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
    (void)leaf; *a = *b = *c = *d = 0;
    return 0;
}

#endif

#endif
