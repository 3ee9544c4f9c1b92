/* SPDX-License-Identifier: MIT
 *
 * The local httpbin. A response that has to wait (/delay, the chunks of a
 * slow /bytes) pauses its SoupServerMessage and parks the client's I/O on
 * the loop until the scenario time it is due: the client names its
 * operation in a request header, so the loop knows exactly which in-flight
 * operation is now waiting only for the clock. When the park ends the
 * server writes; the operation is then in flight for real again, so the
 * virtual clock waits for the client to read what was written.
 *
 * The server is the far end of the network, not part of the scenario: its
 * waits are parks, not loop timers, so they add no records to the trace
 * (CPython waiting for httpbin.org shows nothing either, only the answer
 * arriving) and requests reaching it in whatever order the network chose
 * leave the trace alone.
 */
#include "config.h"

#include "ls-http-server.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ls-http-private.h"
#include "ls-runtime-private.h"

/* httpbin's limits */
#define MAX_DELAY_SECONDS 10.0
#define MAX_BYTES (100 * 1024)
#define DEFAULT_CHUNK_SIZE 10240

struct _LsHttpServer
{
  LsLoop     *loop;
  SoupServer *soup;
  char       *base_url;
  GPtrArray  *pending;   /* Reply: responses that wait for scenario time */
};

typedef enum
{
  REPLY_DELAY,
  REPLY_BYTES,
} ReplyKind;

typedef struct
{
  LsHttpServer      *server;
  SoupServerMessage *msg;
  ReplyKind          kind;
  guint32            io_id;       /* the client's operation, 0 if unknown */
  guint              park_id;
  gulong             finished_id;
  gulong             wrote_headers_id;
  gulong             wrote_chunk_id;
  char              *json;        /* REPLY_DELAY */
  GBytes            *data;        /* REPLY_BYTES: the whole body */
  gsize              chunk_size;
  guint              n_chunks;
  guint              n_sent;
  gint64             start;       /* scenario ns */
  gint64             duration;
} Reply;

/* ---- JSON like httpbin's ----------------------------------------------- */

/* "accept-encoding" -> "Accept-Encoding", as httpbin shows header names */
static char *
title_case (const char *name)
{
  char *out = g_ascii_strdown (name, -1);
  gboolean start = TRUE;

  for (char *p = out; *p; p++)
    {
      if (start)
        *p = g_ascii_toupper (*p);
      start = *p == '-';
    }
  return out;
}

static void
add_sorted_object (JsonBuilder *builder,
                   const char  *member,
                   GTree       *tree)
{
  GTreeNode *node;

  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  for (node = g_tree_node_first (tree); node != NULL; node = g_tree_node_next (node))
    {
      json_builder_set_member_name (builder, g_tree_node_key (node));
      json_builder_add_string_value (builder, g_tree_node_value (node));
    }
  json_builder_end_object (builder);
}

static char *
request_info_json (SoupServerMessage *msg,
                   GHashTable        *query,
                   gboolean           with_body)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GTree) args = g_tree_new_full ((GCompareDataFunc) strcmp, NULL, g_free, g_free);
  g_autoptr(GTree) headers = g_tree_new_full ((GCompareDataFunc) strcmp, NULL, g_free, g_free);
  g_autofree char *url = g_uri_to_string (soup_server_message_get_uri (msg));
  SoupMessageHeadersIter iter;
  const char *name, *value;

  if (query != NULL)
    {
      GHashTableIter it;
      gpointer k, v;

      g_hash_table_iter_init (&it, query);
      while (g_hash_table_iter_next (&it, &k, &v))
        g_tree_insert (args, g_strdup (k), g_strdup (v));
    }
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      char *key;
      const char *before;

      if (g_ascii_strcasecmp (name, LS_HTTP_IO_HEADER) == 0)
        continue; /* the runtime's, not the scenario's */
      key = title_case (name);
      before = g_tree_lookup (headers, key);
      g_tree_insert (headers, key,
                     before != NULL ? g_strconcat (before, ",", value, NULL) : g_strdup (value));
    }

  /* httpbin sorts the keys */
  json_builder_begin_object (builder);
  add_sorted_object (builder, "args", args);
  if (with_body)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_add_string_value (builder, "");
      json_builder_set_member_name (builder, "files");
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "form");
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
    }
  add_sorted_object (builder, "headers", headers);
  json_builder_set_member_name (builder, "origin");
  json_builder_add_string_value (builder, soup_server_message_get_remote_host (msg));
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, url);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  return json_generator_to_data (generator, NULL);
}

static void
respond_json (SoupServerMessage *msg,
              char              *json)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, json,
                                    strlen (json));
}

/* ---- waiting replies ------------------------------------------------------ */

static void reply_wake (gpointer data, gboolean reached);

