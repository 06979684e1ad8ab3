/*
 * sip_respond_via.h - what the responder changes in the top Via of its
 * response when it knows the request's source address (internal): received=
 * (RFC 3261 section 18.2.1) and the value of an empty rport (RFC 3581
 * section 4).
 */
#ifndef SIPHB_LIB_SIP_RESPOND_VIA_H
#define SIPHB_LIB_SIP_RESPOND_VIA_H

#include <stdbool.h>
#include <stdint.h>

#include <siphb/sip.h>

#include "sip/outbuf.h"

/* The changes, decided once before anything is written. */
typedef struct siphb_via_reply {
  siphb_str ip;              /* the source address without brackets */
  uint16_t port;             /* the source port */
  bool received;             /* received=ip is due */
  bool rport;                /* rport gets =port */
  siphb_str old_received;    /* the value of the Via's received= (the last
                                one, as the parser reads it), replaced when
                                one is due; empty if none */
  siphb_sip_param rport_prm; /* the (first) rport without a value */
} siphb_via_reply;

/* Checks source_ip (IPv4 or IPv6, brackets optional) and source_port
 * (1..65535 with an address, 0 without), and decides for the top Via `top`.
 * Returns NULL, or the message of a SIPHB_ERR_INVALID_ARGUMENT. With no
 * address, plan->received and plan->rport are false. */
const char *siphb_via_reply_plan(const siphb_sip_via *top, siphb_str source_ip,
                                 uint16_t source_port, siphb_via_reply *plan);

/* Writes the via-parm `value` (the top Via's, siphb_sip_via.value) with the
 * planned changes, unfolded. */
void siphb_via_reply_put(siphb_outbuf *ob, siphb_str value, const siphb_via_reply *plan);

#endif /* SIPHB_LIB_SIP_RESPOND_VIA_H */
