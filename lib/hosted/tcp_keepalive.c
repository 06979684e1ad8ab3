/*
 * tcp_keepalive.c - siphb_tcp_keepalive_*: the kernel's TCP keep-alive
 * options on the integrator's socket (hosted builds only: the freestanding
 * build has no sockets and does not compile this file).
 *
 * Each option is set only where the platform's headers define it (#ifdef
 * per option); what the config needs and the platform lacks is refused
 * before the socket is touched. Every value is read before any is set, so
 * a failure part-way puts the socket back as it was.
 */
#if defined(_WIN32)
#  include <winsock2.h>
#  include <ws2tcpip.h>
#  include <mstcpip.h> /* TCP_KEEPIDLE and friends on newer SDKs */
#else
#  include <errno.h>
#  include <sys/types.h>
#  include <sys/socket.h>
#  include <netinet/in.h>
#  include <netinet/tcp.h>
#endif
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <siphb/tcp_keepalive.h>

#include "base/error_info.h"
#include "base/sized.h"
#include "hosted/tcp_keepalive_int.h"

/* The first release's struct: a caller's can be no smaller (base/sized.h). */
#define CONFIG_MIN_SIZE (offsetof(siphb_tcp_keepalive_config, user_timeout) + sizeof(siphb_ms))

static const siphb_tcp_keepalive_config config_defaults = {
    sizeof(siphb_tcp_keepalive_config), 3, 30000, 10000, 0};

/* The options, in the order apply sets them: the schedule before
 * SO_KEEPALIVE, so that probing starts with it in place. The idle time is
 * TCP_KEEPIDLE on Linux, the BSDs and Windows, TCP_KEEPALIVE on macOS
 * (tcp(4) of Darwin), both in seconds. The Windows SDK's ws2ipdef.h has
 * TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT (Windows 10 1709 on); the
 * headers of mingw-w64 12 have none of them, so a mingw build compiles
 * (checked with x86_64-w64-mingw32-gcc) and refuses with
 * SIPHB_ERR_UNSUPPORTED. */
enum { OPT_IDLE, OPT_INTVL, OPT_CNT, OPT_USER_TIMEOUT, OPT_KEEPALIVE, OPT_N };

#if defined(TCP_KEEPIDLE)
#  define IDLE_NAME TCP_KEEPIDLE
#  define IDLE_LABEL "TCP_KEEPIDLE"
#elif defined(TCP_KEEPALIVE)
#  define IDLE_NAME TCP_KEEPALIVE
#  define IDLE_LABEL "TCP_KEEPALIVE"
#else
#  define IDLE_NAME (-1)
#  define IDLE_LABEL "TCP_KEEPIDLE"
#endif
#if defined(TCP_KEEPINTVL)
#  define INTVL_NAME TCP_KEEPINTVL
#else
#  define INTVL_NAME (-1)
#endif
#if defined(TCP_KEEPCNT)
#  define CNT_NAME TCP_KEEPCNT
#else
#  define CNT_NAME (-1)
#endif
#if defined(TCP_USER_TIMEOUT)
#  define USER_TIMEOUT_NAME TCP_USER_TIMEOUT
#else
#  define USER_TIMEOUT_NAME (-1)
#endif

typedef struct sockopt {
  int level;
  int name; /* -1: not on this platform */
  const char *label;
} sockopt;

