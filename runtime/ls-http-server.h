/* SPDX-License-Identifier: MIT
 *
 * A local stand-in for httpbin.org, so scenarios can make real HTTP
 * requests without leaving the machine: a SoupServer on 127.0.0.1 (an
 * ephemeral port) in this process, on the loop's GMainContext. Its waits
 * are scenario time, so on the virtual clock /delay/3 answers at exactly
 * 3.0 in no real time at all.
 *
 *   /get                the request as JSON (args, headers, origin, url)
 *   /delay/N            the same, after N seconds (N ≤ 10, as httpbin)
 *   /bytes/N            N pseudo-random bytes (N ≤ 100 KiB, as httpbin)
 *                       with Content-Length; optional query: seed=S,
 *                       chunk_size=C (default 10240), duration=D (the
 *                       chunks are spread evenly over D seconds, the last
 *                       one at D)
 *   /status/CODE        an empty response with that status
 *
 * While it waits, the server parks the client's I/O (ls_loop_io_park), so
 * the virtual clock may move on; see DESIGN.md.
 */
#pragma once

#include "ls-loop.h"

G_BEGIN_DECLS

typedef struct _LsHttpServer LsHttpServer;

LsHttpServer *ls_http_server_new          (LsLoop       *loop,
                                           GError      **error);
/* "http://127.0.0.1:PORT", no trailing slash */
const char   *ls_http_server_get_base_url (LsHttpServer *self);
/* Serve another loop from now on (a new run of a scenario keeps the same
 * URLs); what the old loop had pending is answered at once. */
void          ls_http_server_set_loop     (LsHttpServer *self,
                                           LsLoop       *loop);
/* Responses not yet finished (waiting or being written). */
guint         ls_http_server_get_n_pending (LsHttpServer *self);
void          ls_http_server_free         (LsHttpServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsHttpServer, ls_http_server_free)

G_END_DECLS
