/*
 * text.h - checks on the integrator's strings that objects copy and later
 * write into SIP (internal; base layer).
 */
#ifndef SIPHB_LIB_BASE_TEXT_H
#define SIPHB_LIB_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <siphb/common.h>

/* true when s is empty, or non-NULL, at most max bytes, and free of CR, LF
 * and NUL (which would end or split a header line). */
bool siphb_text_header_safe(siphb_str s, size_t max);

#endif /* SIPHB_LIB_BASE_TEXT_H */
