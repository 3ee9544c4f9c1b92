/* SPDX-License-Identifier: MIT
 *
 * An HTTP client for scenario code, written like the chapter's aiohttp:
 *
 *   g_autoptr(LsHttpResponse) r = ls_http_get (session, url, NULL, error);
 *
 * suspends the calling task until the whole response is in (libsoup 3's
 * asynchronous API underneath, on the same GMainContext as the loop). One
 * request is one I/O operation in the trace ("GET <url>"); the body is read
 * as it arrives and the task wakes for each piece, so a progress callback
 * runs in the task the way `async for chunk in resp.content` does.
 *
 * A timeout is scenario time (the loop's timeout scope, so it follows the
 * virtual clock) and gives TimeoutError; cancelling the task cancels the
 * request.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "ls-loop.h"

G_BEGIN_DECLS

#define LS_HTTP_ERROR (ls_http_error_quark ())

typedef enum
{
  LS_HTTP_ERROR_RESPONSE,     /* aiohttp.ClientResponseError (raise_for_status) */
  LS_HTTP_ERROR_CONNECTOR,    /* aiohttp.ClientConnectorError: no connection */
  LS_HTTP_ERROR_OS,           /* aiohttp.ClientOSError: the connection failed later */
  LS_HTTP_ERROR_PAYLOAD,      /* aiohttp.ClientPayloadError: the body was cut short */
  LS_HTTP_ERROR_INVALID_URL,  /* aiohttp.InvalidURL */
  LS_HTTP_ERROR_SERVER_DISCONNECTED, /* aiohttp.ServerDisconnectedError: closed before
                                        answering */
} LsHttpError;

GQuark            ls_http_error_quark               (void);

/* aiohttp.ClientSession: connections are kept alive and reused, at most
 * 100 at once like aiohttp's default connector. */
typedef struct _LsHttpSession LsHttpSession;

LsHttpSession    *ls_http_session_new               (void);
void              ls_http_session_free              (LsHttpSession  *self);

/* Called in the task for each piece of the body, like the body of
 * `async for chunk in resp.content.iter_any()`: @chunk the new bytes,
 * @received the bytes so far, @total the Content-Length (-1 when there is
 * none). It may suspend (write the chunk to a file, say); returning FALSE
 * with an error abandons the request and ls_http_get fails with it. */
typedef gboolean (*LsHttpProgressFunc) (GBytes   *chunk,
                                        guint64   received,
                                        gint64    total,
                                        gpointer  user_data,
                                        GError  **error);

typedef struct
{
  double             timeout;           /* seconds of scenario time for the whole
                                           request; LS_NO_TIMEOUT (or < 0): none */
  gboolean           raise_for_status;  /* status >= 400: LS_HTTP_ERROR_RESPONSE */
  LsHttpProgressFunc progress;
  gpointer           progress_data;
} LsHttpOptions;

/* Zeroed options are not the defaults (timeout 0): start from this. */
#define LS_HTTP_OPTIONS_INIT { -1.0, FALSE, NULL, NULL }

typedef struct _LsHttpResponse LsHttpResponse;

/* From inside a task. @session NULL: one session per loop. @options NULL:
 * no timeout, no raise_for_status, no progress. */
LsHttpResponse   *ls_http_get                       (LsHttpSession       *session,
                                                     const char          *url,
                                                     const LsHttpOptions *options,
                                                     GError             **error);

guint             ls_http_response_get_status       (LsHttpResponse *self);
const char       *ls_http_response_get_reason       (LsHttpResponse *self);
const char       *ls_http_response_get_url          (LsHttpResponse *self);
/* A response header (case-insensitive name), or NULL. */
const char       *ls_http_response_get_header       (LsHttpResponse *self,
                                                     const char     *name);
gint64            ls_http_response_get_content_length (LsHttpResponse *self);
GBytes           *ls_http_response_get_body         (LsHttpResponse *self);
/* resp.text(): the body as UTF-8 (invalid sequences replaced). */
char             *ls_http_response_dup_text         (LsHttpResponse *self);
/* resp.json(): the parsed body (free with json_node_unref). */
JsonNode         *ls_http_response_get_json         (LsHttpResponse *self,
                                                     GError        **error);
/* resp.raise_for_status() */
gboolean          ls_http_response_raise_for_status (LsHttpResponse *self,
                                                     GError        **error);
void              ls_http_response_free             (LsHttpResponse *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsHttpResponse, ls_http_response_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsHttpSession, ls_http_session_free)

G_END_DECLS
