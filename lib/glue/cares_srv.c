/*
 * cares_srv.c - SRV then A/AAAA lookups with c-ares (siphb/cares.h): the
 * glue between c-ares's event-driven API and siphb's RFC 2782 ordering.
 *
 * A lookup is a `lookup`: one ares_query() for the SRV name, then one
 * ares_getaddrinfo() per target. c-ares may call a callback from inside
 * the call that started the query (an immediate failure) as well as from
 * ares_process_fd(), so the lookups count the c-ares calls still running
 * (`running`) and are delivered to the integrator only from
 * siphb_cares_process(), once finished: the integrator's callback never
 * runs inside a c-ares callback nor inside siphb_cares_resolve().
 *
 * RFC 3263 section 4.4: the SRV records are ordered by RFC 2782 (priority,
 * then weighted random), and each target is resolved to its addresses.
 */
/* fd_set and struct timeval, which ares.h uses, under -std=c11/c99. */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <sys/select.h> /* before ares.h, which uses fd_set */
#include <ares.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <siphb/cares.h>
#include <siphb/srv.h>

#include "base/mem.h"
#include "base/sized.h"

#define DNS_CLASS_IN 1  /* RFC 1035 section 3.2.4 */
#define DNS_TYPE_SRV 33 /* RFC 2782 */
#define MAX_NAME 253    /* a DNS name in text, without the trailing dot */

typedef struct lookup lookup;

/* One SRV target while its addresses are looked up. */
typedef struct target {
  lookup *owner;
  char host[MAX_NAME + 1];
  siphb_mapped_addr addrs[SIPHB_CARES_MAX_ADDRS];
  siphb_cares_target pub; /* host and addrs are set when ordered */
} target;

struct lookup {
  lookup *next;
  siphb_cares *r;
  siphb_cares_done_fn done;
  void *user_data;
  char name[MAX_NAME + 1];
  int running;     /* c-ares calls whose callback has not come yet */
  bool finished;   /* result ready: deliver from siphb_cares_process */
  siphb_cares_result res;
  target *targets; /* n_targets of them, in the answer's order */
  siphb_cares_target *ordered; /* the same in RFC 2782 order: res.targets */
  size_t n_targets;
};

struct siphb_cares {
  siphb_alloc alloc;
  ares_channel channel;
  siphb_cares_config cfg;
  lookup *lookups;  /* running and finished, newest first */
  bool destroying;  /* inside siphb_cares_del: c-ares callbacks only count */
  bool in_callback; /* inside the integrator's callback */
  bool del_pending; /* siphb_cares_del called from a callback */
};

static const siphb_cares_config config_defaults = {
    sizeof(siphb_cares_config), NULL, 2000, 3, true, true, NULL, NULL,
};
#define CONFIG_MIN_SIZE sizeof(siphb_cares_config)

void siphb_cares_config_init(siphb_cares_config *cfg, size_t size) {
  siphb_sized_init(cfg, size, &config_defaults, sizeof config_defaults, CONFIG_MIN_SIZE);
}

static void defaults_fn(void *full) { memcpy(full, &config_defaults, sizeof config_defaults); }

const char *siphb_cares_status_name(siphb_cares_status status) {
  switch (status) {
  case SIPHB_CARES_OK: return "SIPHB_CARES_OK";
  case SIPHB_CARES_NO_SRV: return "SIPHB_CARES_NO_SRV";
  case SIPHB_CARES_NOT_OFFERED: return "SIPHB_CARES_NOT_OFFERED";
  case SIPHB_CARES_NO_ADDRESS: return "SIPHB_CARES_NO_ADDRESS";
  case SIPHB_CARES_TIMEOUT: return "SIPHB_CARES_TIMEOUT";
  case SIPHB_CARES_FAILED: return "SIPHB_CARES_FAILED";
  case SIPHB_CARES_NOMEM: return "SIPHB_CARES_NOMEM";
  }
  return "SIPHB_CARES_UNKNOWN";
}

/* ---- creating and deleting -------------------------------------------------------- */

/* Frees r itself: its allocator is copied out first, since it lives in r. */
static void free_self(siphb_cares *r) {
  siphb_alloc a = r->alloc;
  siphb_alloc_free(&a, r, sizeof *r);
}

