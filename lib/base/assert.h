/*
 * assert.h - SIPHB_ASSERT (internal). Without a C library to call abort(),
 * a broken invariant traps; built only with -DSIPHB_ASSERTS (the sanitizer
 * test build), free otherwise.
 */
#ifndef SIPHB_LIB_ASSERT_H
#define SIPHB_LIB_ASSERT_H

#if defined(SIPHB_ASSERTS)
#  if defined(__GNUC__) || defined(__clang__)
#    define SIPHB_ASSERT(cond) ((cond) ? (void)0 : __builtin_trap())
#  else
#    define SIPHB_ASSERT(cond) ((cond) ? (void)0 : (void)(*(volatile int *)0 = 0))
#  endif
#else
#  define SIPHB_ASSERT(cond) ((void)0)
#endif

/* A compile-time check at file scope; name must be unique in the file.
 * C11 has _Static_assert; C99 gets an array type of negative size. */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#  define SIPHB_STATIC_ASSERT(cond, name) _Static_assert(cond, #name)
#else
#  define SIPHB_STATIC_ASSERT(cond, name) typedef char siphb_static_assert_##name[(cond) ? 1 : -1]
#endif

#endif /* SIPHB_LIB_ASSERT_H */