static void
reply_free (Reply *reply)
{
  if (reply->park_id != 0)
    ls_loop_io_unpark (reply->server->loop, reply->park_id);
  g_signal_handler_disconnect (reply->msg, reply->finished_id);
  g_clear_signal_handler (&reply->wrote_headers_id, reply->msg);
  g_clear_signal_handler (&reply->wrote_chunk_id, reply->msg);
  g_object_unref (reply->msg);
  g_free (reply->json);
  g_clear_pointer (&reply->data, g_bytes_unref);
  g_free (reply);
}

static void
reply_park (Reply *reply,
            gint64 until)
{
  reply->park_id = ls_loop_io_park (reply->server->loop, reply->io_id, until, reply_wake, reply);
  if (reply->park_id == 0)
    reply_wake (reply, FALSE); /* the client has given up already */
}

/* When chunk @index is due: chunks are spread evenly, the last at the end. */
static gint64
reply_chunk_due (Reply *reply,
                 guint  index)
{
  return reply->start + reply->duration * (gint64) (index + 1) / reply->n_chunks;
}

static void
reply_append_chunks (Reply *reply,
                     guint  n)
{
  SoupMessageBody *body = soup_server_message_get_response_body (reply->msg);
  gsize total = g_bytes_get_size (reply->data);
  gsize from = MIN (total, reply->n_sent * reply->chunk_size);
  gsize to = MIN (total, (reply->n_sent + n) * reply->chunk_size);
  g_autoptr(GBytes) chunk = g_bytes_new_from_bytes (reply->data, from, to - from);

  soup_message_body_append_bytes (body, chunk);
  reply->n_sent += n;
  if (reply->n_sent == reply->n_chunks)
    soup_message_body_complete (body);
}

/* Sends whatever is left at once and stops waiting, so libsoup can finish
 * the message (writing to a connection the client closed simply fails). */
static void
reply_answer_now (Reply *reply)
{
  if (reply->park_id != 0)
    {
      ls_loop_io_unpark (reply->server->loop, reply->park_id);
      reply->park_id = 0;
    }
  g_clear_signal_handler (&reply->wrote_headers_id, reply->msg);
  g_clear_signal_handler (&reply->wrote_chunk_id, reply->msg);
  if (reply->kind == REPLY_DELAY && reply->json != NULL)
    respond_json (reply->msg, g_steal_pointer (&reply->json));
  else if (reply->kind == REPLY_BYTES && reply->n_sent < reply->n_chunks)
    reply_append_chunks (reply, reply->n_chunks - reply->n_sent);
  else
    return;
  soup_server_message_unpause (reply->msg);
}

/* The park ended: the scenario time came (@reached), or the client went
 * away. */
static void
reply_wake (gpointer data,
            gboolean reached)
{
  Reply *reply = data;

  reply->park_id = 0;
  if (!reached)
    {
      reply_answer_now (reply);
      return;
    }
  if (reply->kind == REPLY_DELAY)
    respond_json (reply->msg, g_steal_pointer (&reply->json));
  else
    reply_append_chunks (reply, 1);
  soup_server_message_unpause (reply->msg);
}

/* A chunk (or the headers) reached the socket: park until the next one is
 * due. Only now, so the virtual clock cannot move on before what was
 * written reaches the client (which reads at a higher GLib priority than
 * the loop's source runs at). libsoup pauses the message itself when it
 * finds no chunk to write. */
static void
reply_wrote (SoupServerMessage *msg,
             gpointer           user_data)
{
  Reply *reply = user_data;

  if (reply->n_sent < reply->n_chunks && reply->park_id == 0)
    reply_park (reply, reply_chunk_due (reply, reply->n_sent));
}

static void
reply_finished (SoupServerMessage *msg,
                gpointer           user_data)
{
  Reply *reply = user_data;

  g_ptr_array_remove_fast (reply->server->pending, reply);
  reply_free (reply);
}

static Reply *
reply_new (LsHttpServer      *self,
           SoupServerMessage *msg,
           ReplyKind          kind)
{
  Reply *reply = g_new0 (Reply, 1);
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     LS_HTTP_IO_HEADER);

  reply->server = self;
  reply->msg = g_object_ref (msg);
  reply->kind = kind;
  reply->io_id = _ls_http_io_header_parse (self->loop, header);
  reply->start = ls_loop_time_ns (self->loop);
  reply->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (reply_finished), reply);
  g_ptr_array_add (self->pending, reply);
  return reply;
}

/* ---- endpoints ------------------------------------------------------------ */

