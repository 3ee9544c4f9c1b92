/* SPDX-License-Identifier: MIT
 *
 * Trace files: what Perfetto will see (checked with python3's json
 * module: one named track per task, spans, flows, counters), the round
 * trip (export, import, export: the same trace and the same bytes), a
 * Trace Event file from another tool, and every way a file can be bad.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ls-scenario.h"
#include "ls-test-scenario.h"
#include "ls-trace-json.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static char *
save (LsTrace           *trace,
      const LsTraceInfo *info,
      const char        *name)
{
  char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;

  g_assert_true (ls_trace_save_json (trace, info, path, &error));
  g_assert_no_error (error);
  return path;
}

/* Runs a python3 check on @path; skips when there is no python3. */
static gboolean
python_check (const char *script,
              const char *path)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  const char *argv[] = { python, "-c", script, path, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (python == NULL)
    {
      g_test_skip ("no python3");
      return FALSE;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, &out, &err, &status,
                               &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_printerr ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return TRUE;
}

static const char *check_events =
  "import json, sys\n"
  "d = json.load(open(sys.argv[1], encoding='utf-8'))\n"
  "ev = d['traceEvents']\n"
  "names = {e['tid']: e['args']['name'] for e in ev\n"
  "         if e['ph'] == 'M' and e['name'] == 'thread_name'}\n"
  "assert names[0] == 'event loop', names\n"
  "assert names[1] == 'Task-1', names\n"
  "assert sum(1 for n in names.values() if n.startswith('Task ')) >= 3, names\n"
  "x = [e for e in ev if e['ph'] == 'X']\n"
  "assert {'running', 'ready'} <= {e['name'] for e in x}\n"
  "waits = [e for e in x if e['name'].startswith('waiting')]\n"
  "assert any(e['args']['reason'] == 'lock' and e['args']['object_name'].startswith('Lock')\n"
  "           for e in waits), waits[:5]\n"
  "for e in x: assert e['pid'] == 1 and e['tid'] in names and e['dur'] >= 0\n"
  "# spans of one task abut and never overlap\n"
  "by = {}\n"
  "for e in x: by.setdefault(e['tid'], []).append((e['ts'], e['ts'] + e['dur']))\n"
  "for spans in by.values():\n"
  "  for a, b in zip(spans, spans[1:]): assert abs(a[1] - b[0]) < 1e-6, (a, b)\n"
  "s = {e['id']: e for e in ev if e['ph'] == 's'}\n"
  "f = {e['id']: e for e in ev if e['ph'] == 'f'}\n"
  "assert s.keys() == f.keys() and len(s) > 0\n"
  "assert any(e['name'] == 'handoff' for e in s.values())\n"
  "assert any(e['name'] == 'wakeup' for e in s.values())\n"
  "assert any(e['ph'] == 'i' and e['cat'] == 'print' for e in ev)\n"
  "assert any(e['ph'] == 'i' and e['name'] == 'done' for e in ev)\n"
  "ls = d['loopscope']\n"
  "assert ls['format'] == 'loopscope-trace' and ls['scenario'] == 'lock'\n"
  "assert ls['n_records'] * 32 == len(__import__('base64').b64decode(ls['records']))\n";

static void
test_events (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("lock");
  LsTraceInfo info = { (char *) "lock", (char *) "Lock", 0, (char *) "2024-01-01" };
  g_autofree char *path = save (ls_test_run_trace (run), &info, "lock.json");

  python_check (check_events, path);
}

static const char *check_counters =
  "import json, sys\n"
  "d = json.load(open(sys.argv[1], encoding='utf-8'))\n"
  "c = [e for e in d['traceEvents'] if e['ph'] == 'C']\n"
  "assert c, 'no counters'\n"
  "vals = [e['args'][k] for e in c for k in e['args']]\n"
  "assert all(isinstance(v, int) and v >= 0 for v in vals), vals\n"
  "assert min(vals) == 0 and max(vals) >= 1, vals\n"
  "assert all(e['name'].startswith(sys.argv[2]) for e in c), c[:3]\n";

static void
test_counters (void)
{
  struct { const char *id; const char *counter; } cases[] = {
    { "semaphore", "Semaphore" },
    { "queue", "Queue" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(LsScenarioRun) run = ls_test_run_scenario (cases[i].id);
      g_autofree char *name = g_strconcat (cases[i].id, ".json", NULL);
      g_autofree char *path = save (ls_test_run_trace (run), NULL, name);
      g_autofree char *script = g_strdup (check_counters);
      g_autofree char *python = g_find_program_in_path ("python3");
      const char *argv[] = { python, "-c", script, path, cases[i].counter, NULL };
      int status;

      if (python == NULL)
        {
          g_test_skip ("no python3");
          return;
        }
      g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, NULL, NULL,
                                   &status, NULL));
      g_assert_true (g_spawn_check_wait_status (status, NULL));
    }
}

