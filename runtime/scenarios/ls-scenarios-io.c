/* SPDX-License-Identifier: MIT
 *
 * The chapter's I/O examples: real files in the run's temporary folder,
 * through GIO's asynchronous API, and HTTP against Loopscope's own local
 * server standing in for httpbin.org (the console prints the chapter's
 * URLs). Both cost no scenario time on the virtual clock. And the async
 * context manager of the same section, which only sleeps.
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ls-http.h"
#include "ls-io.h"
#include "ls-primitives.h"
#include "ls-scenarios-private.h"

#define SECTION_CONCEPTS  N_("Asynchronous programming concepts")
#define SECTION_IO        N_("Async I/O")
#define SECTION_EXERCISES N_("Exercises")

/* ---- blocking-read ------------------------------------------------------ */

/* @data: the listing's line of its `await asyncio.sleep(0.25)` */
static GVariant *
ticker (gpointer data,
        GError **error)
{
  int line = GPOINTER_TO_INT (data);

  for (int i = 1; i <= 5; i++)
    {
      ls_line (line);
      if (!ls_sleep (0.25, error))
        return NULL;
      ls_line (line + 1);
      ls_print (_("Heartbeat %d"), i);
    }
  return NULL;
}

static char *
blocking_read (const char *path,
               GError    **error)
{
  char *contents = NULL;

  ls_line (10);
  ls_line (11);
  ls_blocking_sleep (ls_knob ("latency"));  /* a slow disk, and nothing else runs */
  ls_line (12);
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  return contents;
}

static char *
nonblocking_read (const char *path,
                  GError    **error)
{
  ls_line (16);
  ls_line (17);
  if (!ls_sleep (ls_knob ("latency"), error))  /* the same slow disk, awaited */
    return NULL;
  ls_line (18);
  return ls_file_read_text (path, error);
}

static GVariant *
blocking_read_main (gpointer data,
                    GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(LsTask) t1 = NULL;
  g_autoptr(LsTask) t2 = NULL;
  g_autoptr(GVariant) r1 = NULL;
  g_autoptr(GVariant) r2 = NULL;

  ls_line (26);
  if ((path = ls_scenario_path ("data.txt", error)) == NULL
      || !g_file_set_contents (path, _("some data"), -1, error))
    return NULL;

  ls_line (29);
  ls_print (_("=== Blocking read ==="));
  ls_line (30);
  t1 = ls_task_create ("ticker", ticker, GINT_TO_POINTER (22), NULL);
  ls_line (31);
  if (!ls_sleep (0, error))
    return NULL;
  ls_line (32);
  if ((first = blocking_read (path, error)) == NULL)
    return NULL;
  ls_line (33);
  ls_print (_("Read done: %s"), first);
  ls_line (34);
  if ((r1 = ls_task_await (t1, error)) == NULL && error != NULL && *error != NULL)
    return NULL;

  ls_line (36);
  ls_print (_("=== Non-blocking read ==="));
  ls_line (37);
  t2 = ls_task_create ("ticker", ticker, GINT_TO_POINTER (22), NULL);
  ls_line (38);
  if ((second = nonblocking_read (path, error)) == NULL)
    return NULL;
  ls_line (39);
  ls_print (_("Read done: %s"), second);
  ls_line (40);
  r2 = ls_task_await (t2, error);
  return NULL;
}

/* ---- blocking-read-fixed ------------------------------------------------ */

/* blocking_read on a worker thread: it may not touch the loop (no ls_line,
 * no ls_print), only the file and its own thread's time */
static GVariant *
threaded_read (gpointer data,
               GError **error)
{
  const char *path = data;
  char *contents = NULL;

  ls_blocking_sleep (1);  /* the slow disk: time.sleep on the worker thread */
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;
  return g_variant_new_take_string (contents);
}

static GVariant *
blocking_read_fixed_main (gpointer data,
                          GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr(LsTask) t = NULL;
  g_autoptr(GVariant) content = NULL;
  g_autoptr(GVariant) r = NULL;

  ls_line (19);
  if ((path = ls_scenario_path ("data.txt", error)) == NULL
      || !g_file_set_contents (path, _("some data"), -1, error))
    return NULL;

  ls_line (22);
  ls_print (_("=== Blocking read, on a thread ==="));
  ls_line (23);
  t = ls_task_create ("ticker", ticker, GINT_TO_POINTER (15), NULL);
  ls_line (24);
  if (!ls_sleep (0, error))
    return NULL;
  ls_line (25);
  content = ls_to_thread ("blocking_read", threaded_read, g_strdup (path), g_free, error);
  if (content == NULL)
    return NULL;
  ls_line (26);
  ls_print (_("Read done: %s"), g_variant_get_string (content, NULL));
  ls_line (27);
  r = ls_task_await (t, error);
  return NULL;
}

