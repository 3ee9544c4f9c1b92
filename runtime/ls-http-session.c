/* SPDX-License-Identifier: MIT
 *
 * HTTP sessions: libsoup's session, and a limit of 100 connections like
 * aiohttp's connector, enforced on the loop (a task waits for a free
 * connection on a future) rather than inside libsoup, where a queued
 * request would be in flight without progress and stop the virtual clock.
 * And the request header that names the client's I/O operation, which the
 * local server reads to park it.
 */
#include "config.h"

#include "ls-http.h"

#include "ls-http-private.h"
#include "ls-runtime-private.h"

/* aiohttp's TCPConnector(limit=100) */
#define MAX_CONNECTIONS 100

G_DEFINE_QUARK (ls-http-error-quark, ls_http_error)

/* ---- the header that names the client's I/O ---------------------------- */

static guint
loop_token (LsLoop *loop)
{
  static guint next_token;
  static GQuark quark;
  guint token;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("ls-http-loop-token");
  token = GPOINTER_TO_UINT (g_object_get_qdata (G_OBJECT (loop), quark));
  if (token == 0)
    {
      token = ++next_token;
      g_object_set_qdata (G_OBJECT (loop), quark, GUINT_TO_POINTER (token));
    }
  return token;
}

char *
_ls_http_io_header_value (LsLoop *loop,
                          guint32 io_id)
{
  return g_strdup_printf ("%u/%u", loop_token (loop), io_id);
}

guint32
_ls_http_io_header_parse (LsLoop     *loop,
                          const char *value)
{
  guint64 token, io_id;
  char *end;

  if (value == NULL)
    return 0;
  token = g_ascii_strtoull (value, &end, 10);
  if (*end != '/' || token != loop_token (loop))
    return 0;
  io_id = g_ascii_strtoull (end + 1, &end, 10);
  if (*end != '\0' || io_id > G_MAXUINT32)
    return 0;
  return (guint32) io_id;
}

/* ---- sessions ------------------------------------------------------------ */

LsHttpSession *
ls_http_session_new (void)
{
  LsHttpSession *self = g_new0 (LsHttpSession, 1);

  self->ref_count = 1;
  /* No real-time I/O timeout: scenario time may stand still (paused, or a
   * server waiting for the virtual clock) for as long as it likes. The
   * connection limit is enforced before libsoup sees a request (see
   * _ls_http_session_acquire), so libsoup never queues one. */
  self->soup = soup_session_new_with_options ("max-conns", MAX_CONNECTIONS,
                                              "max-conns-per-host", MAX_CONNECTIONS,
                                              "timeout", 0,
                                              "user-agent", "Loopscope/" PACKAGE_VERSION,
                                              NULL);
  /* never through a proxy from the environment: scenarios talk to 127.0.0.1 */
  soup_session_set_proxy_resolver (self->soup, NULL);
  g_queue_init (&self->waiters);
  return self;
}

LsHttpSession *
_ls_http_session_ref (LsHttpSession *self)
{
  self->ref_count++;
  return self;
}

void
_ls_http_session_unref (LsHttpSession *self)
{
  if (--self->ref_count > 0)
    return;
  /* a waiting task holds a reference: none can be left */
  g_assert (g_queue_is_empty (&self->waiters));
  g_object_unref (self->soup);
  g_free (self);
}

/* Requests still in flight are cancelled; they finish on their own. */
void
ls_http_session_free (LsHttpSession *self)
{
  if (self == NULL)
    return;
  soup_session_abort (self->soup);
  _ls_http_session_unref (self);
}

/* On the loop: a request is done with its connection. The slot passes to
 * the first task still waiting, as aiohttp's connector hands it on. */
void
_ls_http_session_release (LsHttpSession *self)
{
  LsFuture *next;

  while ((next = g_queue_pop_head (&self->waiters)) != NULL)
    {
      gboolean handed = !ls_future_is_done (next);

      if (handed)
        ls_future_set_result (next, NULL, NULL);
      ls_future_unref (next);
      if (handed)
        return;
    }
  self->in_use--;
}

/* In the task: waits (on the loop, like aiohttp's connector) while every
 * connection is in use. Without this libsoup would queue the request
 * itself, invisibly: an operation in flight that makes no progress, which
 * would keep the virtual clock from ever moving. */
gboolean
_ls_http_session_acquire (LsHttpSession *self,
                          LsLoop        *loop,
                          gint64         deadline,
                          GError       **error)
{
  g_autoptr(LsFuture) slot = NULL;
  g_autoptr(GVariant) ignored = NULL;
  GError *local_error = NULL;

  if (self->in_use < MAX_CONNECTIONS && g_queue_is_empty (&self->waiters))
    {
      self->in_use++;
      return TRUE;
    }
  slot = _ls_future_new_internal (loop, LS_WAIT_FUTURE, 0, deadline);
  g_queue_push_tail (&self->waiters, ls_future_ref (slot));
  _ls_http_session_ref (self);
  ignored = ls_future_await (slot, &local_error);
  if (local_error != NULL)
    {
      if (ls_future_is_done (slot) && !ls_future_is_cancelled (slot))
        _ls_http_session_release (self); /* handed over, but this task was cancelled */
      else if (g_queue_remove (&self->waiters, slot))
        ls_future_unref (slot);
      g_propagate_error (error, local_error);
    }
  _ls_http_session_unref (self);
  return local_error == NULL;
}

LsHttpSession *
_ls_http_loop_default_session (LsLoop *loop)
{
  static GQuark quark;
  LsHttpSession *session;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("ls-http-default-session");
  session = g_object_get_qdata (G_OBJECT (loop), quark);
  if (session == NULL)
    {
      session = ls_http_session_new ();
      g_object_set_qdata_full (G_OBJECT (loop), quark, session,
                               (GDestroyNotify) ls_http_session_free);
    }
  return session;
}
