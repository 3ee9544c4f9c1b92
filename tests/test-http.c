/* SPDX-License-Identifier: MIT
 *
 * The HTTP client against the local httpbin, on the virtual clock (and
 * once on the real one): answers arrive at exact scenario times in little
 * real time, a run's trace is the same every time, timeouts and
 * cancellation stop the request and leave nothing behind on either side.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ls-test-util.h"

#define SECOND G_GINT64_CONSTANT (1000000000) /* ns */

typedef struct
{
  LsLoop       *loop;
  LsHttpServer *server;
  const char   *base;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->loop = ls_loop_new ();
  f->server = ls_http_server_new (f->loop, &error);
  g_assert_no_error (error);
  f->base = ls_http_server_get_base_url (f->server);
  g_assert_true (g_str_has_prefix (f->base, "http://127.0.0.1:"));
}

static gboolean
tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Until the loop has nothing left and the server has finished every
 * response (what cancelled requests left behind included). */
static void
drain (LsLoop       *loop,
       LsHttpServer *server)
{
  gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint id = g_timeout_add (10, tick, NULL);

  while (ls_loop_has_work (loop) || (server != NULL && ls_http_server_get_n_pending (server) > 0))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
  g_assert_cmpuint (ls_loop_get_io_in_flight (loop), ==, 0);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  drain (f->loop, f->server);
  g_clear_pointer (&f->server, ls_http_server_free);
  g_object_unref (f->loop);
}

static char *
url (Fixture    *f,
     const char *path)
{
  return g_strconcat (f->base, path, NULL);
}

static guint32
find_io (LsTrace    *trace,
         const char *description)
{
  g_autoptr(GPtrArray) begins = ls_test_find_records (trace, LS_TRACE_IO_BEGIN);

  for (guint i = 0; i < begins->len; i++)
    {
      const LsTraceRecord *r = g_ptr_array_index (begins, i);

      if (g_strcmp0 (ls_trace_get_string (trace, r->peer), description) == 0)
        return r->object;
    }
  return 0;
}

static const LsTraceRecord *
find_io_complete (LsTrace *trace,
                  guint32  io_id)
{
  g_autoptr(GPtrArray) completes = ls_test_find_records (trace, LS_TRACE_IO_COMPLETE);

  for (guint i = 0; i < completes->len; i++)
    if (((LsTraceRecord *) g_ptr_array_index (completes, i))->object == io_id)
      return g_ptr_array_index (completes, i);
  return NULL;
}

static const LsTraceRecord *
find_task_done (LsTrace *trace,
                LsTask  *task)
{
  g_autoptr(GPtrArray) dones = ls_test_find_records (trace, LS_TRACE_TASK_DONE);

  for (guint i = 0; i < dones->len; i++)
    if (((LsTraceRecord *) g_ptr_array_index (dones, i))->subject == ls_task_get_id (task))
      return g_ptr_array_index (dones, i);
  return NULL;
}

/* ---- /get ---- */

static GVariant *
get_main (gpointer data,
          GError **error)
{
  Fixture *f = data;
  g_autofree char *u = url (f, "/get?name=loop&x=1");
  g_autoptr(LsHttpResponse) r = ls_http_get (NULL, u, NULL, error);
  g_autoptr(JsonNode) json = NULL;
  g_autofree char *host = NULL;
  JsonObject *root, *headers, *args;

  if (r == NULL)
    return NULL;
  g_assert_cmpuint (ls_http_response_get_status (r), ==, 200);
  g_assert_cmpstr (ls_http_response_get_header (r, "content-type"), ==, "application/json");
  json = ls_http_response_get_json (r, error);
  g_assert_nonnull (json);
  root = json_node_get_object (json);
  g_assert_cmpstr (json_object_get_string_member (root, "url"), ==, u);
  g_assert_cmpstr (json_object_get_string_member (root, "origin"), ==, "127.0.0.1");
  args = json_object_get_object_member (root, "args");
  g_assert_cmpstr (json_object_get_string_member (args, "name"), ==, "loop");
  g_assert_cmpstr (json_object_get_string_member (args, "x"), ==, "1");
  headers = json_object_get_object_member (root, "headers");
  host = g_strdup (f->base + strlen ("http://"));
  g_assert_cmpstr (json_object_get_string_member (headers, "Host"), ==, host);
  g_assert_true (json_object_has_member (headers, "User-Agent"));
  /* the runtime's own header is not the scenario's business */
  g_assert_false (json_object_has_member (headers, "X-Loopscope-Io"));
  ls_print ("got %" G_GSIZE_FORMAT " bytes", g_bytes_get_size (ls_http_response_get_body (r)));
  return NULL;
}