/* ---- file-io ------------------------------------------------------------ */

static GVariant *
read_file (gpointer data,
           GError **error)
{
  g_autofree char *path = NULL;
  char *text;

  ls_line (9);
  ls_line (10);
  if ((path = ls_scenario_path (data, error)) == NULL
      || (text = ls_file_read_text (path, error)) == NULL)
    return NULL;
  return g_variant_new_take_string (text);
}

static GVariant *
file_io_main (gpointer data,
              GError **error)
{
  static const char *files[] = { "test1.txt", "test2.txt", "test3.txt" };
  LsFuture *tasks[G_N_ELEMENTS (files)];
  g_autoptr(GPtrArray) contents = NULL;

  /* Path(...).write_text(...): plain blocking writes, as in the listing */
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *text = g_strdup_printf (_("Contents of file %u"), i + 1);

      ls_line (28 + i);
      if ((path = ls_scenario_path (files[i], error)) == NULL
          || !g_file_set_contents (path, text, -1, error))
        return NULL;
    }

  /* process_files: the reads run concurrently */
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    tasks[i] = LS_FUTURE (ls_task_create (files[i], read_file, (gpointer) files[i], NULL));
  ls_line (20);
  contents = ls_gather (tasks, G_N_ELEMENTS (files), FALSE, error);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    ls_future_unref (tasks[i]);
  if (contents == NULL)
    return NULL;
  for (guint i = 0; i < contents->len; i++)
    {
      const char *text = g_variant_get_string (ls_future_peek_result (g_ptr_array_index (contents,
                                                                                         i)),
                                               NULL);

      ls_line (23);
      ls_print (_("%s: %ld characters"), files[i], g_utf8_strlen (text, -1));
    }
  return NULL;
}

/* ---- http-fetch --------------------------------------------------------- */

static GVariant *
fetch_url (gpointer data,
           GError **error)
{
  g_autofree char *url = ls_scenario_url (data, error);
  g_autoptr(LsHttpResponse) response = NULL;
  LsHttpOptions options = LS_HTTP_OPTIONS_INIT;

  if (url == NULL)
    return NULL;
  options.raise_for_status = TRUE;  /* response.raise_for_status() */
  ls_line (9);
  if ((response = ls_http_get (NULL, url, &options, error)) == NULL)
    return NULL;
  ls_line (11);
  return g_variant_new_take_string (ls_http_response_dup_text (response));
}

static GVariant *
http_fetch_main (gpointer data,
                 GError **error)
{
  static const char *urls[] = {
    "https://httpbin.org/delay/1",
    "https://httpbin.org/delay/2",
    "https://httpbin.org/get",
  };
  LsFuture *tasks[G_N_ELEMENTS (urls)];
  g_autoptr(GPtrArray) results = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    tasks[i] = LS_FUTURE (ls_task_create (urls[i] + strlen ("https://httpbin.org"), fetch_url,
                                          (gpointer) urls[i], NULL));
  ls_line (17);
  results = ls_gather (tasks, G_N_ELEMENTS (urls), TRUE, error);  /* return_exceptions=True */
  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    ls_future_unref (tasks[i]);
  if (results == NULL)
    return NULL;

  for (guint i = 0; i < results->len; i++)
    {
      LsFuture *result = g_ptr_array_index (results, i);
      const GError *exception = ls_future_get_exception (result);

      if (exception != NULL)
        {
          ls_line (33);
          ls_print ("❌ %s: %s", urls[i], exception->message);
        }
      else
        {
          ls_line (35);
          ls_print (_("✅ %s: %ld characters"), urls[i],
                    g_utf8_strlen (g_variant_get_string (ls_future_peek_result (result), NULL),
                                   -1));
        }
    }
  return NULL;
}

/* ---- async-context-manager ---------------------------------------------- */