static const sockopt opts[OPT_N] = {
    {IPPROTO_TCP, IDLE_NAME, IDLE_LABEL},
    {IPPROTO_TCP, INTVL_NAME, "TCP_KEEPINTVL"},
    {IPPROTO_TCP, CNT_NAME, "TCP_KEEPCNT"},
    {IPPROTO_TCP, USER_TIMEOUT_NAME, "TCP_USER_TIMEOUT"},
    {SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE"},
};

/* ---- the OS calls and their messages ---------------------------------------- */

/* errno values grouped for the message: a static string per call, option
 * and group, because siphb_error_info carries a static message and
 * strerror() is neither that nor thread-safe. */
enum { E_BADF, E_NOTSOCK, E_NOPROTOOPT, E_NOTSUP, E_INVAL, E_PERM, E_NOMEM, E_OTHER, E_N };

#define ERRNO_TEXTS(what)                                                                         \
  {what ": EBADF (not an open descriptor)",                                                       \
   what ": ENOTSOCK (not a socket)",                                                              \
   what ": ENOPROTOOPT (not a TCP socket, or the option is unknown to the kernel)",               \
   what ": EOPNOTSUPP (not supported on this socket)",                                            \
   what ": EINVAL (invalid argument)",                                                            \
   what ": EPERM (not permitted)",                                                                \
   what ": ENOBUFS (out of kernel memory)",                                                       \
   what ": refused (another errno)"}

static const char *const get_texts[OPT_N][E_N] = {
    ERRNO_TEXTS("getsockopt " IDLE_LABEL),     ERRNO_TEXTS("getsockopt TCP_KEEPINTVL"),
    ERRNO_TEXTS("getsockopt TCP_KEEPCNT"),     ERRNO_TEXTS("getsockopt TCP_USER_TIMEOUT"),
    ERRNO_TEXTS("getsockopt SO_KEEPALIVE"),
};
static const char *const set_texts[OPT_N][E_N] = {
    ERRNO_TEXTS("setsockopt " IDLE_LABEL),     ERRNO_TEXTS("setsockopt TCP_KEEPINTVL"),
    ERRNO_TEXTS("setsockopt TCP_KEEPCNT"),     ERRNO_TEXTS("setsockopt TCP_USER_TIMEOUT"),
    ERRNO_TEXTS("setsockopt SO_KEEPALIVE"),
};

static int errno_group(int e) {
#if defined(_WIN32)
  switch (e) {
  case WSAENOTSOCK: return E_NOTSOCK;
  case WSAENOPROTOOPT: return E_NOPROTOOPT;
  case WSAEOPNOTSUPP: return E_NOTSUP;
  case WSAEINVAL: case WSAEFAULT: return E_INVAL;
  case WSAEACCES: return E_PERM;
  case WSAENOBUFS: return E_NOMEM;
  default: return E_OTHER;
  }
#else
  /* Not a switch: EOPNOTSUPP and ENOTSUP are one value on Linux, two on
   * the BSDs. */
  if (e == EBADF) return E_BADF;
  if (e == ENOTSOCK) return E_NOTSOCK;
  if (e == ENOPROTOOPT) return E_NOPROTOOPT;
  if (e == EOPNOTSUPP || e == ENOTSUP) return E_NOTSUP;
  if (e == EINVAL) return E_INVAL;
  if (e == EPERM || e == EACCES) return E_PERM;
  if (e == ENOBUFS || e == ENOMEM) return E_NOMEM;
  return E_OTHER;
#endif
}

static int os_error(void) {
#if defined(_WIN32)
  return WSAGetLastError();
#else
  return errno;
#endif
}

int siphb_sockopt_set_os(intptr_t fd, int level, int name, int value, void *user) {
  (void)user;
#if defined(_WIN32)
  if (setsockopt((SOCKET)fd, level, name, (const char *)&value, (int)sizeof value) != 0)
    return os_error();
#else
  if (setsockopt((int)fd, level, name, &value, (socklen_t)sizeof value) != 0) return os_error();
#endif
  return 0;
}

static int sockopt_get(intptr_t fd, int level, int name, int *value) {
  int v = 0;
#if defined(_WIN32)
  int len = (int)sizeof v;
  if (getsockopt((SOCKET)fd, level, name, (char *)&v, &len) != 0) return os_error();
#else
  socklen_t len = (socklen_t)sizeof v;
  if (getsockopt((int)fd, level, name, &v, &len) != 0) return os_error();
#endif
  *value = v;
  return 0;
}

/* Reads every option marked in `which` into values[]; 0 or SIPHB_ERR_OS. */
static int read_opts(intptr_t fd, const bool which[OPT_N], int values[OPT_N],
                     siphb_error_info *err) {
  for (int i = 0; i < OPT_N; i++) {
    if (!which[i]) continue;
    int e = sockopt_get(fd, opts[i].level, opts[i].name, &values[i]);
    if (e != 0) return (int)siphb_fail(err, SIPHB_ERR_OS, 0, 0, get_texts[i][errno_group(e)]);
  }
  return 0;
}

/* ---- the config ----------------------------------------------------------------- */

void siphb_tcp_keepalive_config_init(siphb_tcp_keepalive_config *cfg, size_t size) {
  siphb_sized_init(cfg, size, &config_defaults, sizeof config_defaults, CONFIG_MIN_SIZE);
}

static void defaults_fn(void *full) { memcpy(full, &config_defaults, sizeof config_defaults); }

/* Milliseconds as the whole seconds the kernel takes: rounded up, at most
 * SIPHB_TCP_KEEPALIVE_MAX_SECONDS (ms is not 0). */
static int seconds_of(siphb_ms ms) {
  siphb_ms s = ms / 1000 + (ms % 1000 != 0);
  return s > SIPHB_TCP_KEEPALIVE_MAX_SECONDS ? SIPHB_TCP_KEEPALIVE_MAX_SECONDS : (int)s;
}

static int invalid(siphb_error_info *err, const char *why) {
  return (int)siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, why);
}