static void
test_get_json (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(LsTask) task = ls_test_run_task (f->loop, get_main, f);
  LsTrace *trace = ls_loop_get_trace (f->loop);
  g_autofree char *u = url (f, "/get?name=loop&x=1");
  g_autofree char *desc = g_strconcat ("GET ", u, NULL);
  guint32 io_id = find_io (trace, desc);
  const LsTraceRecord *done = find_io_complete (trace, io_id);
  g_autoptr(GPtrArray) suspends = ls_test_find_records (trace, LS_TRACE_TASK_SUSPEND);
  gboolean waited_on_io = FALSE;

  g_assert_no_error (ls_future_get_exception (LS_FUTURE (task)));
  g_assert_cmpint (ls_loop_time_ns (f->loop), ==, 0);
  g_assert_cmpuint (io_id, !=, 0);
  g_assert_nonnull (done);
  g_assert_cmpint (done->reason, ==, LS_OUTCOME_RESULT);
  for (guint i = 0; i < suspends->len; i++)
    {
      const LsTraceRecord *r = g_ptr_array_index (suspends, i);

      waited_on_io |= r->reason == LS_WAIT_IO && r->object == io_id;
    }
  g_assert_true (waited_on_io);
}

/* ---- /delay ---- */

typedef struct
{
  Fixture    *f;
  const char *path;
} Fetch;

static GVariant *
fetch (gpointer data,
       GError **error)
{
  Fetch *job = data;
  g_autofree char *u = url (job->f, job->path);
  g_autoptr(LsHttpResponse) r = ls_http_get (NULL, u, NULL, error);

  if (r == NULL)
    return NULL;
  ls_print ("%s: %u at %.3f", job->path, ls_http_response_get_status (r),
            ls_loop_time (ls_loop_current ()));
  return g_variant_new_uint32 (ls_http_response_get_status (r));
}

typedef struct
{
  Fetch   *jobs;
  guint    n_jobs;
  LsTask **tasks;
} Gather;

static GVariant *
gather_main (gpointer data,
             GError **error)
{
  Gather *g = data;
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < g->n_jobs; i++)
    g->tasks[i] = ls_task_create (g->jobs[i].path, fetch, &g->jobs[i], NULL);
  results = ls_gather ((LsFuture **) g->tasks, g->n_jobs, TRUE, error);
  ls_print ("all done at %.3f", ls_loop_time (ls_loop_current ()));
  return NULL;
}

static void
run_gather (Fixture     *f,
            const char **paths,
            guint        n,
            LsTask     **tasks)
{
  Fetch *jobs = g_new0 (Fetch, n);
  Gather g = { jobs, n, tasks };
  g_autoptr(LsTask) main_task = NULL;

  for (guint i = 0; i < n; i++)
    {
      jobs[i].f = f;
      jobs[i].path = paths[i];
    }
  main_task = ls_test_run_task (f->loop, gather_main, &g);
  g_assert_no_error (ls_future_get_exception (LS_FUTURE (main_task)));
  g_free (jobs);
}

/* gather (/delay/1, /delay/2, /delay/3): the clock waits until all three
 * reached the server, then jumps to each answer in turn. */
static void
test_delay_gather (Fixture      *f,
                   gconstpointer data)
{
  const char *paths[] = { "/delay/1", "/delay/2", "/delay/3" };
  LsTask *tasks[3];
  gint64 start = g_get_monotonic_time ();
  LsTrace *trace = ls_loop_get_trace (f->loop);

  run_gather (f, paths, 3, tasks);
  g_assert_cmpint (ls_loop_time_ns (f->loop), ==, 3 * SECOND);
  /* three seconds of scenario time in well under one of real time */
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *u = url (f, paths[i]);
      g_autofree char *desc = g_strconcat ("GET ", u, NULL);
      const LsTraceRecord *done = find_task_done (trace, tasks[i]);
      const LsTraceRecord *io = find_io_complete (trace, find_io (trace, desc));

      g_assert_cmpint (done->reason, ==, LS_OUTCOME_RESULT);
      g_assert_cmpint (done->time, ==, (gint64) (i + 1) * SECOND);
      g_assert_cmpint (io->time, ==, (gint64) (i + 1) * SECOND);
      ls_task_unref (tasks[i]);
    }
}

