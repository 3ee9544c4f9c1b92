/* SPDX-License-Identifier: MIT
 *
 * A scenario run: its loop, its main task, its knobs, and what it borrows
 * from the machine (a temporary folder standing for the chapter's current
 * directory, a local httpbin). The folder is the only thing a run ever
 * deletes, and only what is inside it: it is made with g_dir_make_tmp or
 * not at all, and removed without following a symbolic link.
 */
#include "config.h"

#include "ls-scenario.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>
#include <unistd.h>

#include "ls-http-server.h"
#include "ls-scenarios-private.h"

struct _LsScenarioRun
{
  const LsScenario *scenario;
  LsLoop           *loop;
  LsTask           *main_task;
  LsRunner         *runner;    /* asyncio.run: main, then the shutdown */
  GHashTable       *knobs;     /* name -> double* */
  char             *tmpdir;    /* made on first use */
  LsHttpServer     *server;    /* started on first use */
};

static GQuark
run_quark (void)
{
  return g_quark_from_static_string ("ls-scenario-run");
}

const LsScenario *const *
ls_scenarios_get_all (guint *n_scenarios)
{
  guint n = 0;

  while (ls_all_scenarios[n] != NULL)
    n++;
  if (n_scenarios != NULL)
    *n_scenarios = n;
  return ls_all_scenarios;
}

const LsScenario *
ls_scenario_lookup (const char *id)
{
  for (guint i = 0; ls_all_scenarios[i] != NULL; i++)
    if (g_strcmp0 (ls_all_scenarios[i]->id, id) == 0)
      return ls_all_scenarios[i];
  return NULL;
}

char *
ls_scenario_list_ids (const char *separator)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  for (guint i = 0; ls_all_scenarios[i] != NULL; i++)
    g_strv_builder_add (ids, ls_all_scenarios[i]->id);
  strv = g_strv_builder_end (ids);
  return g_strjoinv (separator, strv);
}

/* The chapter's listing, from the GResource when the program carries it
 * (the app and its tests do), else from the source tree. */
char *
ls_scenario_get_listing (const LsScenario *scenario)
{
  g_autofree char *path = g_strdup_printf (RESOURCE_PREFIX "/scenarios/%s.py", scenario->id);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);

  if (bytes == NULL)
    return NULL;
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

LsScenarioRun *
ls_scenario_run_new (const LsScenario *scenario,
                     guint32           seed)
{
  LsScenarioRun *run = g_new0 (LsScenarioRun, 1);

  run->scenario = scenario;
  run->loop = ls_loop_new ();
  run->knobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  ls_loop_set_seed (run->loop, seed);
  g_object_set_qdata (G_OBJECT (run->loop), run_quark (), run);
  for (guint i = 0; i < scenario->n_knobs; i++)
    ls_scenario_run_set_knob (run, scenario->knobs[i].name, scenario->knobs[i].default_value);
  /* asyncio.run(main()): the main task is Task-1; when it is done, the
   * tasks left are cancelled, however the loop is driven */
  run->main_task = ls_task_new (run->loop, NULL, scenario->main, NULL, NULL);
  run->runner = ls_runner_new (run->loop, run->main_task);
  return run;
}

/* Removes the folder @name (in @parent_fd) and everything in it. A
 * symbolic link is unlinked, never followed: only the folder the run made
 * and what the run put in it can go, whatever a scenario (or anyone else)
 * linked from inside it. O_NOFOLLOW on every folder opened closes the gap
 * between looking at an entry and descending into it. */