static gboolean
parse_number (const char *text,
              double     *value)
{
  char *end;

  if (text == NULL || *text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return *end == '\0' && isfinite (*value) && *value >= 0;
}

static void
handle_delay (LsHttpServer      *self,
              SoupServerMessage *msg,
              GHashTable        *query,
              double             seconds)
{
  Reply *reply = reply_new (self, msg, REPLY_DELAY);

  reply->json = request_info_json (msg, query, TRUE);
  soup_server_message_pause (msg);
  reply_park (reply, reply->start + ls_seconds_to_ns (MIN (seconds, MAX_DELAY_SECONDS)));
}

static void
handle_bytes (LsHttpServer      *self,
              SoupServerMessage *msg,
              GHashTable        *query,
              gsize              n)
{
  const char *seed = query != NULL ? g_hash_table_lookup (query, "seed") : NULL;
  const char *chunk = query != NULL ? g_hash_table_lookup (query, "chunk_size") : NULL;
  const char *duration = query != NULL ? g_hash_table_lookup (query, "duration") : NULL;
  double chunk_size = DEFAULT_CHUNK_SIZE, seconds = 0;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed != NULL ? (guint32) atoi (seed) : 0);
  guint8 *data;
  Reply *reply;

  n = MIN (n, MAX_BYTES);
  if ((chunk != NULL && (!parse_number (chunk, &chunk_size) || chunk_size < 1))
      || (duration != NULL && !parse_number (duration, &seconds)))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_BAD_REQUEST, NULL);
      return;
    }
  data = g_malloc (MAX (n, 1));
  for (gsize i = 0; i < n; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/octet-stream", NULL);
  soup_message_headers_set_content_length (soup_server_message_get_response_headers (msg), n);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);

  reply = reply_new (self, msg, REPLY_BYTES);
  reply->data = g_bytes_new_take (data, n);
  reply->chunk_size = (gsize) chunk_size;
  reply->n_chunks = MAX (1, (guint) ((n + reply->chunk_size - 1) / reply->chunk_size));
  reply->duration = ls_seconds_to_ns (seconds);
  if (reply->duration == 0)
    {
      /* all chunks now: libsoup writes them one after another */
      for (guint i = 0; i < reply->n_chunks; i++)
        reply_append_chunks (reply, 1);
      return;
    }
  reply->wrote_headers_id = g_signal_connect (msg, "wrote-headers", G_CALLBACK (reply_wrote),
                                              reply);
  reply->wrote_chunk_id = g_signal_connect (msg, "wrote-chunk", G_CALLBACK (reply_wrote), reply);
}

static void
server_handle (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  LsHttpServer *self = user_data;
  double number;

  if (strcmp (path, "/get") == 0)
    respond_json (msg, request_info_json (msg, query, FALSE));
  else if (g_str_has_prefix (path, "/delay/") && parse_number (path + 7, &number))
    handle_delay (self, msg, query, number);
  else if (g_str_has_prefix (path, "/bytes/") && parse_number (path + 7, &number)
           && number == floor (number))
    handle_bytes (self, msg, query, (gsize) MIN (number, (double) G_MAXSIZE));
  else if (g_str_has_prefix (path, "/status/") && parse_number (path + 8, &number)
           && number == floor (number) && number >= 200 && number <= 599)
    soup_server_message_set_status (msg, (guint) number, NULL);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* ---- the server ----------------------------------------------------------- */

LsHttpServer *
ls_http_server_new (LsLoop  *loop,
                    GError **error)
{
  g_autoptr(SoupServer) soup = NULL;
  GSList *uris;
  LsHttpServer *self;
  int port;

  g_return_val_if_fail (LS_IS_LOOP (loop), NULL);

  soup = soup_server_new ("server-header", "loopscope-httpbin", NULL);
  /* 127.0.0.1 only, on a port the kernel picks */
  if (!soup_server_listen_local (soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return NULL;
  uris = soup_server_get_uris (soup);
  g_return_val_if_fail (uris != NULL, NULL);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self = g_new0 (LsHttpServer, 1);
  self->loop = g_object_ref (loop);
  self->soup = g_steal_pointer (&soup);
  self->base_url = g_strdup_printf ("http://127.0.0.1:%d", port);
  self->pending = g_ptr_array_new ();
  soup_server_add_handler (self->soup, NULL, server_handle, self, NULL);
  return self;
}

const char *
ls_http_server_get_base_url (LsHttpServer *self)
{
  return self->base_url;
}

guint
ls_http_server_get_n_pending (LsHttpServer *self)
{
  return self->pending->len;
}

/* Answers every waiting reply now, as if its client had gone. */
static void
answer_pending_now (LsHttpServer *self)
{
  for (guint i = 0; i < self->pending->len; i++)
    reply_answer_now (g_ptr_array_index (self->pending, i));
}

void
ls_http_server_set_loop (LsHttpServer *self,
                         LsLoop       *loop)
{
  g_return_if_fail (LS_IS_LOOP (loop));

  if (loop == self->loop)
    return;
  answer_pending_now (self);
  g_set_object (&self->loop, loop);
}

void
ls_http_server_free (LsHttpServer *self)
{
  if (self == NULL)
    return;
  answer_pending_now (self);
  while (self->pending->len > 0)
    reply_free (g_ptr_array_steal_index_fast (self->pending, self->pending->len - 1));
  g_ptr_array_unref (self->pending);
  soup_server_disconnect (self->soup);
  g_object_unref (self->soup);
  g_object_unref (self->loop);
  g_free (self->base_url);
  g_free (self);
}