int siphb_cares_new(siphb_cares **out, const siphb_cares_config *cfg, const siphb_mem *mem) {
  if (!out) return SIPHB_ERR_INVALID_ARGUMENT;
  siphb_cares_config full;
  const void *view;
  int rc = siphb_sized_view_or_defaults(cfg, &full, sizeof full, CONFIG_MIN_SIZE, defaults_fn,
                                        &view);
  if (rc < 0) return rc;
  const siphb_cares_config *c = view;
  if (c->tries == 0 || c->tries > INT_MAX || c->timeout_ms == 0 || c->timeout_ms > INT_MAX ||
      (!c->ipv4 && !c->ipv6))
    return SIPHB_ERR_INVALID_ARGUMENT;

  siphb_alloc alloc;
  rc = siphb_alloc_init(&alloc, mem, 0);
  if (rc < 0) return rc;
  siphb_cares *r = siphb_alloc_zeroed(&alloc, sizeof *r);
  if (!r) return SIPHB_ERR_NOMEM;
  r->alloc = alloc;
  r->cfg = *c;
  r->cfg.size = sizeof r->cfg;
  r->cfg.servers = NULL; /* copied into c-ares below, not kept */
  if (!r->cfg.random) r->cfg.random = siphb_random_os;

  /* Names are asked as given: no search domains (ndomains 0, NOSEARCH),
   * DNS only (lookups "b": no hosts file). */
  struct ares_options opts;
  memset(&opts, 0, sizeof opts);
  char lookups[] = "b";
  opts.flags = ARES_FLAG_NOSEARCH;
  opts.timeout = (int)c->timeout_ms;
  opts.tries = (int)c->tries;
  opts.domains = NULL;
  opts.ndomains = 0;
  opts.lookups = lookups;
  int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_DOMAINS |
             ARES_OPT_LOOKUPS;
  int st = ares_init_options(&r->channel, &opts, mask);
  if (st != ARES_SUCCESS) {
    free_self(r);
    return st == ARES_ENOMEM ? SIPHB_ERR_NOMEM : SIPHB_ERR_OS;
  }
  if (c->servers) {
    st = ares_set_servers_ports_csv(r->channel, c->servers);
    if (st != ARES_SUCCESS) {
      ares_destroy(r->channel);
      free_self(r);
      return st == ARES_ENOMEM ? SIPHB_ERR_NOMEM : SIPHB_ERR_INVALID_ARGUMENT;
    }
  }
  *out = r;
  return 0;
}

static void lookup_free(siphb_cares *r, lookup *l) {
  if (l->targets) siphb_alloc_free(&r->alloc, l->targets, l->n_targets * sizeof *l->targets);
  if (l->ordered) siphb_alloc_free(&r->alloc, l->ordered, l->n_targets * sizeof *l->ordered);
  siphb_alloc_free(&r->alloc, l, sizeof *l);
}

static void destroy(siphb_cares *r) {
  /* ares_destroy calls every pending callback with ARES_EDESTRUCTION;
   * they see `destroying` and only count. */
  r->destroying = true;
  ares_destroy(r->channel);
  while (r->lookups) {
    lookup *l = r->lookups;
    r->lookups = l->next;
    lookup_free(r, l);
  }
  free_self(r);
}

void siphb_cares_del(siphb_cares *r) {
  if (!r) return;
  if (r->in_callback) {
    r->del_pending = true;
    return;
  }
  destroy(r);
}

/* ---- finishing a lookup ------------------------------------------------------------ */

static void finish(lookup *l, siphb_cares_status status, int ares_status, const char *message) {
  l->res.status = status;
  l->res.ares_status = ares_status;
  l->res.message = message;
  l->finished = true;
}

static siphb_cares_status status_of(int st) {
  switch (st) {
  case ARES_ENOTFOUND:
  case ARES_ENODATA: return SIPHB_CARES_NO_SRV;
  case ARES_ETIMEOUT: return SIPHB_CARES_TIMEOUT;
  case ARES_ENOMEM: return SIPHB_CARES_NOMEM;
  default: return SIPHB_CARES_FAILED;
  }
}

/* All address lookups are back: order the targets (RFC 2782) and decide
 * the status. */
static void targets_done(lookup *l) {
  siphb_cares *r = l->r;
  size_t n = l->n_targets;
  siphb_srv_record recs[SIPHB_SRV_MAX_RECORDS] = {{0, 0}};
  size_t order[SIPHB_SRV_MAX_RECORDS];
  bool any = false;
  for (size_t i = 0; i < n; i++) {
    recs[i].priority = l->targets[i].pub.priority;
    recs[i].weight = l->targets[i].pub.weight;
    any = any || l->targets[i].pub.n_addrs > 0;
  }
  if (siphb_srv_order_with(recs, n, r->cfg.random, r->cfg.random_user_data, order, NULL) != 0) {
    l->res.n_targets = 0; /* res.targets stays NULL */
    finish(l, SIPHB_CARES_FAILED, ARES_SUCCESS, "the random source failed");
    return;
  }
  for (size_t pos = 0; pos < n; pos++) {
    const target *t = &l->targets[order[pos]];
    l->ordered[pos] = t->pub;
    l->ordered[pos].host = t->host;
    l->ordered[pos].addrs = t->addrs;
  }
  l->res.targets = l->ordered;
  if (any)
    finish(l, SIPHB_CARES_OK, ARES_SUCCESS, "ok");
  else
    finish(l, SIPHB_CARES_NO_ADDRESS, l->ordered[0].ares_status,
           "no SRV target has an address");
}

