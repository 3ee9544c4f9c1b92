/* SPDX-License-Identifier: MIT
 *
 * An HTTP response as the task saw it: status, headers and the body read
 * so far, with aiohttp's raise_for_status ().
 */
#include "config.h"

#include "ls-http.h"

#include "ls-http-private.h"

/* ---- responses ------------------------------------------------------------- */

struct _LsHttpResponse
{
  guint               status;
  char               *reason;
  char               *url;
  SoupMessageHeaders *headers;
  gint64              content_length;
  GBytes             *body;
};

/* The response to @msg as the task saw it: its first @size bytes of
 * @body. */
LsHttpResponse *
_ls_http_response_new (SoupMessage  *msg,
                       guint         status,
                       const char   *url,
                       gint64        content_length,
                       const guint8 *body,
                       gsize         size)
{
  LsHttpResponse *self = g_new0 (LsHttpResponse, 1);

  self->status = status;
  self->reason = g_strdup (soup_message_get_reason_phrase (msg));
  self->url = g_strdup (url);
  self->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  self->content_length = content_length;
  self->body = g_bytes_new (body, size);
  return self;
}

guint
ls_http_response_get_status (LsHttpResponse *self)
{
  return self->status;
}

const char *
ls_http_response_get_reason (LsHttpResponse *self)
{
  return self->reason;
}

const char *
ls_http_response_get_url (LsHttpResponse *self)
{
  return self->url;
}

const char *
ls_http_response_get_header (LsHttpResponse *self,
                             const char     *name)
{
  return soup_message_headers_get_one (self->headers, name);
}

gint64
ls_http_response_get_content_length (LsHttpResponse *self)
{
  return self->content_length;
}

GBytes *
ls_http_response_get_body (LsHttpResponse *self)
{
  return self->body;
}

char *
ls_http_response_dup_text (LsHttpResponse *self)
{
  gsize size;
  const char *data = g_bytes_get_data (self->body, &size);

  return g_utf8_make_valid (data != NULL ? data : "", size);
}

JsonNode *
ls_http_response_get_json (LsHttpResponse *self,
                           GError        **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (self->body, &size);

  if (!json_parser_load_from_data (parser, data != NULL ? data : "", size, error))
    return NULL;
  return json_parser_steal_root (parser);
}

void
_ls_http_set_response_error (GError    **error,
                             guint       status,
                             const char *reason,
                             const char *url)
{
  /* str(aiohttp.ClientResponseError) */
  g_set_error (error, LS_HTTP_ERROR, LS_HTTP_ERROR_RESPONSE, "%u, message='%s', url=URL('%s')",
               status, reason != NULL ? reason : "", url);
}

gboolean
ls_http_response_raise_for_status (LsHttpResponse *self,
                                   GError        **error)
{
  /* aiohttp raises from 400 on */
  if (self->status < 400)
    return TRUE;
  _ls_http_set_response_error (error, self->status, self->reason, self->url);
  return FALSE;
}

void
ls_http_response_free (LsHttpResponse *self)
{
  if (self == NULL)
    return;
  g_free (self->reason);
  g_free (self->url);
  soup_message_headers_unref (self->headers);
  g_bytes_unref (self->body);
  g_free (self);
}
