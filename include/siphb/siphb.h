/*
 * siphb/siphb.h - umbrella header: include this one.
 *
 * siphb tells whether a SIP endpoint, proxy or flow is really alive. It does
 * no I/O and reads no clock: see siphb/ctx.h for how an event loop drives it.
 */
#ifndef SIPHB_SIPHB_H
#define SIPHB_SIPHB_H

#include <siphb/version.h>
#include <siphb/common.h>
#include <siphb/event.h>
#include <siphb/ctx.h>
#include <siphb/timer.h>
#include <siphb/sip.h>
#include <siphb/st.h>
#include <siphb/stream.h>
#include <siphb/stun.h>
#include <siphb/flow.h>
#include <siphb/probe.h>
#include <siphb/reg.h>
#include <siphb/responder.h>
#include <siphb/srv.h>
#include <siphb/health.h>
#include <siphb/preset.h>
#include <siphb/failover.h>
#include <siphb/session.h>
#include <siphb/rtcp.h>
#include <siphb/mos.h>
#include <siphb/export.h>

#endif /* SIPHB_SIPHB_H */