static void
test_delay_same (Fixture      *f,
                 gconstpointer data)
{
  const char *paths[] = { "/delay/1", "/delay/1", "/delay/1" };
  LsTask *tasks[3];
  LsTrace *trace = ls_loop_get_trace (f->loop);

  run_gather (f, paths, 3, tasks);
  g_assert_cmpint (ls_loop_time_ns (f->loop), ==, SECOND);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (find_task_done (trace, tasks[i])->time, ==, SECOND);
      ls_task_unref (tasks[i]);
    }
}

/* More requests than connections (100, as aiohttp's connector): the rest
 * wait on the loop for a connection, so the clock still moves. */
static void
test_connection_limit (Fixture      *f,
                       gconstpointer data)
{
  enum { N = 150 };
  const char *paths[N];
  LsTask *tasks[N];
  LsTrace *trace = ls_loop_get_trace (f->loop);
  guint at_one = 0, at_two = 0;

  for (guint i = 0; i < N; i++)
    paths[i] = "/delay/1";
  run_gather (f, paths, N, tasks);
  g_assert_cmpint (ls_loop_time_ns (f->loop), ==, 2 * SECOND);
  for (guint i = 0; i < N; i++)
    {
      const LsTraceRecord *done = find_task_done (trace, tasks[i]);

      g_assert_cmpint (done->reason, ==, LS_OUTCOME_RESULT);
      at_one += done->time == SECOND;
      at_two += done->time == 2 * SECOND;
      ls_task_unref (tasks[i]);
    }
  g_assert_cmpuint (at_one, ==, 100);
  g_assert_cmpuint (at_two, ==, 50);
}

/* The server goes away while a request is parked on it: the request
 * fails, and with its park gone the clock does not move on to 5.0. */
static GVariant *
server_gone_main (gpointer data,
                  GError **error)
{
  Fixture *f = data;
  Fetch job = { f, "/delay/5" };
  g_autoptr(LsTask) t = ls_task_create ("fetch", fetch, &job, NULL);
  g_autoptr(GVariant) r = NULL;
  GError *local_error = NULL;

  /* the clock reaches 0.1 only once the request is parked at the server */
  if (!ls_sleep (0.1, error))
    return NULL;
  ls_http_server_free (f->server);
  f->server = NULL;
  r = ls_task_await (t, &local_error);
  g_assert_error (local_error, LS_HTTP_ERROR, LS_HTTP_ERROR_SERVER_DISCONNECTED);
  g_assert_cmpstr (ls_error_get_python_name (local_error), ==, "ServerDisconnectedError");
  g_test_message ("%s: %s", ls_error_get_python_name (local_error), local_error->message);
  g_clear_error (&local_error);
  return NULL;
}

static void
test_server_gone (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(LsTask) task = ls_test_run_task (f->loop, server_gone_main, f);

  g_assert_no_error (ls_future_get_exception (LS_FUTURE (task)));
  g_assert_null (f->server);
  g_assert_cmpint (ls_loop_time_ns (f->loop), ==, SECOND / 10);
}

/* ---- /bytes with progress ---- */

typedef struct
{
  Fixture *f;
  const char *path;
  GArray  *received;   /* guint64 */
  GArray  *times;      /* gint64 */
  gint64   total;
  GBytes  *body;
} Progress;

static gboolean
on_progress (GBytes   *chunk,
             guint64   received,
             gint64    total,
             gpointer  user_data,
             GError  **error)
{
  Progress *p = user_data;
  gint64 now = ls_loop_time_ns (ls_loop_current ());
  guint64 before = p->received->len > 0
                   ? g_array_index (p->received, guint64, p->received->len - 1) : 0;

  g_assert_cmpuint (g_bytes_get_size (chunk), ==, received - before);
  g_array_append_val (p->received, received);
  g_array_append_val (p->times, now);
  p->total = total;
  ls_print ("%" G_GUINT64_FORMAT " / %" G_GINT64_FORMAT, received, total);
  return TRUE;
}

