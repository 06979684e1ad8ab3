/*
 * siphb/export.h - events as JSON lines and statistics as Prometheus text,
 * written into the caller's buffer: no allocation, no I/O, no stdio. The
 * integrator ships the bytes (a log file, a socket, an MQTT topic, an HTTP
 * /metrics handler); docs/EXPORT.md is the schema of both.
 *
 * The buffer rule of every call here (siphb/common.h, SIPHB_ERR_NOBUF):
 *   - the text is `len` bytes (no NUL among them, no trailing newline in
 *     JSON, a newline after every line in Prometheus text);
 *   - when len <= cap the call returns len and the text is buf[0..len);
 *     a NUL follows it at buf[len] when len < cap (a buffer of len bytes
 *     gets the text unterminated; nothing is ever written at buf[cap] or
 *     beyond);
 *   - when len > cap it returns SIPHB_ERR_NOBUF and err->need = len + 1,
 *     the size that gives the text and its NUL; buf[0..cap) then holds a
 *     partial text. buf NULL with cap 0 is a size query (NOBUF, need);
 *   - SIPHB_ERR_INVALID_ARGUMENT for a NULL object, or buf NULL with cap
 *     above 0 (err->message names the argument).
 * err may be NULL; when given it is cleared first, so after a success it
 * is all zeros.
 */
#ifndef SIPHB_EXPORT_H
#define SIPHB_EXPORT_H

#include <siphb/common.h>
#include <siphb/event.h>
#include <siphb/health.h>
#include <siphb/probe.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The schema version written as "v" (docs/EXPORT.md): fields are only ever
 * added; a field whose meaning changes, or one removed, bumps it. The same
 * number versions the Prometheus metric set. */
#define SIPHB_EXPORT_VERSION 1

/*
 * One event as one JSON object on one line (RFC 8259), for every event
 * type of siphb/event.h; a type this library does not know gives the
 * common keys only, with "type":"unknown" and the numeric "type_id". The
 * keys begin
 *   {"v":1,"type":"health.changed","t":<now>,"due":<due>,"object":"health",
 *    "type_id":500, ...
 * followed by the type's fields in a fixed order (docs/EXPORT.md). Enum
 * values are the library's lower-case-dashed names ("?" when out of
 * range), times are milliseconds of the integrator's clock with
 * SIPHB_NEVER as null, pointers are never written (health events name the
 * kind of their source instead). Strings from the network (a reason
 * phrase) are escaped: quote and backslash, control characters as \u00XX,
 * and bytes that are not well-formed UTF-8 as \ufffd, so the line is
 * always valid JSON in UTF-8. Returns as the buffer rule above says.
 */
SIPHB_EXTERN siphb_ssize siphb_event_to_json(const siphb_event *ev, char *buf, size_t cap,
                                             siphb_error_info *err);

/* The "type" name of an event type ("health.changed", "probe.result");
 * never NULL: "unknown" for a type this library does not know. */
SIPHB_EXTERN const char *siphb_event_json_type(siphb_event_type type);

/*
 * Prometheus text exposition format 0.0.4 of health monitors: for each
 * metric family its # HELP and # TYPE lines once, then one sample per
 * monitor (and per layer or state where the family has that label), each
 * monitor told apart by the label label_name="<label_values[i]>" written
 * first in every sample. docs/EXPORT.md lists the families.
 *
 * Why arrays rather than one call per monitor: the format wants every
 * sample of a family in one group after its HELP and TYPE, so a page for
 * many monitors is written family by family, not monitor by monitor.
 *
 * label_name NULL writes no label of the caller's (then n must be 1);
 * otherwise it must be a Prometheus label name ([a-zA-Z_][a-zA-Z0-9_]*,
 * not beginning with "__") other than the families' own "layer", "state",
 * "reason" and "outcome". Label values are escaped as the format says
 * (backslash, double quote, newline) and are otherwise copied as given
 * (they should be UTF-8). Returns as the buffer rule above says, or
 * INVALID_ARGUMENT (a NULL list, monitor or value, n 0, a label name
 * refused as above; for a NULL entry err->offset is its index).
 */
SIPHB_EXTERN siphb_ssize siphb_prometheus_health_many(const siphb_health *const *monitors,
                                                      const char *const *label_values, size_t n,
                                                      const char *label_name, char *buf,
                                                      size_t cap, siphb_error_info *err);

/* The same for one monitor: siphb_prometheus_health_many(&h, &label_value,
 * 1, label_name, ...). */
SIPHB_EXTERN siphb_ssize siphb_prometheus_health(const siphb_health *h, const char *label_name,
                                                 const char *label_value, char *buf, size_t cap,
                                                 siphb_error_info *err);

/*
 * Prometheus text of OPTIONS probes (siphb_probe_get_stats): the counters
 * by outcome, the transmissions, the consecutive failures and the RTT
 * figures as gauges in seconds (NaN before the first response). Labels and
 * returns as siphb_prometheus_health_many().
 */
SIPHB_EXTERN siphb_ssize siphb_prometheus_probe_many(const siphb_probe *const *probes,
                                                     const char *const *label_values, size_t n,
                                                     const char *label_name, char *buf,
                                                     size_t cap, siphb_error_info *err);

SIPHB_EXTERN siphb_ssize siphb_prometheus_probe(const siphb_probe *p, const char *label_name,
                                                const char *label_value, char *buf, size_t cap,
                                                siphb_error_info *err);

#ifdef __cplusplus
}
#endif

#endif /* SIPHB_EXPORT_H */