static void
remove_tree_at (int         parent_fd,
                const char *name)
{
  int fd = openat (parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

  if (fd >= 0)
    {
      DIR *dir = fdopendir (fd);
      struct dirent *entry;

      if (dir == NULL)
        {
          close (fd);
          return;
        }
      while ((entry = readdir (dir)) != NULL)
        {
          if (strcmp (entry->d_name, ".") == 0 || strcmp (entry->d_name, "..") == 0)
            continue;
          /* unlinkat () without AT_REMOVEDIR refuses a folder (EISDIR) */
          if (unlinkat (dirfd (dir), entry->d_name, 0) != 0 && errno == EISDIR)
            remove_tree_at (dirfd (dir), entry->d_name);
        }
      closedir (dir);
    }
  unlinkat (parent_fd, name, AT_REMOVEDIR);
}

/* Once the loop is gone, and with it the last file operation that could
 * still write into the folder (an operation in flight holds the loop). */
static void
remove_run_folder (gpointer  data,
                   GObject  *where_the_loop_was)
{
  char *folder = data;

  remove_tree_at (AT_FDCWD, folder);
  g_free (folder);
}

void
ls_scenario_run_free (LsScenarioRun *run)
{
  if (run == NULL)
    return;
  /* first, while the run's knobs, folder and server are still there for
   * the cleanups of its tasks */
  ls_loop_close (run->loop);
  g_clear_pointer (&run->server, ls_http_server_free);
  if (run->tmpdir != NULL)
    g_object_weak_ref (G_OBJECT (run->loop), remove_run_folder, g_steal_pointer (&run->tmpdir));
  g_clear_pointer (&run->runner, ls_runner_free);
  g_clear_pointer (&run->main_task, ls_task_unref);
  g_object_set_qdata (G_OBJECT (run->loop), run_quark (), NULL);
  g_clear_object (&run->loop);
  g_hash_table_unref (run->knobs);
  g_free (run);
}

LsLoop *
ls_scenario_run_get_loop (LsScenarioRun *run)
{
  return run->loop;
}

LsTask *
ls_scenario_run_get_main_task (LsScenarioRun *run)
{
  return run->main_task;
}

void
ls_scenario_run_set_knob (LsScenarioRun *run,
                          const char    *name,
                          double         value)
{
  for (guint i = 0; i < run->scenario->n_knobs; i++)
    {
      const LsScenarioKnob *knob = &run->scenario->knobs[i];

      if (g_str_equal (knob->name, name))
        {
          double *v = g_new (double, 1);

          *v = CLAMP (value, knob->min, knob->max);
          g_hash_table_replace (run->knobs, (gpointer) knob->name, v);
          return;
        }
    }
  g_critical ("scenario %s has no knob %s", run->scenario->id, name);
}

gboolean
ls_scenario_run_to_end (LsScenarioRun *run,
                        GError       **error)
{
  return ls_runner_run (run->runner, error);
}

gboolean
ls_scenario_run_is_finished (LsScenarioRun *run)
{
  return ls_runner_is_finished (run->runner);
}

static LsScenarioRun *current_run (void);

double
ls_knob (const char *name)
{
  LsScenarioRun *run = current_run ();
  double *v;

  g_return_val_if_fail (run != NULL, 0);
  v = g_hash_table_lookup (run->knobs, name);
  g_return_val_if_fail (v != NULL, 0);
  return *v;
}

static LsScenarioRun *
current_run (void)
{
  LsLoop *loop = ls_loop_current ();

  return loop != NULL ? g_object_get_qdata (G_OBJECT (loop), run_quark ()) : NULL;
}

/* The errno behind a GFileError, for an OSError's "[Errno N]". */
static int
file_error_to_errno (int code)
{
  static const struct { GFileError code; int errnum; } map[] = {
    { G_FILE_ERROR_EXIST, EEXIST },
    { G_FILE_ERROR_ISDIR, EISDIR },
    { G_FILE_ERROR_ACCES, EACCES },
    { G_FILE_ERROR_NAMETOOLONG, ENAMETOOLONG },
    { G_FILE_ERROR_NOENT, ENOENT },
    { G_FILE_ERROR_NOTDIR, ENOTDIR },
    { G_FILE_ERROR_ROFS, EROFS },
    { G_FILE_ERROR_LOOP, ELOOP },
    { G_FILE_ERROR_NOSPC, ENOSPC },
    { G_FILE_ERROR_NOMEM, ENOMEM },
    { G_FILE_ERROR_MFILE, EMFILE },
    { G_FILE_ERROR_NFILE, ENFILE },
    { G_FILE_ERROR_PERM, EPERM },
    { G_FILE_ERROR_IO, EIO },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if ((int) map[i].code == code)
      return map[i].errnum;
  return 0;
}

/* There is no fallback: a run that cannot have a folder of its own gets
 * none, and its file operations fail the way CPython's would in a
 * directory it cannot write to. (Writing into $TMPDIR itself would mean
 * deleting whatever else is there when the run ends.) */
static gboolean
make_run_folder (LsScenarioRun  *run,
                 GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *template = NULL;
  int errnum;

  run->tmpdir = g_dir_make_tmp ("loopscope-XXXXXX", &local_error);
  if (run->tmpdir != NULL)
    return TRUE;
  template = g_build_filename (g_get_tmp_dir (), "loopscope-XXXXXX", NULL);
  errnum = local_error->domain == G_FILE_ERROR ? file_error_to_errno (local_error->code) : 0;
  if (errnum != 0)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errnum), "[Errno %d] %s: '%s'",
                 errnum, g_strerror (errnum), template);
  else
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", local_error->message);
  return FALSE;
}

char *
ls_scenario_path (const char  *relative,
                  GError     **error)
{
  LsScenarioRun *run = current_run ();

  g_return_val_if_fail (run != NULL, NULL);
  if (run->tmpdir == NULL && !make_run_folder (run, error))
    return NULL;
  return g_build_filename (run->tmpdir, relative, NULL);
}

char *
ls_scenario_url (const char *httpbin_url,
                 GError    **error)
{
  LsScenarioRun *run = current_run ();
  const char *path;

  g_return_val_if_fail (run != NULL, NULL);
  if (run->server == NULL && (run->server = ls_http_server_new (run->loop, error)) == NULL)
    return NULL;
  path = strstr (httpbin_url, "httpbin.org");
  path = path != NULL ? path + strlen ("httpbin.org") : "/";
  return g_strconcat (ls_http_server_get_base_url (run->server), path, NULL);
}

void
ls_line (int line)
{
  ls_source_line (line);
}

void
ls_console_append (GString *out,
                   LsTrace *trace,
                   guint64  first,
                   guint64  n)
{
  guint64 end = MIN (first + n, ls_trace_get_n_records (trace));

  for (guint64 i = first; i < end; i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);
      const char *text, *nl;

      if (r->kind != LS_TRACE_PRINT)
        continue;
      text = ls_trace_get_string (trace, r->peer);
      for (;;)
        {
          nl = strchr (text, '\n');
          g_string_append_printf (out, "[%8.3f] %.*s\n", r->time / 1e9,
                                  nl != NULL ? (int) (nl - text) : (int) strlen (text), text);
          if (nl == NULL)
            break;
          text = nl + 1;
        }
    }
}
