/* SPDX-License-Identifier: MIT
 *
 * What the HTTP client and the local test server share: the request header
 * that names the client's I/O operation, so the server can park exactly
 * that operation while it waits for scenario time.
 */
#pragma once

#include "ls-loop.h"

G_BEGIN_DECLS

#define LS_HTTP_IO_HEADER "X-Loopscope-Io"

/* "<loop token>/<io id>": the token tells the server the request comes
 * from its own loop (io ids are only unique within one loop's trace). */
char      *_ls_http_io_header_value (LsLoop     *loop,
                                     guint32     io_id);
/* The io id in @value if it names an operation of @loop, else 0. */
guint32    _ls_http_io_header_parse (LsLoop     *loop,
                                     const char *value);

G_END_DECLS