static GVariant *
download (gpointer data,
          GError **error)
{
  Progress *p = data;
  g_autofree char *u = url (p->f, p->path);
  LsHttpOptions options = LS_HTTP_OPTIONS_INIT;
  g_autoptr(LsHttpResponse) r = NULL;
  g_autofree char *length = NULL;

  options.progress = on_progress;
  options.progress_data = p;
  r = ls_http_get (NULL, u, &options, error);
  if (r == NULL)
    return NULL;
  length = g_strdup_printf ("%" G_GINT64_FORMAT, ls_http_response_get_content_length (r));
  g_assert_cmpstr (ls_http_response_get_header (r, "Content-Length"), ==, length);
  p->body = g_bytes_ref (ls_http_response_get_body (r));
  return NULL;
}

static Progress *
progress_new (Fixture    *f,
              const char *path)
{
  Progress *p = g_new0 (Progress, 1);

  p->f = f;
  p->path = path;
  p->received = g_array_new (FALSE, FALSE, sizeof (guint64));
  p->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  return p;
}

static void
progress_free (Progress *p)
{
  g_array_unref (p->received);
  g_array_unref (p->times);
  g_clear_pointer (&p->body, g_bytes_unref);
  g_free (p);
}

static void
test_bytes_progress (Fixture      *f,
                     gconstpointer data)
{
  Progress *p = progress_new (f, "/bytes/10000?chunk_size=1000&duration=1");
  Progress *q = progress_new (f, "/bytes/5000");
  g_autoptr(LsTask) a = ls_test_run_task (f->loop, download, p);
  g_autoptr(LsTask) b = NULL;
  g_autoptr(GBytes) prefix = NULL;

  g_assert_no_error (ls_future_get_exception (LS_FUTURE (a)));
  /* one call per chunk, at the time the chunk was due */
  g_assert_cmpint (p->total, ==, 10000);
  g_assert_cmpuint (p->received->len, ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      g_assert_cmpuint (g_array_index (p->received, guint64, i), ==, 1000 * (i + 1));
      g_assert_cmpint (g_array_index (p->times, gint64, i), ==,
                       (gint64) (i + 1) * SECOND / 10);
    }
  g_assert_cmpuint (g_bytes_get_size (p->body), ==, 10000);

  /* without a duration it all comes at once: the calls still end at N */
  b = ls_test_run_task (f->loop, download, q);
  g_assert_no_error (ls_future_get_exception (LS_FUTURE (b)));
  g_assert_cmpint (q->total, ==, 5000);
  g_assert_cmpuint (q->received->len, >=, 1);
  for (guint i = 1; i < q->received->len; i++)
    g_assert_cmpuint (g_array_index (q->received, guint64, i - 1), <,
                      g_array_index (q->received, guint64, i));
  g_assert_cmpuint (g_array_index (q->received, guint64, q->received->len - 1), ==, 5000);
  g_assert_cmpuint (g_bytes_get_size (q->body), ==, 5000);
  /* the same (default) seed, the same bytes */
  prefix = g_bytes_new_from_bytes (p->body, 0, 5000);
  g_assert_true (g_bytes_equal (q->body, prefix));
  progress_free (p);
  progress_free (q);
}

/* The chapter's download: aiohttp streaming into aiofiles. The callback
 * suspends on each file append while the server pauses between chunks;
 * the file I/O keeps the clock still, the chunks still arrive on time. */
typedef struct
{
  Fixture *f;
  char    *path;
  GArray  *times;
  guint    fail_at;   /* fail in the callback at this call (1-based), 0: never */
  GBytes  *body;
} Saver;

static gboolean
save_chunk (GBytes   *chunk,
            guint64   received,
            gint64    total,
            gpointer  user_data,
            GError  **error)
{
  Saver *s = user_data;
  gint64 now = ls_loop_time_ns (ls_loop_current ());

  g_array_append_val (s->times, now);
  if (s->fail_at == s->times->len)
    {
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, "disk full");
      return FALSE;
    }
  return ls_file_append (s->path, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk),
                         error);
}