static void
test_round_trip (void)
{
  const char *ids[] = { "lock", "event", "queue", "semaphore", "task-cancel", "timeout",
                        "graceful-shutdown", "producer-consumer", "sync-vs-async" };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(LsScenarioRun) run = ls_test_run_scenario (ids[i]);
      LsTraceInfo info = { (char *) ids[i], (char *) "Title with \"quotes\"\n", 7,
                           (char *) "2024-05-06T07:08:09Z" };
      LsTraceInfo loaded = { 0 };
      g_autofree char *first = save (ls_test_run_trace (run), &info, "first.json");
      g_autofree char *second = NULL;
      g_autofree char *a = NULL, *b = NULL;
      gsize a_len, b_len;
      g_autoptr(LsTrace) trace = NULL;
      g_autoptr(GError) error = NULL;

      trace = ls_trace_load_json_full (first, &loaded, &error);
      g_assert_no_error (error);
      g_assert_true (ls_trace_equal (trace, ls_test_run_trace (run)));
      g_assert_cmpstr (loaded.scenario_id, ==, info.scenario_id);
      g_assert_cmpstr (loaded.title, ==, info.title);
      g_assert_cmpuint (loaded.seed, ==, 7);
      g_assert_cmpstr (loaded.created, ==, info.created);
      second = save (trace, &loaded, "second.json");
      g_assert_true (g_file_get_contents (first, &a, &a_len, NULL));
      g_assert_true (g_file_get_contents (second, &b, &b_len, NULL));
      g_assert_cmpuint (a_len, ==, b_len);
      g_assert_true (memcmp (a, b, a_len) == 0);
      ls_trace_info_clear (&loaded);
    }
}

static void
write_file (const char *path,
            const char *text)
{
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
}

/* A Trace Event file from another tool: threads become task lanes. */
static void
test_foreign (void)
{
  g_autofree char *path = tmp_path ("foreign.json");
  g_autoptr(LsTrace) trace = NULL;
  g_autoptr(GError) error = NULL;
  LsTraceInfo info = { 0 };
  guint tasks = 0, runs = 0, prints = 0;

  write_file (path,
              "{\"traceEvents\":[\n"
              " {\"ph\":\"M\",\"pid\":7,\"tid\":1,\"name\":\"thread_name\",\"args\":{\"name\":\"ui\"}},\n"
              " {\"ph\":\"X\",\"pid\":7,\"tid\":1,\"ts\":1000000,\"dur\":500,\"name\":\"paint\"},\n"
              " {\"ph\":\"X\",\"pid\":7,\"tid\":1,\"ts\":1000100,\"dur\":100,\"name\":\"nested\"},\n"
              " {\"ph\":\"B\",\"pid\":7,\"tid\":2,\"ts\":1000200.5,\"name\":\"io\"},\n"
              " {\"ph\":\"E\",\"pid\":7,\"tid\":2,\"ts\":1000900},\n"
              " {\"ph\":\"i\",\"pid\":7,\"tid\":2,\"ts\":1000300,\"name\":\"hello\",\"s\":\"t\"},\n"
              " {\"ph\":\"X\",\"pid\":7,\"tid\":1,\"ts\":1002000,\"dur\":10,\"name\":\"paint\"}\n"
              "]}\n");
  trace = ls_trace_load_json_full (path, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (info.title, ==, "foreign.json");
  g_assert_null (info.scenario_id);
  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);

      if (i > 0)
        g_assert_cmpint (r->time, >=, ls_trace_get_record (trace, i - 1)->time);
      if (r->kind == LS_TRACE_OBJECT_NEW)
        {
          tasks++;
          if (tasks == 1)
            g_assert_cmpstr (ls_trace_get_string (trace, r->peer), ==, "ui");
        }
      else if (r->kind == LS_TRACE_HANDLE_RUN)
        runs++;
      else if (r->kind == LS_TRACE_PRINT)
        {
          prints++;
          g_assert_cmpstr (ls_trace_get_string (trace, r->peer), ==, "hello");
          g_assert_cmpint (r->time, ==, 300000);
        }
    }
  g_assert_cmpuint (tasks, ==, 2);
  g_assert_cmpuint (runs, ==, 3);   /* nested slices merge into the outer one */
  g_assert_cmpuint (prints, ==, 1);
  g_assert_cmpint (ls_trace_get_end_time (trace), ==, 2010000);
  ls_trace_info_clear (&info);
}