static int unsupported(siphb_error_info *err, int opt) {
  static const char *const why[OPT_N] = {
      IDLE_LABEL " is not available on this platform",
      "TCP_KEEPINTVL is not available on this platform",
      "TCP_KEEPCNT is not available on this platform",
      "TCP_USER_TIMEOUT is not available on this platform (user_timeout must be 0 or SIPHB_NEVER)",
      "SO_KEEPALIVE is not available on this platform",
  };
  return (int)siphb_fail(err, SIPHB_ERR_UNSUPPORTED, 0, 0, why[opt]);
}

/* Checks the caller's config and works out the value of each option to
 * set (want[i], where set[i]). 0 or the refusal, recorded in err. */
static int plan(const siphb_tcp_keepalive_config *in, bool set[OPT_N], int want[OPT_N],
                siphb_error_info *err) {
  if (!in) return invalid(err, "cfg is NULL");
  siphb_tcp_keepalive_config full;
  const void *view;
  int rv = siphb_sized_view(in, &full, sizeof full, CONFIG_MIN_SIZE, defaults_fn, &view);
  if (rv != 0) return (int)siphb_sized_refuse(err, rv);
  const siphb_tcp_keepalive_config *cfg = (const siphb_tcp_keepalive_config *)view;

  if (cfg->idle == 0) return invalid(err, "idle is 0 (the first probe needs a delay of 1 ms or more)");
  if (cfg->interval == 0) return invalid(err, "interval is 0 (probes need 1 ms or more between them)");
  if (cfg->count == 0) return invalid(err, "count is 0 (at least one probe before dropping)");
  if (cfg->user_timeout > SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT && cfg->user_timeout != SIPHB_NEVER)
    return invalid(err, "user_timeout is above SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT (2^31-1 ms) "
                        "and not SIPHB_NEVER");

  want[OPT_IDLE] = seconds_of(cfg->idle);
  want[OPT_INTVL] = seconds_of(cfg->interval);
  want[OPT_CNT] = cfg->count > SIPHB_TCP_KEEPALIVE_MAX_COUNT ? SIPHB_TCP_KEEPALIVE_MAX_COUNT
                                                              : (int)cfg->count;
  want[OPT_KEEPALIVE] = 1;
  for (int i = 0; i < OPT_N; i++) set[i] = true;

  if (cfg->user_timeout == SIPHB_NEVER) {
    set[OPT_USER_TIMEOUT] = false; /* the kernel's, untouched */
  } else if (cfg->user_timeout == 0) {
    /* The natural bound: the probe sequence's own length. At most
     * 32767 + 32767 * 127 s, which fits 64 bits in ms. */
    uint64_t ms = ((uint64_t)want[OPT_IDLE] + (uint64_t)want[OPT_INTVL] * (uint64_t)want[OPT_CNT]) *
                  1000u;
    want[OPT_USER_TIMEOUT] = ms > SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT
                                 ? SIPHB_TCP_KEEPALIVE_MAX_USER_TIMEOUT
                                 : (int)ms;
    set[OPT_USER_TIMEOUT] = opts[OPT_USER_TIMEOUT].name != -1; /* none asked for: skip where missing */
  } else {
    want[OPT_USER_TIMEOUT] = (int)cfg->user_timeout;
  }

  for (int i = 0; i < OPT_N; i++)
    if (set[i] && opts[i].name == -1) return unsupported(err, i);
  return 0;
}

