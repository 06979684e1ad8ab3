/*
 * sip_names.h - header-name lookup for the parser (internal).
 */
#ifndef SIPHB_LIB_SIP_NAMES_H
#define SIPHB_LIB_SIP_NAMES_H

#include <siphb/sip.h>

/* siphb_sip_hdr_from() for name[0..len), len >= 1, when every byte of
 * [name, readable_end) may be read: the name is then compared a word at a
 * time, reading up to 7 bytes past it. */
siphb_sip_hdr siphb_sip_hdr_lookup(const char *name, size_t len, const char *readable_end);

#endif /* SIPHB_LIB_SIP_NAMES_H */
