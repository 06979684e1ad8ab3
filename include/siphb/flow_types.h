/*
 * siphb/flow_types.h - the types of the flow's events (siphb/flow.h):
 * declarations only, gathered by siphb/event.h into its payload union.
 */
#ifndef SIPHB_FLOW_TYPES_H
#define SIPHB_FLOW_TYPES_H

#include <siphb/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* How the flow keeps itself alive (RFC 5626 section 3.5). */
typedef enum siphb_flow_mode {
  SIPHB_FLOW_MODE_AUTO = 0, /* CRLF on TCP, TLS, SCTP, WS, WSS (WS: RFC 7118 section 6),
                               STUN on UDP; refused on DTLS */
  SIPHB_FLOW_MODE_CRLF = 1, /* "\r\n\r\n" ping, "\r\n" pong (sections 3.5.1, 4.4.1);
                               refused on UDP and DTLS */
  SIPHB_FLOW_MODE_STUN = 2, /* Binding request and response (sections 3.5.2, 4.4.2) */
  SIPHB_FLOW_MODE_RAW = 3   /* the configured raw_payload, for NAT bindings only:
                               nothing is expected back */
} siphb_flow_mode;

/* When a missing or negative answer fails the flow (section 4.4). */
typedef enum siphb_flow_expect {
  SIPHB_FLOW_EXPECT_AFTER_OUTBOUND = 0, /* only after siphb_flow_set_outbound(true):
                                           `Require: outbound` in the 2xx REGISTER */
  SIPHB_FLOW_EXPECT_ALWAYS = 1,         /* support known from configuration */
  SIPHB_FLOW_EXPECT_NEVER = 2           /* keepalives for the NAT only */
} siphb_flow_expect;

/* Where the flow is: RFC 5626 section 4.5's flow recovery (protocol state
 * the integrator acts on, not a health verdict). */
typedef enum siphb_flow_state {
  SIPHB_FLOW_STATE_STOPPED = 0,    /* new, or siphb_flow_stop() */
  SIPHB_FLOW_STATE_ACTIVE = 1,     /* started, no response yet */
  SIPHB_FLOW_STATE_UP = 2,         /* a keepalive response came back */
  SIPHB_FLOW_STATE_FAILED = 3,     /* the back-off runs */
  SIPHB_FLOW_STATE_RECOVERING = 4, /* RECOVER_DUE reported: waiting for _restart */
  SIPHB_FLOW_STATE_PROBATION = 5   /* restarted: good after a response that follows
                                      siphb_flow_set_outbound(true) */
} siphb_flow_state;

/* Why a flow failed. */
typedef enum siphb_flow_reason {
  SIPHB_FLOW_REASON_NONE = 0,
  SIPHB_FLOW_REASON_PONG_TIMEOUT = 1,   /* no pong within pong_timeout (section 4.4.1) */
  SIPHB_FLOW_REASON_STUN_TIMEOUT = 2,   /* no Binding response after Rc sends and Rm*RTO */
  SIPHB_FLOW_REASON_STUN_ERROR = 3,     /* a Binding error response (section 4.4.2) */
  SIPHB_FLOW_REASON_MAPPED_CHANGED = 4, /* XOR-MAPPED-ADDRESS changed (section 4.4.2) */
  SIPHB_FLOW_REASON_SEND_FAILED = 5,    /* the send callback refused a keepalive, or
                                           siphb_ctx_peer_event(SIPHB_PEER_UNREACHABLE) */
  SIPHB_FLOW_REASON_PEER_CLOSED = 6,    /* siphb_ctx_peer_event(CLOSED or CONNECT_FAILED) */
  SIPHB_FLOW_REASON_INTEGRATOR = 7      /* siphb_flow_fail() */
} siphb_flow_reason;

/* Payload of SIPHB_EVENT_FLOW_* (siphb_event.u.flow). LP64 offsets. */
typedef struct siphb_event_flow {
  siphb_peer peer;                /*   0 the flow's peer */
  siphb_flow_state state;         /*  24 after the event */
  siphb_flow_reason reason;       /*  28 FAILED: why; else NONE */
  siphb_flow_mode mode;           /*  32 AUTO resolved */
  uint32_t consecutive_failures;  /*  36 failures since the flow was last good */
  uint32_t stun_error;            /*  40 ERROR-CODE (class*100+number) of a STUN
                                         error response, else 0 */
  uint32_t flow_timer_s;          /*  44 Flow-Timer in use; 0 = none */
  siphb_ms rtt;                   /*  48 of this response; SIPHB_NEVER if none */
  siphb_ms next_keepalive;        /*  56 when the next keepalive is due; 0 = none
                                         scheduled yet (a response is pending, or the
                                         flow is not running) */
  siphb_ms retry_at;              /*  64 FAILED: when RECOVER_DUE comes; else 0 */
  siphb_mapped_addr mapped;       /*  72 the mapped address (family 0 = none) */
  siphb_mapped_addr previous;     /*  92 MAPPED_ADDRESS: the one before (family 0 =
                                         first learned) */
  siphb_ms interval_min;          /* 112 the interval bounds in effect (ms) */
  siphb_ms interval_max;          /* 120 */
} siphb_event_flow;               /* 128 bytes on LP64 */

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_FLOW_TYPES_H */
