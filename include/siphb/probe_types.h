/*
 * siphb/probe_types.h - the types of the probe's events (siphb/probe.h):
 * declarations only, gathered by siphb/event.h into its payload union.
 */
#ifndef SIPHB_PROBE_TYPES_H
#define SIPHB_PROBE_TYPES_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How one probe round ended. Every round ends in exactly one of these. */
typedef enum siphb_probe_outcome {
  SIPHB_PROBE_ALIVE = 0,          /* a final response in alive_classes, not in fail_codes */
  SIPHB_PROBE_REJECTED = 1,       /* a final response in fail_codes (by default 408 and
                                     503) or outside alive_classes */
  SIPHB_PROBE_TIMEOUT = 2,        /* no final response before Timer F; counts as a 408
                                     (RFC 3261 section 8.1.3.1) */
  SIPHB_PROBE_SEND_FAILED = 3,    /* the send callback refused the first transmission */
  SIPHB_PROBE_TRANSPORT_ERROR = 4 /* siphb_ctx_peer_event() during the round; counts as
                                     a 503 (RFC 3261 section 8.1.3.1) */
} siphb_probe_outcome;

struct siphb_sip_msg; /* siphb/sip.h */

/* Payload of SIPHB_EVENT_PROBE_RESULT (siphb_event.u.probe): one per round.
 * The slices and `response` point into the received bytes and are valid
 * during the callback only. */
typedef struct siphb_event_probe {
  siphb_peer peer;              /* where the round went */
  siphb_probe_outcome outcome;
  uint32_t status;              /* the final status code; 0 without a response */
  uint32_t transmissions;       /* sends of this round's request (1 + retransmissions) */
  uint32_t cseq;                /* the round's CSeq number */
  uint32_t consecutive_failures; /* rounds in a row that were not ALIVE, this one
                                    included: a counter for logs, health judges */
  siphb_ms sent_at;             /* first transmission of the round */
  siphb_ms rtt;                 /* first transmission to final response; SIPHB_NEVER
                                   without a response */
  siphb_ms srtt;                /* smoothed RTT (RFC 6298 section 2 weights); SIPHB_NEVER
                                   before the first sample */
  siphb_ms retry_after_until;   /* the next round is not before this (Retry-After);
                                   0 = none */
  siphb_str reason_phrase;      /* of the response; empty without one */
  const struct siphb_sip_msg *response; /* the parsed response, or NULL */
} siphb_event_probe;

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_PROBE_TYPES_H */