static GVariant *
save_main (gpointer data,
           GError **error)
{
  Saver *s = data;
  g_autofree char *u = url (s->f, "/bytes/5000?chunk_size=1000&duration=0.5");
  LsHttpOptions options = LS_HTTP_OPTIONS_INIT;
  g_autoptr(LsHttpResponse) r = NULL;

  options.progress = save_chunk;
  options.progress_data = s;
  if (!ls_file_write_all (s->path, "", 0, error))
    return NULL;
  r = ls_http_get (NULL, u, &options, error);
  if (r == NULL)
    return NULL;
  s->body = g_bytes_ref (ls_http_response_get_body (r));
  ls_print ("saved at %.3f", ls_loop_time (ls_loop_current ()));
  return NULL;
}

static LsLoop *
run_save (Fixture *f,
          Saver   *s)
{
  LsLoop *loop = ls_loop_new ();
  g_autoptr(LsTask) task = NULL;

  ls_http_server_set_loop (f->server, loop);
  g_array_set_size (s->times, 0);
  g_clear_pointer (&s->body, g_bytes_unref);
  task = ls_test_run_task (loop, save_main, s);
  if (s->fail_at == 0)
    g_assert_no_error (ls_future_get_exception (LS_FUTURE (task)));
  else
    g_assert_error (ls_future_get_exception (LS_FUTURE (task)), LS_RUNTIME_ERROR,
                    LS_RUNTIME_ERROR_VALUE);
  drain (loop, f->server);
  return loop;
}

static void
test_download_to_file (Fixture      *f,
                       gconstpointer data)
{
  g_autofree char *dir = g_dir_make_tmp ("loopscope-http-XXXXXX", NULL);
  Saver s = { f, g_build_filename (dir, "download.bin", NULL),
              g_array_new (FALSE, FALSE, sizeof (gint64)), 0, NULL };
  g_autoptr(LsLoop) a = run_save (f, &s);
  g_autoptr(LsLoop) b = NULL;
  g_autoptr(LsLoop) c = NULL;
  g_autofree char *saved = NULL;
  gsize saved_len = 0;

  g_assert_cmpuint (s.times->len, ==, 5);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpint (g_array_index (s.times, gint64, i), ==, (gint64) (i + 1) * SECOND / 10);
  g_assert_true (g_file_get_contents (s.path, &saved, &saved_len, NULL));
  g_assert_cmpmem (saved, saved_len, g_bytes_get_data (s.body, NULL), g_bytes_get_size (s.body));
  g_assert_cmpint (ls_loop_time_ns (a), ==, SECOND / 2);

  /* HTTP and file I/O interleaved: still the same run every time */
  b = run_save (f, &s);
  g_assert_true (ls_trace_equal (ls_loop_get_trace (a), ls_loop_get_trace (b)));

  /* an error raised in the loop body abandons the request */
  s.fail_at = 2;
  c = run_save (f, &s);
  g_assert_cmpuint (s.times->len, ==, 2);
  g_assert_null (s.body);
  g_assert_cmpuint (ls_http_server_get_n_pending (f->server), ==, 0);
  g_assert_cmpint (ls_loop_time_ns (c), ==, SECOND / 5);

  ls_http_server_set_loop (f->server, f->loop);
  g_unlink (s.path);
  g_rmdir (dir);
  g_free (s.path);
  g_array_unref (s.times);
}

/* ---- /status ---- */

static GVariant *
status_main (gpointer data,
             GError **error)
{
  Fixture *f = data;
  g_autofree char *u = url (f, "/status/404");
  LsHttpOptions options = LS_HTTP_OPTIONS_INIT;
  g_autoptr(LsHttpResponse) plain = NULL;
  g_autoptr(LsHttpResponse) raised = NULL;
  GError *local_error = NULL;

  /* without raise_for_status the response comes back as it is */
  plain = ls_http_get (NULL, u, NULL, error);
  g_assert_nonnull (plain);
  g_assert_cmpuint (ls_http_response_get_status (plain), ==, 404);
  g_assert_false (ls_http_response_raise_for_status (plain, &local_error));
  g_assert_error (local_error, LS_HTTP_ERROR, LS_HTTP_ERROR_RESPONSE);
  g_clear_error (&local_error);

  options.raise_for_status = TRUE;
  raised = ls_http_get (NULL, u, &options, error);
  g_assert_null (raised);
  return NULL;
}

