/* SPDX-License-Identifier: MIT
 *
 * What the HTTP client and the local test server share: the request header
 * that names the client's I/O operation, so the server can park exactly
 * that operation while it waits for scenario time. And what the client's
 * files share: sessions (ls-http-session.c), requests (ls-http.c) and
 * responses (ls-http-response.c).
 */
#pragma once

#include <libsoup/soup.h>

#include "ls-http.h"

G_BEGIN_DECLS

#define LS_HTTP_IO_HEADER "X-Loopscope-Io"

/* "<loop token>/<io id>": the token tells the server the request comes
 * from its own loop (io ids are only unique within one loop's trace). */
char      *_ls_http_io_header_value (LsLoop     *loop,
                                     guint32     io_id);
/* The io id in @value if it names an operation of @loop, else 0. */
guint32    _ls_http_io_header_parse (LsLoop     *loop,
                                     const char *value);

struct _LsHttpSession
{
  guint        ref_count;
  SoupSession *soup;
  guint        in_use;     /* requests holding one of the connections */
  GQueue       waiters;    /* LsFuture: tasks waiting for a connection, FIFO */
};

LsHttpSession  *_ls_http_session_ref          (LsHttpSession  *self);
void            _ls_http_session_unref        (LsHttpSession  *self);
/* On the loop: a request is done with its connection */
void            _ls_http_session_release      (LsHttpSession  *self);
/* In the task: waits while every connection is in use */
gboolean        _ls_http_session_acquire      (LsHttpSession  *self,
                                               LsLoop         *loop,
                                               gint64          deadline,
                                               GError        **error);
/* The session of ls_http_get (NULL, …) on @loop */
LsHttpSession  *_ls_http_loop_default_session (LsLoop         *loop);

LsHttpResponse *_ls_http_response_new         (SoupMessage    *msg,
                                               guint           status,
                                               const char     *url,
                                               gint64          content_length,
                                               const guint8   *body,
                                               gsize           size);
/* str(aiohttp.ClientResponseError) */
void            _ls_http_set_response_error   (GError        **error,
                                               guint           status,
                                               const char     *reason,
                                               const char     *url);

G_END_DECLS
