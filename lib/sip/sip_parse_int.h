/*
 * sip_parse_int.h - parser settings the library's own callers share
 * (internal): the lenient configurations the demultiplexer parses with,
 * built once rather than on every received message.
 */
#ifndef SIPHB_LIB_SIP_PARSE_INT_H
#define SIPHB_LIB_SIP_PARSE_INT_H

#include <siphb/sip.h>

/* The defaults with lenient = true and the given mode; never NULL. */
const siphb_sip_parse_config *siphb_sip_lenient_config(siphb_sip_mode mode);

#endif /* SIPHB_LIB_SIP_PARSE_INT_H */
