/*
 * stream_frame.h - the demultiplexer's one entry point (internal; exported
 * to the engine, whose siphb_ctx_receive() frames through it, so that the
 * ctx and siphb_stream_next() can never disagree).
 */
#ifndef SIPHB_LIB_STREAM_FRAME_H
#define SIPHB_LIB_STREAM_FRAME_H

#include <siphb/sip.h>
#include <siphb/stream.h>

/* siphb_stream_next(), which also leaves the lenient parse of a SIP item in
 * *sip (when sip is not NULL and the item is SIP), so that the module the
 * ctx hands it to need not parse it again. */
siphb_ssize siphb_stream_frame(const uint8_t *data, size_t len, siphb_transport transport,
                               siphb_stream_role role, siphb_stream_item *item,
                               siphb_sip_msg *sip, siphb_error_info *err);

#endif /* SIPHB_LIB_STREAM_FRAME_H */
