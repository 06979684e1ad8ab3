/*
 * st_encode.c - the header lines of an RFC 4028 decision (siphb/st.h),
 * through the SIP encoders' bounded writer (sip/outbuf.h).
 */
#include <siphb/st.h>

#include "base/error_info.h"
#include "sip/outbuf.h"

static void line_u32(siphb_outbuf *o, const char *name, size_t name_len, uint32_t v) {
  siphb_ob_put(o, name, name_len);
  siphb_ob_put_dec(o, v);
  siphb_ob_put(o, SIPHB_LIT("\r\n"));
}

siphb_ssize siphb_st_encode(char *buf, size_t cap, const siphb_st_result *res,
                            siphb_error_info *err) {
  siphb_error_clear(err);
  if (!res || (!buf && cap) || (unsigned)res->refresher > SIPHB_SIP_REFRESHER_UAS)
    return siphb_fail(err, SIPHB_ERR_INVALID_ARGUMENT, 0, 0, "NULL argument or bad refresher");
  siphb_outbuf o;
  siphb_ob_init(&o, (uint8_t *)buf, cap);
  if (res->action == SIPHB_ST_ACTION_REJECT) {
    if (res->status == 422) line_u32(&o, SIPHB_LIT("Min-SE: "), res->min_se_s);
  } else {
    if (res->supported_timer) siphb_ob_put(&o, SIPHB_LIT("Supported: timer\r\n"));
    if (res->has_session_expires) {
      siphb_ob_put(&o, SIPHB_LIT("Session-Expires: "));
      siphb_ob_put_dec(&o, res->interval_s);
      if (res->refresher == SIPHB_SIP_REFRESHER_UAC) siphb_ob_put(&o, SIPHB_LIT(";refresher=uac"));
      if (res->refresher == SIPHB_SIP_REFRESHER_UAS) siphb_ob_put(&o, SIPHB_LIT(";refresher=uas"));
      siphb_ob_put(&o, SIPHB_LIT("\r\n"));
    }
    if (res->has_min_se) line_u32(&o, SIPHB_LIT("Min-SE: "), res->min_se_s);
    if (res->require_timer) siphb_ob_put(&o, SIPHB_LIT("Require: timer\r\n"));
  }
  if (o.len > cap) return siphb_fail(err, SIPHB_ERR_NOBUF, 0, o.len, "buffer too small");
  if (o.len < cap) buf[o.len] = '\0';
  return (siphb_ssize)o.len;
}
