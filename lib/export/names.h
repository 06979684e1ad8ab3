/*
 * names.h - the export's names for the enums that have no name function of
 * their own module (internal): probe outcomes, flow states, reasons and
 * modes, registration states and reasons, transports, object kinds and
 * the escalation's gates. Lower case with dashes, like
 * siphb_health_state_name(): part of the export schema (docs/EXPORT.md),
 * so a name never changes once released; "?" out of range.
 */
#ifndef SIPHB_LIB_EXPORT_NAMES_H
#define SIPHB_LIB_EXPORT_NAMES_H

#include <siphb/event.h>

const char *siphb_xn_probe_outcome(siphb_probe_outcome o);
const char *siphb_xn_flow_state(siphb_flow_state s);
const char *siphb_xn_flow_reason(siphb_flow_reason r);
const char *siphb_xn_flow_mode(siphb_flow_mode m);
const char *siphb_xn_reg_state(siphb_reg_state s);
const char *siphb_xn_reg_reason(siphb_reg_reason r);
const char *siphb_xn_transport(siphb_transport t);
/* "ctx", "timer", "probe", ..., "targets" for SIPHB_OBJECT_FAILOVER (the
 * target selection: escalation has its own kind); NULL out of range. */
const char *siphb_xn_object_kind(siphb_object_kind k);
/* The gate of bit `bit` (0..31) of siphb_event_escalation.blocked, or NULL
 * for a bit no gate has. */
const char *siphb_xn_gate(unsigned bit);

/* The probe outcomes, in enum order, as the Prometheus outcome label. */
#define SIPHB_XN_PROBE_OUTCOMES 5

#endif /* SIPHB_LIB_EXPORT_NAMES_H */