/* ---- the c-ares callbacks -------------------------------------------------------- */

static void add_addr(target *t, const struct sockaddr *sa) {
  siphb_mapped_addr a;
  memset(&a, 0, sizeof a);
  a.port = t->pub.port;
  if (sa->sa_family == AF_INET) {
    const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;
    a.family = 1;
    memcpy(a.addr, &in->sin_addr, 4);
  } else if (sa->sa_family == AF_INET6) {
    const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
    a.family = 2;
    memcpy(a.addr, &in6->sin6_addr, 16);
  } else {
    return;
  }
  for (uint16_t i = 0; i < t->pub.n_addrs; i++)
    if (memcmp(&t->addrs[i], &a, sizeof a) == 0) return; /* one per address */
  if (t->pub.n_addrs < SIPHB_CARES_MAX_ADDRS) t->addrs[t->pub.n_addrs++] = a;
}

static void addr_cb(void *arg, int status, int timeouts, struct ares_addrinfo *res) {
  (void)timeouts;
  target *t = arg;
  lookup *l = t->owner;
  l->running--;
  if (res) {
    if (!l->r->destroying)
      for (const struct ares_addrinfo_node *n = res->nodes; n; n = n->ai_next)
        if (n->ai_addr) add_addr(t, n->ai_addr);
    ares_freeaddrinfo(res);
  }
  if (l->r->destroying) return;
  t->pub.ares_status = status;
  if (l->running == 0) targets_done(l);
}

/* True for the root name ".", which c-ares gives as "" (or ".").*/
static bool is_root(const char *host) {
  return host[0] == '\0' || (host[0] == '.' && host[1] == '\0');
}

static void srv_cb(void *arg, int status, int timeouts, unsigned char *abuf, int alen) {
  (void)timeouts;
  lookup *l = arg;
  siphb_cares *r = l->r;
  l->running--;
  if (r->destroying) return;
  if (status != ARES_SUCCESS) {
    finish(l, status_of(status), status, ares_strerror(status));
    return;
  }
  struct ares_srv_reply *srv = NULL;
  int st = ares_parse_srv_reply(abuf, alen, &srv);
  if (st != ARES_SUCCESS) {
    finish(l, status_of(st), st, ares_strerror(st));
    return;
  }
  size_t n = 0;
  for (struct ares_srv_reply *s = srv; s && n < SIPHB_SRV_MAX_RECORDS; s = s->next) n++;
  if (n == 0) {
    ares_free_data(srv);
    finish(l, SIPHB_CARES_NO_SRV, ARES_ENODATA, "no SRV record");
    return;
  }
  /* RFC 2782: "A Target of "." means that the service is decidedly not
   * available at this domain." */
  if (n == 1 && is_root(srv->host)) {
    ares_free_data(srv);
    finish(l, SIPHB_CARES_NOT_OFFERED, ARES_SUCCESS, "SRV target \".\": service not offered");
    return;
  }
  l->targets = siphb_alloc_array(&r->alloc, n, sizeof *l->targets);
  l->ordered = siphb_alloc_array(&r->alloc, n, sizeof *l->ordered);
  l->n_targets = n; /* the sizes lookup_free frees */
  if (!l->targets || !l->ordered) {
    ares_free_data(srv);
    finish(l, SIPHB_CARES_NOMEM, ARES_SUCCESS, "out of memory");
    return;
  }
  l->res.n_targets = n;
  size_t i = 0;
  for (struct ares_srv_reply *s = srv; s && i < n; s = s->next, i++) {
    target *t = &l->targets[i];
    t->owner = l;
    size_t len = strlen(s->host);
    if (len > MAX_NAME) len = MAX_NAME; /* c-ares's names fit; kept safe */
    memcpy(t->host, s->host, len);
    t->host[len] = '\0';
    t->pub.port = s->port;
    t->pub.priority = s->priority;
    t->pub.weight = s->weight;
    t->pub.ares_status = ARES_ENODATA;
  }
  ares_free_data(srv);

  /* One reference for the loop itself, so that an address lookup failing
   * at once cannot finish the lookup before every target is asked. */
  l->running++;
  struct ares_addrinfo_hints hints;
  memset(&hints, 0, sizeof hints);
  hints.ai_family = r->cfg.ipv4 && r->cfg.ipv6 ? AF_UNSPEC : r->cfg.ipv4 ? AF_INET : AF_INET6;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = ARES_AI_NOSORT; /* no connect() probes for RFC 6724 sorting */
  for (i = 0; i < n; i++) {
    target *t = &l->targets[i];
    if (is_root(t->host)) continue; /* "." among others: nothing to resolve */
    l->running++;
    ares_getaddrinfo(r->channel, t->host, NULL, &hints, addr_cb, t);
  }
  l->running--;
  if (l->running == 0) targets_done(l);
}

