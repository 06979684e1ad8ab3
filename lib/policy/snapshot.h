/*
 * snapshot.h - the envelope of the durable-state snapshots (siphb/failover.h
 * "SNAPSHOTS") and the little-endian field writers inside it (internal).
 *
 * The envelope is fixed for every version, so that any future reader can
 * tell a snapshot's version and kind before it reads the payload:
 *   0  'S' 'H'        magic
 *   2  version        SNAPSHOT_VERSION (1)
 *   3  kind           the siphb_object_kind of the object saved
 *   4  length         payload bytes, 16-bit little-endian
 *   6  payload
 *   6+length  CRC-32  (crypto/crypto.h) of bytes 0 .. 6+length-1, little-endian
 */
#ifndef SIPHB_LIB_POLICY_SNAPSHOT_H
#define SIPHB_LIB_POLICY_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include <siphb/common.h>
#include <siphb/event.h>

#define SNAPSHOT_VERSION 1
#define SNAPSHOT_HEAD 6
#define SNAPSHOT_TAIL 4
#define SNAPSHOT_PAYLOAD_MAX 80

/* A payload being written or read: a cursor over a fixed buffer. Reading
 * past the end sets `short_read` and yields zeros, so a reader checks once
 * at the end. */
typedef struct snapshot_buf {
  uint8_t bytes[SNAPSHOT_HEAD + SNAPSHOT_PAYLOAD_MAX + SNAPSHOT_TAIL];
  size_t len, pos;
  bool short_read;
} snapshot_buf;

void snapshot_begin(snapshot_buf *b, siphb_object_kind kind);
void snapshot_put_u8(snapshot_buf *b, uint8_t v);
void snapshot_put_u32(snapshot_buf *b, uint32_t v);
void snapshot_put_u64(snapshot_buf *b, uint64_t v);
/* Closes the envelope and copies it into out[0..cap): the length, or
 * SIPHB_ERR_NOBUF with the size needed in err->need. */
siphb_ssize snapshot_finish(snapshot_buf *b, uint8_t *out, size_t cap, siphb_error_info *err);

/* Checks the envelope of in[0..len) (magic, length, checksum, version,
 * kind, in that order) and positions the cursor on the payload. Returns 0,
 * SIPHB_ERR_SNAPSHOT_CORRUPT, _VERSION or _KIND; INVALID_ARGUMENT for
 * NULL. */
int snapshot_open(snapshot_buf *b, const uint8_t *in, size_t len, siphb_object_kind kind);
uint8_t snapshot_get_u8(snapshot_buf *b);
uint32_t snapshot_get_u32(snapshot_buf *b);
uint64_t snapshot_get_u64(snapshot_buf *b);
/* 0 when the payload was read exactly to its end, else
 * SIPHB_ERR_SNAPSHOT_CORRUPT. */
int snapshot_close(const snapshot_buf *b);

/* A duration until `until` from now, saturating: 0 when past, NEVER kept. */
uint64_t snapshot_left(siphb_ms until, siphb_ms now);

#endif /* SIPHB_LIB_POLICY_SNAPSHOT_H */
