/*
 * export_demo.c - events as JSON lines and a health monitor as Prometheus
 * text (siphb/export.h), in simulated time.
 *
 * A monitor is fed what an integrator would see of a SIP proxy: answers,
 * then silence. Every event the ctx reports is printed as one JSON line
 * (what a log shipper or an MQTT publisher would send), and at the end
 * the monitor's /metrics page is printed as a Prometheus scrape would get
 * it. The clock jumps to each deadline, so the transcript is the same on
 * every run.
 *
 * The export writes into the caller's buffer and never allocates: a buffer
 * that is too small gets SIPHB_ERR_NOBUF with the size needed in
 * siphb_error_info.need, and the caller decides whether to grow (below:
 * a stack buffer first, the heap only for an unusually long line).
 */
#include <siphb/siphb.h>

#include <stdio.h>
#include <stdlib.h>

#define SECOND ((siphb_ms)1000)

static void check(int rc, const char *what) {
  if (rc != 0) {
    fprintf(stderr, "%s: %s\n", what, siphb_strerror(rc));
    exit(1);
  }
}

/* One JSON line per event: a 1 KB stack buffer holds every event without
 * a long reason phrase; a longer line is written again into a heap block
 * of exactly the size the first call asked for. */
static void print_json_line(const siphb_event *ev) {
  char stack[1024];
  siphb_error_info err;
  siphb_ssize n = siphb_event_to_json(ev, stack, sizeof stack, &err);
  if (n >= 0) {
    printf("%s\n", stack);
    return;
  }
  if (n != SIPHB_ERR_NOBUF) {
    fprintf(stderr, "siphb_event_to_json: %s\n", siphb_strerror((int)n));
    return;
  }
  char *heap = malloc(err.need);
  if (!heap) return;
  if (siphb_event_to_json(ev, heap, err.need, NULL) >= 0) printf("%s\n", heap);
  free(heap);
}

static int on_event(siphb_ctx *ctx, const siphb_event *ev, void *user_data) {
  (void)ctx;
  (void)user_data;
  print_json_line(ev);
  return 0;
}

/* Required by the ctx; a monitor fed by hand never sends. */
static int on_send(siphb_ctx *ctx, const siphb_send_info *info, const uint8_t *data,
                   size_t len, void *user_data) {
  (void)ctx;
  (void)info;
  (void)data;
  (void)len;
  (void)user_data;
  return 0;
}

/* The integrator's loop in simulated time: wake at each deadline up to
 * `until`, then stand at `until`. */
static siphb_ms run_until(siphb_ctx *ctx, siphb_ms now, siphb_ms until) {
  for (;;) {
    siphb_ms next = siphb_ctx_next_deadline(ctx);
    if (next == SIPHB_NEVER || next > until) break;
    now = next > now ? next : now;
    check(siphb_ctx_advance(ctx, now), "siphb_ctx_advance");
  }
  if (until > now) {
    now = until;
    check(siphb_ctx_advance(ctx, now), "siphb_ctx_advance");
  }
  return now;
}

/* The /metrics page: asked for its size first (buf NULL, cap 0), then
 * written into a block of that size; a real handler would keep the block
 * between scrapes and grow it only when need says so. */
static void print_metrics(const siphb_health *h) {
  siphb_error_info err;
  siphb_ssize n = siphb_prometheus_health(h, "target", "pbx.example.com", NULL, 0, &err);
  if (n != SIPHB_ERR_NOBUF) {
    fprintf(stderr, "siphb_prometheus_health: %s\n", siphb_strerror((int)n));
    exit(1);
  }
  char *page = malloc(err.need);
  if (!page) exit(1);
  n = siphb_prometheus_health(h, "target", "pbx.example.com", page, err.need, &err);
  check(n < 0 ? (int)n : 0, "siphb_prometheus_health");
  fputs(page, stdout);
  free(page);
}

int main(void) {
  siphb_callbacks cb;
  siphb_callbacks_init(&cb, sizeof cb);
  cb.send = on_send;
  cb.event = on_event;
  siphb_ctx *ctx;
  check(siphb_ctx_new(&ctx, NULL, &cb, NULL, NULL, 0), "siphb_ctx_new");
  siphb_health *h;
  check(siphb_health_new(&h, ctx, NULL, NULL, 0), "siphb_health_new");

  /* The link is up; the proxy answers twice (RTT 40 and 42 ms), then
   * stops answering: DEGRADED after two misses, OFFLINE once three of the
   * last five failed and 180 s have passed since the first miss. */
  siphb_ms now = 0;
  check(siphb_health_observe(h, SIPHB_HEALTH_LAYER_LINK, SIPHB_HEALTH_OBS_SUCCESS,
                             SIPHB_HEALTH_REASON_NONE, SIPHB_HEALTH_NO_METRIC, now),
        "observe");
  check(siphb_health_observe(h, SIPHB_HEALTH_LAYER_SIP, SIPHB_HEALTH_OBS_SUCCESS,
                             SIPHB_HEALTH_REASON_NONE, 40, now),
        "observe");
  now = run_until(ctx, now, 30 * SECOND);
  check(siphb_health_observe(h, SIPHB_HEALTH_LAYER_SIP, SIPHB_HEALTH_OBS_SUCCESS,
                             SIPHB_HEALTH_REASON_NONE, 42, now),
        "observe");
  for (int i = 2; i <= 8; i++) {
    now = run_until(ctx, now, (siphb_ms)i * 30 * SECOND);
    check(siphb_health_observe(h, SIPHB_HEALTH_LAYER_SIP, SIPHB_HEALTH_OBS_MISS,
                               SIPHB_HEALTH_REASON_SIP_TIMEOUT, SIPHB_HEALTH_NO_METRIC, now),
          "observe");
  }
  now = run_until(ctx, now, 300 * SECOND);

  printf("--- GET /metrics\n");
  print_metrics(h);

  siphb_health_del(h);
  siphb_ctx_del(ctx);
  return 0;
}
