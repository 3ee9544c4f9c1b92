/* SPDX-License-Identifier: MIT
 *
 * The HTTP client. Two sides share one request:
 *
 *  - the GIO side (libsoup callbacks on the GLib main loop) sends the
 *    request and reads the whole body as it arrives, whatever the task is
 *    doing, so a request always makes progress by itself and its connection
 *    goes back to the pool as soon as the body is in;
 *  - the loop side: every piece of news (headers, body data, the end) is
 *    queued with ls_loop_io_progress / ls_loop_io_complete and, when its
 *    handle runs, copied into what the task may see and wakes the task.
 *
 * News is coalesced: while one notification waits for the loop, more data
 * only updates the byte count. The task therefore sees the response in
 * steps the loop decides (on the virtual clock: each time nothing unparked
 * is in flight), not in the sizes the network happened to deliver, which
 * is what keeps a run's trace deterministic.
 */
#include "config.h"

#include "ls-http.h"

#include <libsoup/soup.h>

#include "ls-combinators.h"
#include "ls-error.h"
#include "ls-http-private.h"
#include "ls-runtime-private.h"

#define READ_SIZE (64 * 1024)

/* ---- one request ----------------------------------------------------------- */

typedef struct
{
  guint          ref_count;
  LsLoop        *loop;
  LsHttpSession *session;
  guint32        io_id;
  SoupMessage   *msg;
  GCancellable  *cancellable;
  GInputStream  *stream;
  GByteArray    *body;

  /* the GIO side */
  gboolean       have_headers;
  guint          status;
  gint64         content_length;
  guint64        received;
  gboolean       notify_pending;
  gboolean       gio_done;    /* the GIO side has queued the completion */
  gboolean       abandoned;   /* the task gave up and completed it itself */
  GError        *error;

  /* what the task may see: copied from the GIO side by handles on the loop */
  gboolean       seen_headers;
  guint64        seen_received;
  gboolean       seen_done;
  LsFuture      *wake;        /* the future the task awaits, while it does */
} Request;

static Request *
request_ref (Request *req)
{
  req->ref_count++;
  return req;
}

static void
request_unref (Request *req)
{
  if (--req->ref_count > 0)
    return;
  g_clear_object (&req->stream);
  g_clear_object (&req->msg);
  g_clear_object (&req->cancellable);
  g_clear_pointer (&req->body, g_byte_array_unref);
  g_clear_error (&req->error);
  g_assert (req->wake == NULL);
  _ls_http_session_unref (req->session);
  g_object_unref (req->loop);
  g_free (req);
}

/* On the loop: what the GIO side knows now becomes what the task sees. */
static void
request_sync (Request *req)
{
  req->seen_headers = req->have_headers;
  req->seen_received = req->received;
  if (req->wake != NULL && !ls_future_is_done (req->wake))
    ls_future_set_result (req->wake, NULL, NULL);
}

static void
request_progress_handle (gpointer a,
                         gpointer b)
{
  Request *req = a;

  req->notify_pending = FALSE;
  request_sync (req);
  request_unref (req);
}

static void
request_complete_handle (gpointer a,
                         gpointer b)
{
  Request *req = a;

  req->seen_done = TRUE;
  request_sync (req);
  _ls_http_session_release (req->session);
  request_unref (req);
}

static void
request_notify (Request *req)
{
  if (req->notify_pending || req->abandoned)
    return;
  req->notify_pending = TRUE;
  ls_loop_io_progress (req->loop, req->io_id, request_progress_handle, request_ref (req), NULL);
}

/* The GIO side is done (takes @error): the operation completes, unless
 * the task already completed it when it gave up. */
static void
request_finish (Request *req,
                GError  *error)
{
  if (req->abandoned)
    g_clear_error (&error);
  else
    {
      req->gio_done = TRUE;
      req->error = error;
      ls_loop_io_complete (req->loop, req->io_id, error == NULL, request_complete_handle,
                           request_ref (req), NULL);
    }
  request_unref (req); /* the GIO side's */
}