static void
test_status_404 (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(LsTask) task = ls_test_run_task (f->loop, status_main, f);
  const GError *error = ls_future_get_exception (LS_FUTURE (task));
  g_autofree char *u = url (f, "/status/404");
  g_autofree char *message = g_strdup_printf ("404, message='Not Found', url=URL('%s')", u);

  g_assert_error (error, LS_HTTP_ERROR, LS_HTTP_ERROR_RESPONSE);
  g_assert_cmpstr (ls_error_get_python_name (error), ==, "ClientResponseError");
  g_assert_cmpstr (error->message, ==, message);
}

/* ---- timeout ---- */

static GVariant *
timeout_main (gpointer data,
              GError **error)
{
  Fixture *f = data;
  g_autofree char *u = url (f, "/delay/5");
  LsHttpOptions options = LS_HTTP_OPTIONS_INIT;
  g_autoptr(LsHttpResponse) r = NULL;

  options.timeout = 1.0;
  r = ls_http_get (NULL, u, &options, error);
  g_assert_null (r);
  ls_print ("gave up at %.3f", ls_loop_time (ls_loop_current ()));
  return NULL;
}

static void
test_timeout (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(LsTask) task = ls_test_run_task (f->loop, timeout_main, f);
  const GError *error = ls_future_get_exception (LS_FUTURE (task));
  LsTrace *trace = ls_loop_get_trace (f->loop);
  g_autofree char *u = url (f, "/delay/5");
  g_autofree char *desc = g_strconcat ("GET ", u, NULL);
  const LsTraceRecord *done = find_task_done (trace, task);
  const LsTraceRecord *io;

  g_assert_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT);
  g_assert_cmpstr (ls_error_get_python_name (error), ==, "TimeoutError");
  g_assert_cmpint (done->time, ==, SECOND);
  /* the request is cancelled, the server forgets it, nothing is left */
  drain (f->loop, f->server);
  g_assert_cmpuint (ls_http_server_get_n_pending (f->server), ==, 0);
  io = find_io_complete (trace, find_io (trace, desc));
  g_assert_nonnull (io);
  g_assert_cmpint (io->reason, ==, LS_OUTCOME_FAILED);
  /* the server's wait for 5.0 did not drag the clock along */
  g_assert_cmpint (ls_loop_time_ns (f->loop), ==, SECOND);
}

/* ---- cancellation mid-body ---- */

static GVariant *
cancel_main (gpointer data,
             GError **error)
{
  Progress *p = data;
  g_autoptr(LsTask) downloader = ls_task_create ("downloader", download, p, NULL);
  g_autoptr(GVariant) r = NULL;
  GError *local_error = NULL;

  if (!ls_sleep (0.5, error))
    return NULL;
  ls_task_cancel (downloader, NULL);
  r = ls_task_await (downloader, &local_error);
  g_assert_true (ls_error_is_cancelled (local_error));
  g_clear_error (&local_error);
  g_assert_true (ls_future_is_cancelled (LS_FUTURE (downloader)));
  return NULL;
}

static void
test_cancel_mid_body (Fixture      *f,
                      gconstpointer data)
{
  Progress *p = progress_new (f, "/bytes/100000?chunk_size=1000&duration=1");
  g_autoptr(LsTask) task = ls_test_run_task (f->loop, cancel_main, p);
  LsTrace *trace = ls_loop_get_trace (f->loop);
  g_autofree char *u = url (f, p->path);
  g_autofree char *desc = g_strconcat ("GET ", u, NULL);
  const LsTraceRecord *io;

  g_assert_no_error (ls_future_get_exception (LS_FUTURE (task)));
  /* chunks were due every 10 ms; the one due at 0.5 arrived after the
   * cancellation, in the same instant */
  g_assert_cmpuint (p->received->len, ==, 49);
  g_assert_cmpuint (g_array_index (p->received, guint64, p->received->len - 1), ==, 49000);
  g_assert_null (p->body);
  drain (f->loop, f->server);
  io = find_io_complete (trace, find_io (trace, desc));
  g_assert_nonnull (io);
  g_assert_cmpint (io->reason, ==, LS_OUTCOME_FAILED);
  g_assert_cmpuint (ls_http_server_get_n_pending (f->server), ==, 0);
  g_assert_cmpint (ls_loop_time_ns (f->loop), ==, SECOND / 2);
  progress_free (p);
}

