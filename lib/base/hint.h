/*
 * hint.h - compiler hints for hot paths (internal).
 *
 * SIPHB_HOT_INLINE: always inline, for small functions whose every call
 * site must get its own copy (a copy has its own branches, and a call in a
 * per-byte or per-line loop costs more than its body). SIPHB_HOT_UNROLL,
 * before a loop over a constant table: unroll it completely.
 *
 * Neither applies when optimising for size (-Os, as firmware is built:
 * there the copies would cost kilobytes), nor with compilers that do not
 * know them (plain inline then, the compiler's choice).
 */
#ifndef SIPHB_LIB_BASE_HINT_H
#define SIPHB_LIB_BASE_HINT_H

#if (defined(__GNUC__) || defined(__clang__)) && !defined(__OPTIMIZE_SIZE__)
#define SIPHB_HOT_INLINE inline __attribute__((always_inline))
#if defined(__clang__)
#define SIPHB_HOT_UNROLL _Pragma("unroll")
#elif __GNUC__ >= 8
#define SIPHB_HOT_UNROLL _Pragma("GCC unroll 32")
#endif
#endif

#ifndef SIPHB_HOT_INLINE
#define SIPHB_HOT_INLINE inline
#endif
#ifndef SIPHB_HOT_UNROLL
#define SIPHB_HOT_UNROLL
#endif

#endif /* SIPHB_LIB_BASE_HINT_H */