static GVariant *
async_context_manager_main (gpointer data,
                            GError **error)
{
  GError *body_error = NULL;

  /* async with AsyncResource() as resource: __aenter__ */
  ls_line (9);
  ls_print (_("Acquiring the resource..."));
  ls_line (10);
  if (!ls_sleep (0.5, error))
    return NULL;
  /* the body */
  ls_line (22);
  ls_print (_("Using the resource..."));
  ls_line (23);
  ls_sleep (1, &body_error);
  /* __aexit__ runs whether the body succeeded or not */
  ls_line (15);
  ls_print (_("Releasing the resource..."));
  ls_line (16);
  if (!ls_sleep (0.5, error))
    {
      g_clear_error (&body_error);
      return NULL;
    }
  if (body_error != NULL)
    g_propagate_error (error, body_error);
  return NULL;
}

/* ---- downloader (exercise 1) -------------------------------------------- */

typedef struct
{
  LsSemaphore *semaphore;
  int          downloaded;
  int          failed;
} Downloader;

typedef struct
{
  Downloader *downloader;
  const char *url;
  const char *save_path;
  int         index;
  int         total;
  char       *path;        /* where save_path really lands */
} DownloadJob;

static gboolean
save_chunk (GBytes  *chunk,
            guint64  received,
            gint64   total_size,
            gpointer user_data,
            GError **error)
{
  DownloadJob *job = user_data;
  gsize size;
  gconstpointer bytes = g_bytes_get_data (chunk, &size);

  ls_line (71);
  if (!ls_file_append (job->path, bytes, size, error))  /* f.write(chunk) */
    return FALSE;
  if (total_size > 0)
    {
      ls_line (76);
      ls_print (_("[%d/%d] progress: %.1f%%"), job->index, job->total,
                (double) received / (double) total_size * 100.0);
    }
  return TRUE;
}

static GVariant *
download_one (gpointer data,
              GError **error)
{
  DownloadJob *job = data;
  Downloader *downloader = job->downloader;
  g_autoptr(LsLocker) locker = NULL;
  g_autoptr(LsHttpResponse) response = NULL;
  g_autofree char *url = NULL;
  g_autofree char *dir = NULL;
  LsHttpOptions options = LS_HTTP_OPTIONS_INIT;
  GError *local_error = NULL;

  ls_line (54);
  if ((locker = ls_semaphore_locker_new (downloader->semaphore, error)) == NULL)
    return NULL;
  ls_line (56);
  ls_print (_("[%d/%d] downloading: %s"), job->index, job->total, job->url);

  options.timeout = ls_knob ("timeout");
  options.raise_for_status = TRUE;
  options.progress = save_chunk;
  options.progress_data = job;
  /* no folder for the run: the first file operation raises OSError */
  if ((job->path = ls_scenario_path (job->save_path, &local_error)) != NULL)
    {
      dir = g_path_get_dirname (job->path);
      g_mkdir_with_parents (dir, 0755);
      url = ls_scenario_url (job->url, &local_error);
    }
  ls_line (58);
  if (url == NULL || !ls_file_write_all (job->path, "", 0, &local_error)
      || (response = ls_http_get (NULL, url, &options, &local_error)) == NULL)
    {
      if (ls_error_is_cancelled (local_error))
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      /* except Exception as e */
      ls_line (83);
      ls_print (_("[%d/%d] failed: %s - %s"), job->index, job->total, job->url,
                local_error->message);
      g_clear_error (&local_error);
      downloader->failed++;
      return g_variant_new_boolean (FALSE);
    }
  ls_line (78);
  ls_print (_("[%d/%d] done: %s"), job->index, job->total, job->save_path);
  downloader->downloaded++;
  return g_variant_new_boolean (TRUE);
}

static void
download_job_free (gpointer data)
{
  DownloadJob *job = data;

  g_free (job->path);
  g_free (job);
}