/* ---- connection refused ---- */

static GVariant *
refused_main (gpointer data,
              GError **error)
{
  g_autoptr(LsHttpResponse) r = ls_http_get (NULL, data, NULL, error);

  g_assert_null (r);
  return NULL;
}

static void
test_connection_refused (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(LsTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *u = NULL;
  g_autofree char *expected = NULL;
  const GError *failure;
  guint16 port;

  /* a port that was just free, and is closed: bound, never listening */
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  u = g_strdup_printf ("http://127.0.0.1:%u/get", port);

  task = ls_test_run_task (loop, refused_main, u);
  failure = ls_future_get_exception (LS_FUTURE (task));
  expected = g_strdup_printf ("Cannot connect to host 127.0.0.1:%u ssl:default "
                              "[Connect call failed ('127.0.0.1', %u)]", port, port);
  g_assert_error (failure, LS_HTTP_ERROR, LS_HTTP_ERROR_CONNECTOR);
  g_assert_cmpstr (ls_error_get_python_name (failure), ==, "ClientConnectorError");
  g_assert_cmpstr (failure->message, ==, expected);
  g_socket_close (socket, NULL);
  drain (loop, NULL);
}

static GVariant *
invalid_main (gpointer data,
              GError **error)
{
  g_autoptr(LsHttpResponse) r = ls_http_get (NULL, "not a url", NULL, error);

  g_assert_null (r);
  return NULL;
}

static void
test_invalid_url (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) task = NULL;

  task = ls_test_run_task (loop, invalid_main, NULL);
  g_assert_error (ls_future_get_exception (LS_FUTURE (task)), LS_HTTP_ERROR,
                  LS_HTTP_ERROR_INVALID_URL);
  g_assert_cmpstr (ls_error_get_python_name (ls_future_get_exception (LS_FUTURE (task))), ==,
                   "InvalidURL");
}

/* ---- the same run twice ---- */

static GVariant *
mixed_fetch (gpointer data,
             GError **error)
{
  Fetch *job = data;
  g_autofree char *u = url (job->f, job->path);
  LsHttpOptions options = LS_HTTP_OPTIONS_INIT;
  g_autoptr(LsHttpResponse) r = NULL;

  options.raise_for_status = TRUE;
  options.timeout = 1.5;
  r = ls_http_get (NULL, u, &options, error);
  if (r == NULL)
    return NULL;
  ls_print ("%s: %" G_GSIZE_FORMAT " bytes at %.3f", job->path,
            g_bytes_get_size (ls_http_response_get_body (r)), ls_loop_time (ls_loop_current ()));
  return NULL;
}

static GVariant *
mixed_main (gpointer data,
            GError **error)
{
  Fixture *f = data;
  static const char *paths[] = {
    "/delay/1", "/delay/1", "/delay/2", "/get", "/bytes/3000?chunk_size=1000&duration=0.5",
    "/bytes/20000", "/status/404", "/delay/0.5", "/delay/1",
  };
  Fetch jobs[G_N_ELEMENTS (paths)];
  LsFuture *tasks[G_N_ELEMENTS (paths)];
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      jobs[i].f = f;
      jobs[i].path = paths[i];
      tasks[i] = LS_FUTURE (ls_task_create (paths[i], mixed_fetch, &jobs[i], NULL));
    }
  results = ls_gather (tasks, G_N_ELEMENTS (paths), TRUE, error);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    ls_future_unref (tasks[i]);
  ls_print ("done at %.3f", ls_loop_time (ls_loop_current ()));
  return NULL;
}

