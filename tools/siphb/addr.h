/*
 * addr.h - socket addresses as the siphb tool prints them, shared by
 * `siphb decode --stun` (STUN address attributes) and `siphb stun` (the
 * server, the socket's local address, the mapped address): one shape,
 * {"family": "IPv4", "address": "192.0.2.1", "port": 32853}, and one text
 * form, 192.0.2.1:32853 or [2001:db8::1]:32853.
 */
#ifndef SIPHB_TOOL_ADDR_H
#define SIPHB_TOOL_ADDR_H

#include <stdbool.h>
#include <stddef.h>

#include <siphb/common.h>

#include "json.h"

/* Room for the longest text form: "[" IPv6 (45) "]:" port (5) and a NUL. */
#define ADDR_TEXT_MAX 56

/* "IPv4", "IPv6", or "unknown" for any other STUN family value. */
const char *addr_family_name(uint8_t family);

/* The numeric address alone (inet_ntop); "?" for an unknown family. */
void addr_host(const siphb_mapped_addr *a, char *buf, size_t cap);

/* "192.0.2.1:32853" or "[2001:db8::1]:32853". */
void addr_text(const siphb_mapped_addr *a, char *buf, size_t cap);

/* The JSON object {"family", "address", "port"}. */
void json_addr(json_writer *w, const siphb_mapped_addr *a);

/* From a struct sockaddr (AF_INET or AF_INET6, passed as void * so that
 * this header needs no socket headers). false for another family. */
bool addr_from_sockaddr(const void *sa, siphb_mapped_addr *out);

#endif /* SIPHB_TOOL_ADDR_H */