/* ---- the integrator's calls --------------------------------------------------------- */

int siphb_cares_resolve(siphb_cares *r, const char *srv_name, siphb_cares_done_fn done,
                        void *user_data) {
  if (!r || !srv_name || !done) return SIPHB_ERR_INVALID_ARGUMENT;
  if (r->del_pending || r->destroying) return SIPHB_ERR_INVALID_STATE;
  size_t len = strlen(srv_name);
  if (len == 0 || len > MAX_NAME) return SIPHB_ERR_INVALID_ARGUMENT;
  lookup *l = siphb_alloc_zeroed(&r->alloc, sizeof *l);
  if (!l) return SIPHB_ERR_NOMEM;
  l->r = r;
  l->done = done;
  l->user_data = user_data;
  memcpy(l->name, srv_name, len + 1);
  l->res.name = l->name;
  l->next = r->lookups;
  r->lookups = l;
  l->running = 1;
  ares_query(r->channel, l->name, DNS_CLASS_IN, DNS_TYPE_SRV, srv_cb, l);
  return 0;
}

int siphb_cares_fds(siphb_cares *r, siphb_cares_fd *fds, size_t cap) {
  if (!r || (!fds && cap > 0)) return SIPHB_ERR_INVALID_ARGUMENT;
  ares_socket_t socks[ARES_GETSOCK_MAXNUM];
  /* The bits read unsigned: c-ares's ARES_GETSOCK_WRITABLE shifts an int
   * 1 by up to 31 places (undefined behaviour for the 16th socket). */
  uint32_t bits = (uint32_t)ares_getsock(r->channel, socks, ARES_GETSOCK_MAXNUM);
  size_t n = 0;
  for (unsigned i = 0; i < ARES_GETSOCK_MAXNUM && n < cap; i++) {
    bool rd = (bits >> i) & 1u, wr = (bits >> (i + ARES_GETSOCK_MAXNUM)) & 1u;
    if (!rd && !wr) continue;
    fds[n].fd = (intptr_t)socks[i];
    fds[n].read = rd;
    fds[n].write = wr;
    n++;
  }
  return (int)n;
}

siphb_ms siphb_cares_timeout(siphb_cares *r) {
  if (!r) return SIPHB_NEVER;
  for (const lookup *l = r->lookups; l; l = l->next)
    if (l->finished) return 0;
  struct timeval tv;
  if (!ares_timeout(r->channel, NULL, &tv)) return SIPHB_NEVER;
  if (tv.tv_sec < 0) return 0;
  return (siphb_ms)tv.tv_sec * 1000u + ((siphb_ms)tv.tv_usec + 999u) / 1000u;
}

size_t siphb_cares_pending(const siphb_cares *r) {
  size_t n = 0;
  if (r)
    for (const lookup *l = r->lookups; l; l = l->next) n++;
  return n;
}

int siphb_cares_process(siphb_cares *r, intptr_t read_fd, intptr_t write_fd) {
  if (!r) return SIPHB_ERR_INVALID_ARGUMENT;
  if (r->in_callback) return SIPHB_ERR_INVALID_STATE;
  ares_process_fd(r->channel, read_fd < 0 ? ARES_SOCKET_BAD : (ares_socket_t)read_fd,
                  write_fd < 0 ? ARES_SOCKET_BAD : (ares_socket_t)write_fd);
  /* The finished ones, taken off the list first: a callback may start new
   * lookups (which wait for the next call) or delete r. */
  lookup *ready = NULL, **link = &r->lookups;
  while (*link) {
    lookup *l = *link;
    if (l->finished && l->running == 0) {
      *link = l->next;
      l->next = ready;
      ready = l;
    } else {
      link = &l->next;
    }
  }
  r->in_callback = true;
  while (ready) {
    lookup *l = ready;
    ready = l->next;
    if (!r->del_pending) l->done(r, &l->res, l->user_data);
    lookup_free(r, l);
  }
  r->in_callback = false;
  if (r->del_pending) destroy(r);
  return 0;
}
