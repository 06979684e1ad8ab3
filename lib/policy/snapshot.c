/*
 * snapshot.c - the snapshot envelope and its field codec (snapshot.h).
 */
#include "policy/snapshot.h"

#include <string.h>

#include "base/error_info.h"
#include "crypto/crypto.h"

static void put_le(uint8_t *p, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le(const uint8_t *p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) v |= (uint64_t)p[i] << (8 * i);
  return v;
}

void snapshot_begin(snapshot_buf *b, siphb_object_kind kind) {
  memset(b, 0, sizeof *b);
  b->bytes[0] = 'S';
  b->bytes[1] = 'H';
  b->bytes[2] = SNAPSHOT_VERSION;
  b->bytes[3] = (uint8_t)kind;
  b->len = SNAPSHOT_HEAD;
}

static void put(snapshot_buf *b, uint64_t v, size_t n) {
  /* The payloads are fixed and below SNAPSHOT_PAYLOAD_MAX by construction. */
  if (b->len + n > SNAPSHOT_HEAD + SNAPSHOT_PAYLOAD_MAX) return;
  put_le(b->bytes + b->len, v, n);
  b->len += n;
}

void snapshot_put_u8(snapshot_buf *b, uint8_t v) { put(b, v, 1); }
void snapshot_put_u32(snapshot_buf *b, uint32_t v) { put(b, v, 4); }
void snapshot_put_u64(snapshot_buf *b, uint64_t v) { put(b, v, 8); }

siphb_ssize snapshot_finish(snapshot_buf *b, uint8_t *out, size_t cap, siphb_error_info *err) {
  put_le(b->bytes + 4, b->len - SNAPSHOT_HEAD, 2);
  put_le(b->bytes + b->len, siphb_crc32(0, b->bytes, b->len), 4);
  size_t total = b->len + SNAPSHOT_TAIL;
  if (!out || cap < total)
    return siphb_fail(err, SIPHB_ERR_NOBUF, 0, total, "snapshot buffer too small");
  memcpy(out, b->bytes, total);
  return (siphb_ssize)total;
}

int snapshot_open(snapshot_buf *b, const uint8_t *in, size_t len, siphb_object_kind kind) {
  if (!in) return SIPHB_ERR_INVALID_ARGUMENT;
  memset(b, 0, sizeof *b);
  if (len < SNAPSHOT_HEAD + SNAPSHOT_TAIL || in[0] != 'S' || in[1] != 'H')
    return SIPHB_ERR_SNAPSHOT_CORRUPT;
  size_t payload = (size_t)get_le(in + 4, 2);
  if (payload > SNAPSHOT_PAYLOAD_MAX || len != SNAPSHOT_HEAD + payload + SNAPSHOT_TAIL)
    return SIPHB_ERR_SNAPSHOT_CORRUPT;
  if ((uint32_t)get_le(in + SNAPSHOT_HEAD + payload, 4) !=
      siphb_crc32(0, in, SNAPSHOT_HEAD + payload))
    return SIPHB_ERR_SNAPSHOT_CORRUPT;
  if (in[2] != SNAPSHOT_VERSION) return SIPHB_ERR_SNAPSHOT_VERSION;
  if (in[3] != (uint8_t)kind) return SIPHB_ERR_SNAPSHOT_KIND;
  memcpy(b->bytes, in, SNAPSHOT_HEAD + payload);
  b->len = SNAPSHOT_HEAD + payload;
  b->pos = SNAPSHOT_HEAD;
  return 0;
}

static uint64_t get(snapshot_buf *b, size_t n) {
  if (b->pos + n > b->len) {
    b->short_read = true;
    return 0;
  }
  uint64_t v = get_le(b->bytes + b->pos, n);
  b->pos += n;
  return v;
}

uint8_t snapshot_get_u8(snapshot_buf *b) { return (uint8_t)get(b, 1); }
uint32_t snapshot_get_u32(snapshot_buf *b) { return (uint32_t)get(b, 4); }
uint64_t snapshot_get_u64(snapshot_buf *b) { return get(b, 8); }

int snapshot_close(const snapshot_buf *b) {
  return b->short_read || b->pos != b->len ? SIPHB_ERR_SNAPSHOT_CORRUPT : 0;
}

uint64_t snapshot_left(siphb_ms until, siphb_ms now) {
  if (until == SIPHB_NEVER) return SIPHB_NEVER;
  return until > now ? until - now : 0;
}