static void
test_deterministic (Fixture      *f,
                    gconstpointer data)
{
  LsLoop *loops[3];

  for (guint i = 0; i < G_N_ELEMENTS (loops); i++)
    {
      g_autoptr(LsTask) task = NULL;

      loops[i] = ls_loop_new ();
      /* the same server, so the same URLs in the trace */
      ls_http_server_set_loop (f->server, loops[i]);
      task = ls_test_run_task (loops[i], mixed_main, f);
      g_assert_cmpint (ls_loop_time_ns (loops[i]), ==, 3 * SECOND / 2); /* /delay/2 timed out */
      drain (loops[i], f->server);
    }
  for (guint i = 1; i < G_N_ELEMENTS (loops); i++)
    g_assert_true (ls_trace_equal (ls_loop_get_trace (loops[0]), ls_loop_get_trace (loops[i])));
  ls_http_server_set_loop (f->server, f->loop);
  for (guint i = 0; i < G_N_ELEMENTS (loops); i++)
    g_object_unref (loops[i]);
}

/* ---- the real clock ---- */

static void
test_real_clock (Fixture      *f,
                 gconstpointer data)
{
  const char *paths[] = { "/delay/1", "/bytes/2000?chunk_size=500&duration=1" };
  LsTask *tasks[2];
  gint64 start, elapsed;

  ls_loop_set_speed (f->loop, 100.0);
  start = g_get_monotonic_time ();
  run_gather (f, paths, 2, tasks);
  elapsed = g_get_monotonic_time () - start;
  /* a second of scenario time at 100x: 10 ms of real time */
  g_assert_cmpint (elapsed, >=, 9 * 1000);
  g_assert_cmpint (elapsed, <, G_USEC_PER_SEC / 2);
  g_assert_cmpint (ls_loop_time_ns (f->loop), >=, SECOND);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_no_error (ls_future_get_exception (LS_FUTURE (tasks[i])));
      ls_task_unref (tasks[i]);
    }
}

/* ---- closing the loop while a request waits ---- */

typedef struct
{
  Fixture  *f;
  gboolean  returned;
  gboolean  raised_cancelled;
} CloseFetch;

static GVariant *
fetch_until_closed (gpointer data,
                    GError **error)
{
  CloseFetch *c = data;
  g_autofree char *u = url (c->f, "/delay/5");
  g_autoptr(LsHttpResponse) r = ls_http_get (NULL, u, NULL, error);

  c->raised_cancelled = r == NULL && ls_error_is_cancelled (*error);
  c->returned = TRUE;
  return NULL;
}

/* The request parked at the server (waiting for scenario time 5.0) is
 * cancelled by ls_loop_close: the task returns at once, and the server is
 * told the client went. */
static void
test_close_while_parked (Fixture      *f,
                         gconstpointer data)
{
  CloseFetch c = { f, FALSE, FALSE };
  g_autoptr(LsTask) task = ls_task_new (f->loop, "fetch", fetch_until_closed, &c, NULL);
  gint64 give_up = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint id = g_timeout_add (10, tick, NULL);

  while (ls_http_server_get_n_pending (f->server) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
  g_assert_false (c.returned);

  ls_loop_close (f->loop);
  g_assert_true (c.returned);
  g_assert_true (c.raised_cancelled);
  g_assert_true (ls_future_is_cancelled (LS_FUTURE (task)));
  g_assert_cmpuint (ls_loop_get_io_in_flight (f->loop), ==, 0);
  while (ls_http_server_get_n_pending (f->server) > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (id);
  /* nothing of it in the trace: the request never completed there */
  g_assert_null (find_task_done (ls_loop_get_trace (f->loop), task));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/http/get-json", test_get_json);
  ADD ("/http/delay/gather", test_delay_gather);
  ADD ("/http/delay/same", test_delay_same);
  ADD ("/http/delay/connection-limit", test_connection_limit);
  ADD ("/http/server-gone", test_server_gone);
  ADD ("/http/bytes-progress", test_bytes_progress);
  ADD ("/http/download-to-file", test_download_to_file);
  ADD ("/http/status-404", test_status_404);
  ADD ("/http/timeout", test_timeout);
  ADD ("/http/cancel-mid-body", test_cancel_mid_body);
  ADD ("/http/deterministic", test_deterministic);
  ADD ("/http/real-clock", test_real_clock);
  ADD ("/http/close-while-parked", test_close_while_parked);
#undef ADD
  g_test_add_func ("/http/connection-refused", test_connection_refused);
  g_test_add_func ("/http/invalid-url", test_invalid_url);

  return g_test_run ();
}