/* In the task, which was cancelled, timed out or refused the status: the
 * request goes. Like aiohttp closing the connection in the cancelled task,
 * the operation completes here and now, at a point of the run that does
 * not depend on when libsoup notices; what libsoup reports later is
 * dropped. */
static void
request_abandon (Request *req)
{
  if (!req->gio_done)
    {
      req->abandoned = TRUE;
      ls_loop_io_complete (req->loop, req->io_id, FALSE, request_complete_handle,
                           request_ref (req), NULL);
    }
  g_cancellable_cancel (req->cancellable);
}

static void request_read_next (Request *req);

static void
request_closed (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  /* the body is complete: a failing close does not change the response */
  g_input_stream_close_finish (G_INPUT_STREAM (source), result, NULL);
  request_finish (user_data, NULL);
}

static void
request_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *req = user_data;
  GError *error = NULL;
  GBytes *bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  gsize size;

  if (bytes == NULL)
    {
      request_finish (req, error);
      return;
    }
  size = g_bytes_get_size (bytes);
  if (size == 0)
    {
      g_bytes_unref (bytes);
      /* closing hands the connection back to the session's pool */
      g_input_stream_close_async (req->stream, G_PRIORITY_DEFAULT, NULL, request_closed, req);
      return;
    }
  g_byte_array_append (req->body, g_bytes_get_data (bytes, NULL), size);
  g_bytes_unref (bytes);
  req->received += size;
  request_notify (req);
  request_read_next (req);
}

static void
request_read_next (Request *req)
{
  g_input_stream_read_bytes_async (req->stream, READ_SIZE, G_PRIORITY_DEFAULT, req->cancellable,
                                   request_read, req);
}

static void
request_sent (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *req = user_data;
  GError *error = NULL;
  SoupMessageHeaders *headers;

  req->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (req->stream == NULL)
    {
      request_finish (req, error);
      return;
    }
  headers = soup_message_get_response_headers (req->msg);
  req->have_headers = TRUE;
  req->status = soup_message_get_status (req->msg);
  req->content_length =
    soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
    ? soup_message_headers_get_content_length (headers) : -1;
  request_notify (req);
  request_read_next (req);
}

/* ---- the task side ------------------------------------------------------- */

/* A libsoup/GIO failure as the exception aiohttp would raise. */
static GError *
translate_error (Request    *req,
                 const char *url)
{
  GError *error = req->error;
  GUri *uri = soup_message_get_uri (req->msg);
  const char *host = g_uri_get_host (uri);
  int port = g_uri_get_port (uri);

  if (port < 0)
    port = g_strcmp0 (g_uri_get_scheme (uri), "https") == 0 ? 443 : 80;

  if (!req->have_headers
      && (error->domain == G_RESOLVER_ERROR
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)))
    {
      /* str(aiohttp.ClientConnectorError) */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
        return g_error_new (LS_HTTP_ERROR, LS_HTTP_ERROR_CONNECTOR,
                            "Cannot connect to host %s:%d ssl:default "
                            "[Connect call failed ('%s', %d)]", host, port, host, port);
      return g_error_new (LS_HTTP_ERROR, LS_HTTP_ERROR_CONNECTOR,
                          "Cannot connect to host %s:%d ssl:default [%s]", host, port,
                          error->message);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
    {
      if (req->have_headers)
        return g_error_new (LS_HTTP_ERROR, LS_HTTP_ERROR_PAYLOAD,
                            "Response payload is not completed");
      return g_error_new (LS_HTTP_ERROR, LS_HTTP_ERROR_SERVER_DISCONNECTED,
                          "Server disconnected");
    }
  return g_error_new (LS_HTTP_ERROR, LS_HTTP_ERROR_OS, "%s", error->message);
}

/* Waits for the request's news until it is complete, calling @progress
 * on the way. Returns FALSE with the error that stopped the wait (the task
 * was cancelled, or raise_for_status). */