static GVariant *
downloader_main (gpointer data,
                 GError **error)
{
  static const char *jobs[][2] = {
    { "https://httpbin.org/delay/1", "downloads/file1.json" },
    { "https://httpbin.org/delay/2", "downloads/file2.json" },
    { "https://httpbin.org/delay/1", "downloads/file3.json" },
    { "https://httpbin.org/delay/3", "downloads/file4.json" },
    { "https://httpbin.org/get", "downloads/file5.json" },
  };
  LsLoop *loop = ls_loop_current ();
  Downloader downloader = { 0 };
  LsFuture *tasks[G_N_ELEMENTS (jobs)];
  g_autoptr(GPtrArray) results = NULL;
  int total = G_N_ELEMENTS (jobs);
  double start;

  ls_line (19);
  downloader.semaphore = ls_semaphore_new (NULL, "semaphore", (gint) ls_knob ("max-concurrent"),
                                           NULL);
  start = ls_loop_time (loop);
  ls_line (103);
  ls_print (_("Downloading %d files..."), total);
  for (int i = 0; i < total; i++)
    {
      DownloadJob *job = g_new0 (DownloadJob, 1);

      job->downloader = &downloader;
      job->url = jobs[i][0];
      job->save_path = jobs[i][1];
      job->index = i + 1;
      job->total = total;
      tasks[i] = LS_FUTURE (ls_task_create (job->save_path, download_one, job, download_job_free));
    }
  ls_line (110);
  results = ls_gather (tasks, total, TRUE, error);
  for (int i = 0; i < total; i++)
    ls_future_unref (tasks[i]);
  ls_semaphore_unref (downloader.semaphore);
  if (results == NULL)
    return NULL;

  ls_line (113);
  ls_print (_("\nDownload finished!"));
  ls_line (114);
  ls_print (_("Succeeded: %d"), downloader.downloaded);
  ls_line (115);
  ls_print (_("Failed: %d"), downloader.failed);
  ls_line (116);
  ls_print (_("Elapsed: %.2f s"), ls_loop_time (loop) - start);
  return NULL;
}

/* ---- the scenario descriptions ------------------------------------------ */

static const LsScenarioKnob blocking_read_knobs[] = {
  { "latency", N_("Disk latency (s)"), 1, 0, 10 },
};

const LsScenario ls_scenario_blocking_read = {
  "blocking-read", N_("Blocking vs non-blocking"), SECTION_CONCEPTS,
  N_("A heartbeat task ticks every 0.25 s. During the blocking read (a slow disk, 1 s) the "
     "loop is blocked and the heartbeat stops until the read is over. The same read awaited "
     "lets the heartbeat keep its rhythm."),
  blocking_read_knobs, G_N_ELEMENTS (blocking_read_knobs), FALSE, blocking_read_main,
};

const LsScenario ls_scenario_blocking_read_fixed = {
  "blocking-read-fixed", N_("Blocking read on a thread"), SECTION_CONCEPTS,
  N_("The same blocking read, handed to a worker thread with asyncio.to_thread: the thread "
     "sleeps for the slow disk (its own lane, \"thread 1\"), the loop is never blocked and the "
     "heartbeat keeps its rhythm. The result comes back through the loop: the thread's "
     "completion sets the future main awaits, which wakes main."),
  NULL, 0, FALSE, blocking_read_fixed_main,
};

const LsScenario ls_scenario_file_io = {
  "file-io", N_("Async file I/O"), SECTION_IO,
  N_("Three files are written, then read concurrently: each read is an I/O wait on its path "
     "(real files, in a temporary folder, through GIO's asynchronous API)."),
  NULL, 0, FALSE, file_io_main,
};

const LsScenario ls_scenario_http_fetch = {
  "http-fetch", N_("Async HTTP requests"), SECTION_IO,
  N_("Three URLs fetched concurrently with gather(return_exceptions=True): the whole run takes "
     "as long as the slowest, 2 s. Loopscope's local server answers in place of httpbin.org, on "
     "the scenario clock."),
  NULL, 0, FALSE, http_fetch_main,
};

const LsScenario ls_scenario_async_context_manager = {
  "async-context-manager", N_("Async context managers"), SECTION_IO,
  N_("async with awaits __aenter__ before the body and __aexit__ after it, even when the body "
     "fails: 0.5 s to acquire, 1 s of use, 0.5 s to release."),
  NULL, 0, FALSE, async_context_manager_main,
};

static const LsScenarioKnob downloader_knobs[] = {
  { "max-concurrent", N_("Downloads at once"), 3, 1, 10 },
  { "timeout", N_("Timeout (s)"), 30, 0.1, 60 },
};

const LsScenario ls_scenario_downloader = {
  "downloader", N_("Exercise 1: concurrent downloader"), SECTION_EXERCISES,
  N_("Five downloads, at most three at once (the semaphore's lane): a fourth starts only when "
     "one of the first three releases its permit. Each body is streamed to a file in chunks "
     "with progress."),
  downloader_knobs, G_N_ELEMENTS (downloader_knobs), FALSE, downloader_main,
};