/* ---- apply and read ----------------------------------------------------------- */

int siphb_tcp_keepalive_apply_with(intptr_t fd, const siphb_tcp_keepalive_config *cfg,
                                   siphb_error_info *err, siphb_sockopt_set_fn set_fn, void *user) {
  bool set[OPT_N];
  int want[OPT_N], old[OPT_N];
  siphb_error_clear(err);
  int rv = plan(cfg, set, want, err);
  if (rv != 0) return rv;
  rv = read_opts(fd, set, old, err);
  if (rv != 0) return rv; /* nothing set yet */
  for (int i = 0; i < OPT_N; i++) {
    if (!set[i]) continue;
    int e = set_fn(fd, opts[i].level, opts[i].name, want[i], user);
    if (e == 0) continue;
    /* Put back what was already set, last first; a refusal now cannot be
     * helped and the first failure is what the caller hears about. */
    for (int j = i - 1; j >= 0; j--)
      if (set[j]) (void)set_fn(fd, opts[j].level, opts[j].name, old[j], user);
    return (int)siphb_fail(err, SIPHB_ERR_OS, 0, 0, set_texts[i][errno_group(e)]);
  }
  return 0;
}

int siphb_tcp_keepalive_apply(intptr_t fd, const siphb_tcp_keepalive_config *cfg,
                              siphb_error_info *err) {
  return siphb_tcp_keepalive_apply_with(fd, cfg, err, siphb_sockopt_set_os, NULL);
}

int siphb_tcp_keepalive_read(intptr_t fd, siphb_tcp_keepalive_config *out, siphb_error_info *err) {
  siphb_error_clear(err);
  if (!out) return invalid(err, "out is NULL");
  uint32_t size;
  memcpy(&size, out, sizeof size);
  if (size < CONFIG_MIN_SIZE) return (int)siphb_sized_refuse(err, SIPHB_ERR_INVALID_ARGUMENT);

  bool which[OPT_N];
  int v[OPT_N] = {0};
  for (int i = 0; i < OPT_N; i++) which[i] = opts[i].name != -1;
  int rv = read_opts(fd, which, v, err);
  if (rv != 0) return rv;

  siphb_tcp_keepalive_config got;
  memset(&got, 0, sizeof got);
  got.size = size;
  /* Negative values never come from a kernel; 0 keeps "cannot report". */
  got.idle = v[OPT_IDLE] > 0 ? (siphb_ms)v[OPT_IDLE] * 1000u : 0;
  got.interval = v[OPT_INTVL] > 0 ? (siphb_ms)v[OPT_INTVL] * 1000u : 0;
  got.count = v[OPT_CNT] > 0 ? (uint32_t)v[OPT_CNT] : 0;
  got.user_timeout = v[OPT_USER_TIMEOUT] > 0 ? (siphb_ms)v[OPT_USER_TIMEOUT] : 0;
  /* The fields the caller's size covers; a newer caller's tail is its own. */
  memcpy(out, &got, size < sizeof got ? size : sizeof got);
  return v[OPT_KEEPALIVE] != 0 ? 1 : 0;
}