static gboolean
request_wait (Request             *req,
              const LsHttpOptions *options,
              gint64               deadline,
              const char          *url,
              GError             **error)
{
  guint64 reported = 0;

  for (;;)
    {
      g_autoptr(LsFuture) wake = NULL;
      g_autoptr(GVariant) ignored = NULL;
      GError *local_error = NULL;

      if (req->seen_headers && options->raise_for_status && req->status >= 400)
        {
          _ls_http_set_response_error (error, req->status, soup_message_get_reason_phrase (req->msg),
                              url);
          return FALSE;
        }
      if (options->progress != NULL && req->seen_received > reported)
        {
          /* a copy: the GIO side keeps appending to the body meanwhile */
          g_autoptr(GBytes) chunk = g_bytes_new (req->body->data + reported,
                                                 req->seen_received - reported);

          reported = req->seen_received;
          if (!options->progress (chunk, reported, req->content_length, options->progress_data,
                                  error))
            return FALSE;
        }
      if (req->seen_done)
        return TRUE;

      wake = _ls_future_new_internal (req->loop, LS_WAIT_IO, req->io_id, deadline);
      req->wake = ls_future_ref (wake);
      ignored = ls_future_await (wake, &local_error);
      g_clear_pointer (&req->wake, ls_future_unref);
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return FALSE;
        }
    }
}

LsHttpResponse *
ls_http_get (LsHttpSession       *session,
             const char          *url,
             const LsHttpOptions *options,
             GError             **error)
{
  static const LsHttpOptions defaults = LS_HTTP_OPTIONS_INIT;
  LsTask *task = ls_task_current ();
  LsLoop *loop;
  LsTimeoutScope *scope = NULL;
  Request *req;
  g_autofree char *description = NULL;
  g_autofree char *header = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  LsHttpResponse *response = NULL;
  GError *local_error = NULL;
  gint64 deadline = -1;

  if (task == NULL)
    {
      g_critical ("ls_http_get must be called from inside a task");
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME,
                           "ls_http_get must be called from inside a task");
      return NULL;
    }
  g_return_val_if_fail (url != NULL, NULL);
  loop = ls_future_get_loop (LS_FUTURE (task));
  if (options == NULL)
    options = &defaults;
  if (session == NULL)
    session = _ls_http_loop_default_session (loop);

  msg = soup_message_new (SOUP_METHOD_GET, url);
  if (msg == NULL)
    {
      g_set_error (error, LS_HTTP_ERROR, LS_HTTP_ERROR_INVALID_URL, "%s", url);
      return NULL;
    }

  /* async with timeout(…): the whole request, waiting for a connection
   * included, on the scenario clock */
  if (options->timeout >= 0)
    {
      deadline = ls_loop_time_ns (loop) + ls_seconds_to_ns (options->timeout);
      scope = ls_timeout_enter_at (deadline);
    }
  if (!_ls_http_session_acquire (session, loop, deadline, &local_error))
    goto out;

  req = g_new0 (Request, 1);
  req->ref_count = 2; /* the task's and the GIO side's */
  req->loop = g_object_ref (loop);
  req->session = _ls_http_session_ref (session);
  req->msg = g_object_ref (msg);
  req->cancellable = g_cancellable_new ();
  req->body = g_byte_array_new ();
  req->content_length = -1;

  description = g_strdup_printf ("GET %s", url);
  req->io_id = ls_loop_io_begin (loop, description);
  header = _ls_http_io_header_value (loop, req->io_id);
  soup_message_headers_replace (soup_message_get_request_headers (msg), LS_HTTP_IO_HEADER, header);
  soup_session_send_async (session->soup, msg, G_PRIORITY_DEFAULT, req->cancellable,
                           request_sent, req);

  if (!request_wait (req, options, deadline, url, &local_error))
    request_abandon (req);
  else if (req->error != NULL)
    local_error = translate_error (req, url);
  else
    response = _ls_http_response_new (req->msg, req->status, url, req->content_length,
                                      req->body->data, req->seen_received);
  request_unref (req);

out:
  if (scope != NULL)
    ls_timeout_exit (scope, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      g_clear_pointer (&response, ls_http_response_free);
    }
  return response;
}