/* Every bad file: an error that names the file, no crash. */
static void
test_bad_files (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("hello-world");
  g_autofree char *good = save (ls_test_run_trace (run), NULL, "good.json");
  g_autofree char *contents = NULL;
  gsize length;
  struct { const char *name; const char *text; int code; } cases[] = {
    { "empty.json", "", LS_TRACE_JSON_ERROR_EMPTY },
    { "blank.json", " \n\t", LS_TRACE_JSON_ERROR_EMPTY },
    { "png.json", "\x89PNG\r\n\x1a\n", LS_TRACE_JSON_ERROR_NOT_JSON },
    { "text.json", "hello", LS_TRACE_JSON_ERROR_NOT_JSON },
    { "malformed.json", "{\"traceEvents\": [1, 2,, 3]}", LS_TRACE_JSON_ERROR_INVALID },
    { "trailing.json", "{} {}", LS_TRACE_JSON_ERROR_INVALID },
    { "deep.json", NULL, LS_TRACE_JSON_ERROR_INVALID },
    { "schema.json", "{\"hello\": [1, 2, 3]}", LS_TRACE_JSON_ERROR_SCHEMA },
    { "noevents.json", "{\"traceEvents\": []}", LS_TRACE_JSON_ERROR_SCHEMA },
    { "format.json", "{\"loopscope\": {\"format\": \"other\"}}", LS_TRACE_JSON_ERROR_SCHEMA },
    { "version.json", "{\"loopscope\": {\"format\": \"loopscope-trace\", \"version\": 99}}",
      LS_TRACE_JSON_ERROR_SCHEMA },
    { "records.json", "{\"loopscope\": {\"format\": \"loopscope-trace\", \"version\": 1, "
      "\"strings\": [], \"records\": \"not base64!\"}}", LS_TRACE_JSON_ERROR_SCHEMA },
    { "short.json", "{\"loopscope\": {\"format\": \"loopscope-trace\", \"version\": 1, "
      "\"strings\": [], \"records\": \"AAAA\"}}", LS_TRACE_JSON_ERROR_SCHEMA },
    { "dup.json", "{\"loopscope\": {\"format\": \"loopscope-trace\", \"version\": 1, "
      "\"strings\": [\"a\", \"a\"], \"records\": \"\"}}", LS_TRACE_JSON_ERROR_SCHEMA },
  };

  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = tmp_path (cases[i].name);
      g_autoptr(GError) error = NULL;
      g_autoptr(LsTrace) trace = NULL;

      if (cases[i].text != NULL)
        write_file (path, cases[i].text);
      else
        {
          g_autofree char *deep = g_strnfill (100000, '[');

          write_file (path, deep);
        }
      trace = ls_trace_load_json (path, &error);
      g_assert_null (trace);
      g_assert_error (error, LS_TRACE_JSON_ERROR, cases[i].code);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_assert_null (strchr (error->message, '\n'));
    }

  /* every truncation of a good file fails cleanly */
  for (gsize cut = 1; cut < length - 2; cut += MAX (1, length / 97))
    {
      g_autofree char *path = tmp_path ("cut.json");
      g_autoptr(GError) error = NULL;
      g_autoptr(LsTrace) trace = NULL;

      g_assert_true (g_file_set_contents (path, contents, cut, NULL));
      trace = ls_trace_load_json (path, &error);
      g_assert_null (trace);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, path));
    }

  /* a huge file is refused before it is read (sparse: costs no disk) */
  {
    g_autofree char *path = tmp_path ("huge.json");
    g_autoptr(GError) error = NULL;
    g_autoptr(LsTrace) trace = NULL;
    FILE *f = g_fopen (path, "w");

    g_assert_nonnull (f);
    g_assert_cmpint (ftruncate (fileno (f), LS_TRACE_JSON_MAX_BYTES + 1), ==, 0);
    fclose (f);
    trace = ls_trace_load_json (path, &error);
    g_assert_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_TOO_LARGE);
    g_unlink (path);
  }

  /* missing file, a folder */
  {
    g_autofree char *path = tmp_path ("missing.json");
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) error2 = NULL;

    g_assert_null (ls_trace_load_json (path, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    g_assert_null (ls_trace_load_json (tmp_dir, &error2));
    g_assert_nonnull (error2);
  }
}

/* Saving where it cannot: an error and nothing left behind. */
static void
test_bad_destinations (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("hello-world");
  g_autofree char *missing = g_build_filename (tmp_dir, "no-such-dir", "x.json", NULL);
  g_autofree char *locked_dir = tmp_path ("locked");
  g_autofree char *locked = g_build_filename (locked_dir, "x.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error2 = NULL;
  g_autoptr(GDir) dir = NULL;

  g_assert_false (ls_trace_save_json (ls_test_run_trace (run), NULL, missing, &error));
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_assert_cmpint (g_mkdir (locked_dir, 0500), ==, 0);
  if (access (locked_dir, W_OK) == 0)
    {
      g_test_message ("running as root: cannot test an unwritable folder");
    }
  else
    {
      g_assert_false (ls_trace_save_json (ls_test_run_trace (run), NULL, locked, &error2));
      g_assert_true (g_str_has_prefix (error2->message, locked));
      dir = g_dir_open (locked_dir, 0, NULL);
      g_assert_null (g_dir_read_name (dir));
    }
  g_assert_false (g_file_test (locked, G_FILE_TEST_EXISTS));
  g_chmod (locked_dir, 0700);
  g_rmdir (locked_dir);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("loopscope-json-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);

  g_test_add_func ("/trace-json/events", test_events);
  g_test_add_func ("/trace-json/counters", test_counters);
  g_test_add_func ("/trace-json/round-trip", test_round_trip);
  g_test_add_func ("/trace-json/foreign", test_foreign);
  g_test_add_func ("/trace-json/bad-files", test_bad_files);
  g_test_add_func ("/trace-json/bad-destinations", test_bad_destinations);

  status = g_test_run ();
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
