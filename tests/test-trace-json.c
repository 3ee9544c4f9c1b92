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
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ls-scenario.h"
#include "ls-sort-private.h"
#include "ls-test-scenario.h"
#include "ls-trace-check.h"
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
  "# no slice of zero length: the readers nest them wrongly\n"
  "assert all(e['dur'] > 0 for e in x), [e for e in x if e['dur'] <= 0][:3]\n"
  "tasks = [e for e in x if e['cat'] == 'task']\n"
  "assert any(e['name'] == 'waiting: lock (Lock self.lock)' for e in tasks), tasks[:5]\n"
  "assert any(e['name'] == 'waiting: sleep' for e in tasks), tasks[:5]\n"
  "for e in x: assert e['pid'] == 1 and e['tid'] in names, e\n"
  "# slices of one thread never overlap, even added in doubles\n"
  "by = {}\n"
  "for e in x: by.setdefault(e['tid'], []).append((e['ts'], e['ts'] + e['dur']))\n"
  "for spans in by.values():\n"
  "  spans.sort()\n"
  "  for a, b in zip(spans, spans[1:]): assert a[1] <= b[0], (a, b)\n"
  "# the lock's own track: who holds it, one after the other\n"
  "lock = [t for t, n in names.items() if n == 'Lock self.lock']\n"
  "held = [e['name'] for e in x if e['tid'] in lock]\n"
  "assert held == ['held by Task %d' % i for i in range(5)], held\n"
  "# steps that took no time are instants where wake-ups end\n"
  "assert any(e['ph'] == 'i' and e['name'] == 'running' and e['cat'] == 'task' for e in ev)\n"
  "# each flow: its start at the start of a slice of its source, its end at\n"
  "# a slice or a step of its destination, later, in the slices' category\n"
  "starts = {(e['tid'], e['ts']) for e in ev if e['ph'] in 'Xi' and e['cat'] == 'task'}\n"
  "s = {e['id']: e for e in ev if e['ph'] == 's'}\n"
  "f = {e['id']: e for e in ev if e['ph'] == 'f'}\n"
  "assert s.keys() == f.keys() and len(s) > 0\n"
  "for i in s:\n"
  "  a, b = s[i], f[i]\n"
  "  assert a['cat'] == b['cat'] == 'task' and b['bp'] == 'e', (a, b)\n"
  "  assert (a['tid'], a['ts']) in starts and (b['tid'], b['ts']) in starts, (a, b)\n"
  "  assert a['ts'] < b['ts'] and a['tid'] != b['tid'], (a, b)\n"
  "  assert ev.index(a) < ev.index(b), (a, b)\n"
  "assert any(e['name'] == 'handoff' for e in s.values())\n"
  "assert any(e['name'] == 'wakeup' for e in s.values())\n"
  "assert any(e['ph'] == 'i' and e['cat'] == 'print' for e in ev)\n"
  "assert any(e['ph'] == 'i' and e['name'] == 'done' for e in ev)\n"
  "ls = d['loopscope']\n"
  "assert ls['format'] == 'loopscope-trace' and ls['scenario'] == 'lock'\n";

static void
test_events (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("lock");
  LsTraceInfo info = { (char *) "lock", (char *) "Lock", 0, (char *) "2024-01-01" };
  g_autofree char *path = save (ls_test_run_trace (run), &info, "lock.json");

  python_check (check_events, path);
}

/* A task's end says what it raised: timeout's main task fails with
 * TimeoutError, the task it waited for is cancelled */
static const char *check_exceptions =
  "import json, sys\n"
  "ev = json.load(open(sys.argv[1], encoding='utf-8'))['traceEvents']\n"
  "ends = [(e['name'], e.get('args', {}).get('exception')) for e in ev\n"
  "        if e['ph'] == 'i' and e['name'] in ('done', 'failed', 'cancelled')]\n"
  "assert ('failed', 'TimeoutError') in ends, ends\n"
  "assert ('cancelled', 'CancelledError') in ends, ends\n"
  "assert all((n == 'done') == (x is None) for n, x in ends), ends\n";

static void
test_exceptions (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("timeout");
  g_autofree char *path = save (ls_test_run_trace (run), NULL, "timeout.json");

  python_check (check_exceptions, path);
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

/* Loads @text as the file @name: the trace, or NULL and @error. */
static LsTrace *
load_text (const char  *name,
           const char  *text,
           GError     **error)
{
  g_autofree char *path = tmp_path (name);

  write_file (path, text);
  return ls_trace_load_json (path, error);
}

/* A load that fails with one line: "PATH: @message". */
static void
assert_load_fails (const char *text,
                   int         code,
                   const char *message)
{
  g_autofree char *path = tmp_path ("bad.json");
  g_autofree char *expected = g_strdup_printf ("%s: %s", path, message);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsTrace) trace = load_text ("bad.json", text, &error);

  if (trace != NULL || error == NULL || !g_str_equal (error->message, expected))
    g_printerr ("input: %s\nerror: %s\n", text, error != NULL ? error->message : "(none)");
  g_assert_null (trace);
  g_assert_error (error, LS_TRACE_JSON_ERROR, code);
  g_assert_cmpstr (error->message, ==, expected);
}

/* Every member of another tool's event with a value of every JSON type:
 * the right types load, the others are an error naming the event. */
static void
test_foreign_members (void)
{
  const char *members[] = { "ph", "name", "cat", "pid", "tid", "ts", "dur", "args" };
  const char *values[] = { "7", "\"X\"", "{}", "[]", "null", "true", "false" };
  /* which members take which values (by index in values) */
  const char *valid[] = { "1", "1", "1", "01", "01", "0", "0", "2" };
  const char *expected[] = { "is not a string", "is not a string", "is not a string",
                             "is not an integer or a string", "is not an integer or a string",
                             "is not a number", "is not a number", "is not an object" };

  for (guint m = 0; m < G_N_ELEMENTS (members); m++)
    for (guint v = 0; v < G_N_ELEMENTS (values); v++)
      {
        g_autoptr(GString) text = g_string_new ("{\"traceEvents\":[\n"
                                                "{\"ph\":\"i\",\"ts\":0,\"name\":\"first\"},\n{");
        g_autoptr(GError) error = NULL;
        g_autoptr(LsTrace) trace = NULL;
        const char *base[][2] = { { "ph", "\"X\"" }, { "name", "\"a\"" }, { "cat", "\"c\"" },
                                  { "pid", "1" }, { "tid", "2" }, { "ts", "5" }, { "dur", "3" },
                                  { "args", "{\"a\":1}" } };

        for (guint k = 0; k < G_N_ELEMENTS (base); k++)
          g_string_append_printf (text, "%s\"%s\":%s", k > 0 ? "," : "", base[k][0],
                                  k == m ? values[v] : base[k][1]);
        g_string_append (text, "}]}");
        if (strchr (valid[m], '0' + v) != NULL)
          {
            trace = load_text ("member.json", text->str, &error);
            g_assert_no_error (error);
            g_assert_nonnull (trace);
          }
        else
          {
            g_autofree char *message = g_strdup_printf ("event 1: “%s” %s", members[m],
                                                        expected[m]);

            assert_load_fails (text->str, LS_TRACE_JSON_ERROR_SCHEMA, message);
          }
      }
}

/* Numbers out of range, missing members, events that are not objects,
 * a "traceEvents" that is not an array. */
static void
test_foreign_values (void)
{
  struct { const char *event; const char *message; } cases[] = {
    { "{\"ph\":\"X\",\"ts\":1e400,\"dur\":1}", "event 1: “ts” is out of range" },
    { "{\"ph\":\"X\",\"ts\":-1e400,\"dur\":1}", "event 1: “ts” is out of range" },
    { "{\"ph\":\"X\",\"ts\":10000000000000,\"dur\":1}", "event 1: “ts” is out of range" },
    { "{\"ph\":\"X\",\"ts\":1,\"dur\":1e13}", "event 1: “dur” is out of range" },
    /* found by fuzzing: the digits of a long integer overflowed while read */
    { "{\"ph\":\"X\",\"ts\":123456789012345678901234567890,\"dur\":1}",
      "event 1: “ts” is out of range" },
    { "{\"ph\":\"X\",\"ts\":1,\"dur\":-99999999999999999999.5}",
      "event 1: “dur” is out of range" },
    { "{\"ph\":\"X\",\"ts\":1,\"dur\":-1}", "event 1: “dur” is negative" },
    { "{\"ph\":\"C\",\"ts\":1e300}", "event 1: “ts” is out of range" },
    { "{\"ph\":\"i\",\"ts\":1,\"pid\":1.5}", "event 1: “pid” is not an integer" },
    { "{\"ph\":\"i\",\"ts\":1,\"tid\":1e300}", "event 1: “tid” is out of range" },
    { "{\"ph\":\"i\",\"ts\":1,\"tid\":9223372036854775808}", "event 1: “tid” is out of range" },
    { "{\"ph\":\"i\",\"ts\":1,\"pid\":-9223372036854775809}", "event 1: “pid” is out of range" },
    { "{\"ph\":\"i\",\"ts\":1,\"pid\":100000000000000000000000}",
      "event 1: “pid” is out of range" },
    { "{\"ts\":1}", "event 1: no “ph”" },
    { "{}", "event 1: no “ph”" },
    { "{\"ph\":\"X\",\"dur\":1}", "event 1: no “ts”" },
    { "{\"ph\":\"B\"}", "event 1: no “ts”" },
    { "{\"ph\":\"i\",\"name\":\"x\"}", "event 1: no “ts”" },
    { "{\"ph\":\"X\",\"ts\":1}", "event 1: no “dur”" },
    { "{\"ph\":\"M\",\"name\":\"thread_name\",\"args\":{\"name\":7}}",
      "event 1: “args.name” is not a string" },
    { "{\"ph\":\"M\",\"name\":\"thread_name\",\"args\":{\"name\":null}}",
      "event 1: “args.name” is not a string" },
    { "1", "event 1: not an object" },
    { "\"X\"", "event 1: not an object" },
    { "[]", "event 1: not an object" },
    { "null", "event 1: not an object" },
    { "true", "event 1: not an object" },
  };
  const char *not_arrays[] = { "{}", "\"x\"", "1", "null", "false" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"traceEvents\":[{\"ph\":\"i\",\"ts\":0,"
                                               "\"name\":\"a\"},%s]}", cases[i].event);

      assert_load_fails (text, LS_TRACE_JSON_ERROR_SCHEMA, cases[i].message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (not_arrays); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"traceEvents\":%s}", not_arrays[i]);

      assert_load_fails (text, LS_TRACE_JSON_ERROR_SCHEMA, "“traceEvents” is not an array");
    }
  assert_load_fails ("{\"traceEvents\":[],\"traceEvents\":[]}", LS_TRACE_JSON_ERROR_SCHEMA,
                     "line 1, column 33: two “traceEvents” arrays");
  /* errors of syntax come first, wherever they are */
  assert_load_fails ("[1, {\"ph\":}]", LS_TRACE_JSON_ERROR_INVALID,
                     "line 1, column 11: expected a value");
  /* JSON has no NaN or infinity: they are not numbers but bad syntax */
  assert_load_fails ("[{\"ph\":\"X\",\"ts\":NaN,\"dur\":1}]", LS_TRACE_JSON_ERROR_INVALID,
                     "line 1, column 17: expected a value");
  assert_load_fails ("[{\"ph\":\"X\",\"ts\":1,\"dur\":-Infinity}]", LS_TRACE_JSON_ERROR_INVALID,
                     "line 1, column 26: expected a value");
}

/* The lanes of a foreign trace, "name" or "pid:tid", in creation order. */
static char *
lane_names (LsTrace *trace)
{
  GString *names = g_string_new (NULL);

  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);

      if (r->kind == LS_TRACE_OBJECT_NEW)
        g_string_append_printf (names, "%s%s", names->len > 0 ? " " : "",
                                ls_trace_get_string (trace, r->peer));
    }
  return g_string_free (names, FALSE);
}

/* pid and tid: any integer (negative, huge: no shift, no overflow), or a
 * string; zero-length slices; the JSON Array Format, closed or not. */
static void
test_foreign_ids (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(LsTrace) trace = NULL;
  g_autoptr(LsTrace) array = NULL;
  g_autoptr(LsTrace) open = NULL;
  g_autoptr(LsTrace) comma = NULL;
  g_autofree char *names = NULL;
  const char *events =
    "{\"ph\":\"i\",\"pid\":-1,\"tid\":-5,\"ts\":1,\"name\":\"a\"},\n"
    "{\"ph\":\"i\",\"pid\":9223372036854775807,\"tid\":-9223372036854775808,\"ts\":2,"
    "\"name\":\"b\"},\n"
    "{\"ph\":\"i\",\"pid\":4294967297,\"tid\":1,\"ts\":3,\"name\":\"c\"},\n"
    "{\"ph\":\"i\",\"pid\":1,\"tid\":4294967297,\"ts\":4,\"name\":\"d\"},\n"
    "{\"ph\":\"i\",\"pid\":\"browser\",\"tid\":\"main\",\"ts\":5,\"name\":\"e\"},\n"
    "{\"ph\":\"i\",\"pid\":\"1\",\"tid\":\"1\",\"ts\":6,\"name\":\"f\"},\n"
    "{\"ph\":\"i\",\"pid\":1,\"tid\":1,\"ts\":7,\"name\":\"g\"},\n"
    "{\"ph\":\"i\",\"pid\":1e2,\"tid\":2.0,\"ts\":8,\"name\":\"h\"},\n"
    "{\"ph\":\"X\",\"ts\":9,\"dur\":0,\"name\":\"empty\"}";
  g_autofree char *text = g_strdup_printf ("{\"traceEvents\":[%s]}", events);
  g_autofree char *array_text = g_strdup_printf ("[%s]", events);
  g_autofree char *open_text = g_strdup_printf ("[%s\n", events);
  g_autofree char *comma_text = g_strdup_printf ("[%s,\n", events);
  const LsTraceRecord *last, *before;

  trace = load_text ("ids.json", text, &error);
  g_assert_no_error (error);
  names = lane_names (trace);
  g_assert_cmpstr (names, ==, "-1:-5 9223372036854775807:-9223372036854775808 4294967297:1 "
                   "1:4294967297 browser:main 1:1 1:1 100:2 0:0");
  /* the empty slice of 0:0 runs and ends at one instant, in that order */
  last = ls_trace_get_record (trace, ls_trace_get_n_records (trace) - 1);
  before = ls_trace_get_record (trace, ls_trace_get_n_records (trace) - 2);
  g_assert_cmpint (before->kind, ==, LS_TRACE_HANDLE_RUN);
  g_assert_cmpint (last->kind, ==, LS_TRACE_TASK_SUSPEND);
  g_assert_cmpint (before->time, ==, last->time);

  array = load_text ("array.json", array_text, &error);
  g_assert_no_error (error);
  open = load_text ("open.json", open_text, &error);
  g_assert_no_error (error);
  comma = load_text ("comma.json", comma_text, &error);
  g_assert_no_error (error);
  g_assert_true (ls_trace_equal (trace, array));
  g_assert_true (ls_trace_equal (trace, open));
  g_assert_true (ls_trace_equal (trace, comma));

  assert_load_fails ("[{\"ph\":\"i\",\"ts\":1,\"name\":\"a\"}, {\"ph\":", LS_TRACE_JSON_ERROR_INVALID,
                     "the file ends too early (truncated?): expected a value");
  assert_load_fails ("[{\"ph\":\"i\",\"ts\":1,\"name\":\"a\"}] x", LS_TRACE_JSON_ERROR_INVALID,
                     "line 1, column 32: more data after the end of the JSON value");
  assert_load_fails ("[1]", LS_TRACE_JSON_ERROR_SCHEMA, "event 0: not an object");
  assert_load_fails ("[", LS_TRACE_JSON_ERROR_SCHEMA, "the trace has no events with a time");
}

typedef struct
{
  gint64  key;
  guint64 order;
  gint64  pad;
} SortItem;

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  const SortItem *x = a, *y = b;

  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order ? 1 : 0;
}

/* The import's in-place sort against qsort, on the inputs that hurt
 * quicksorts: sorted, reversed, all equal, organ pipe, few keys, random. */
static void
test_sort (void)
{
  guint sizes[] = { 0, 1, 2, 3, 16, 17, 100, 1000, 20000 };

  for (guint shape = 0; shape < 6; shape++)
    for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
      {
        guint n = sizes[k];
        g_autoptr(GArray) array = g_array_sized_new (FALSE, FALSE, sizeof (SortItem), n);
        g_autofree SortItem *expected = NULL;

        for (guint i = 0; i < n; i++)
          {
            SortItem item = { 0, i, 0 };

            switch (shape)
              {
              case 0: item.key = i; break;
              case 1: item.key = n - i; break;
              case 2: item.key = 7; break;
              case 3: item.key = i < n / 2 ? i : n - i; break;
              case 4: item.key = g_test_rand_int_range (0, 4); break;
              default: item.key = g_test_rand_int (); break;
              }
            /* equal keys apart: the order is total */
            if (shape == 2 || shape == 4)
              item.order = n - i;
            g_array_append_val (array, item);
          }
        if (n == 0)
          {
            _ls_sort_array (array, compare_items);
            continue;
          }
        expected = g_memdup2 (array->data, (gsize) n * sizeof (SortItem));
        qsort (expected, n, sizeof (SortItem), compare_items);
        _ls_sort_array (array, compare_items);
        g_assert_true (memcmp (array->data, expected, n * sizeof (SortItem)) == 0);
      }
}

/* Every scenario's trace is one the checks accept, and survives a round
 * trip through a file (which checks it again). */
static void
test_check_scenarios (void)
{
  guint n;
  const LsScenario *const *all = ls_scenarios_get_all (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(LsScenarioRun) run = ls_test_run_scenario (all[i]->id);
      LsTrace *trace = ls_test_run_trace (run);
      g_autofree char *path = NULL;
      g_autoptr(LsTrace) loaded = NULL;
      g_autoptr(GError) error = NULL;

      if (!ls_trace_check_records (trace, &error))
        g_printerr ("%s: %s\n", all[i]->id, error->message);
      g_assert_no_error (error);
      path = save (trace, NULL, "scenario.json");
      loaded = ls_trace_load_json (path, &error);
      g_assert_no_error (error);
      g_assert_true (ls_trace_equal (trace, loaded));
    }
}

/* A trace of @n records (strings: 1 "a", 2 "b"). */
static LsTrace *
make_trace (const LsTraceRecord *records,
            guint                n)
{
  LsTrace *trace = ls_trace_new ();
  LsTraceChunks *chunks = _ls_trace_get_chunks (trace);

  g_assert_cmpuint (ls_trace_intern (trace, "a"), ==, 1);
  g_assert_cmpuint (ls_trace_intern (trace, "b"), ==, 2);
  for (guint i = 0; i < n; i++)
    ls_trace_append (chunks, records[i].time, records[i].kind, records[i].reason,
                     records[i].subject, records[i].object, records[i].peer, records[i].arg);
  return trace;
}

#define TASK(id, t) { (t), LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, (id), 0, (id) }
#define LOCK(id, t) { (t), LS_TRACE_OBJECT_NEW, LS_OBJECT_LOCK, 0, (id), 1, 1 }
#define END { -1, 0, 0, 0, 0, 0, 0 }

/* Records no run could write: each is refused, by the check and by the
 * loader, with the record's index and kind. */
static void
test_check_impossible (void)
{
  struct { LsTraceRecord records[4]; const char *message; } cases[] = {
    { { { 0, 0, 0, 0, 0, 0, 0 }, END }, "record 0 (unknown): unknown kind 0" },
    { { { 0, 99, 0, 0, 0, 0, 0 }, END }, "record 0 (unknown): unknown kind 99" },
    { { TASK (1, 0), { 5, LS_TRACE_PRINT, 0, 1, 0, 1, 0 }, { 4, LS_TRACE_PRINT, 0, 1, 0, 1, 0 },
        END }, "record 2 (print): earlier than the record before" },
    { { { -1, LS_TRACE_LOOP_ITERATION_BEGIN, 0, 0, 0, 0, 1 }, END },
      "record 0 (iteration-begin): a negative time" },
    { { { 0, LS_TRACE_OBJECT_NEW, 0, 0, 1, 0, 0 }, END },
      "record 0 (object-new): reason 0 is out of range" },
    { { { 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK_GROUP + 1, 0, 1, 0, 0 }, END },
      "record 0 (object-new): reason 17 is out of range" },
    { { TASK (1, 0), { 0, LS_TRACE_READY_PUSH, LS_HANDLE_IO + 1, 1, 2, 0, 0 }, END },
      "record 1 (ready-push): reason 6 is out of range" },
    { { TASK (1, 0), { 0, LS_TRACE_TASK_SUSPEND, LS_N_WAIT_REASONS, 1, 0, 0, -1 }, END },
      "record 1 (task-suspend): reason 24 is out of range" },
    { { TASK (1, 0), { 0, LS_TRACE_TASK_DONE, 3, 1, 0, 0, 0 }, END },
      "record 1 (task-done): reason 3 is out of range" },
    { { LOCK (1, 0), { 0, LS_TRACE_PRIMITIVE, LS_PRIMITIVE_BARRIER_STATE + 1, 0, 1, 0, 0 }, END },
      "record 1 (primitive): reason 18 is out of range" },
    { { TASK (1, 0), { 0, LS_TRACE_PRINT, 0, 1, 0, 3, 0 }, END },
      "record 1 (print): string 3 does not exist (there are 3)" },
    { { { 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, 1, 99, 1 }, END },
      "record 0 (object-new): string 99 does not exist (there are 3)" },
    { { TASK (0, 0), END }, "record 0 (object-new): object id 0" },
    { { TASK (1, 0), LOCK (1, 0), END }, "record 1 (object-new): object 1 is created a second time" },
    { { TASK (1, 0), { 0, LS_TRACE_TIMER_ADD, LS_WAIT_SLEEP, 1, 5, 0, 10 },
        { 0, LS_TRACE_TIMER_ADD, LS_WAIT_SLEEP, 1, 5, 0, 10 }, END },
      "record 2 (timer-add): timer 5 is added a second time" },
    { { { 0, LS_TRACE_TIMER_ADD, LS_WAIT_SLEEP, 0, 0, 0, 10 }, END },
      "record 0 (timer-add): timer id 0" },
    { { { 0, LS_TRACE_TASK_SUSPEND, LS_WAIT_SLEEP, 7, 0, 0, -1 }, END },
      "record 0 (task-suspend): subject: task 7 was never created" },
    { { LOCK (7, 0), { 0, LS_TRACE_TASK_DONE, 0, 7, 0, 0, 0 }, END },
      "record 1 (task-done): subject: 7 is a Lock, not a task" },
    { { { 0, LS_TRACE_HANDLE_RUN, LS_HANDLE_TASK_STEP, 0, 3, 0, 0 }, END },
      "record 0 (handle-run): subject: task 0 was never created" },
    { { { 0, LS_TRACE_PRINT, 0, 4, 0, 1, 0 }, END },
      "record 0 (print): subject: task 4 was never created" },
    { { { 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 9, 1, 0, 1 }, END },
      "record 0 (object-new): subject: task 9 was never created" },
    { { TASK (1, 0), { 0, LS_TRACE_PRIMITIVE, LS_PRIMITIVE_ACQUIRED, 1, 2, 0, 1 }, END },
      "record 1 (primitive): object: primitive 2 was never created" },
    { { TASK (1, 0), { 0, LS_TRACE_PRIMITIVE, LS_PRIMITIVE_ACQUIRED, 1, 1, 0, 1 }, END },
      "record 1 (primitive): object: 1 is a task, not a lock, event, condition, semaphore, "
      "barrier or queue" },
    { { LOCK (1, 0), { 0, LS_TRACE_PRIMITIVE, LS_PRIMITIVE_PART_OF, 0, 1, 8, 1 }, END },
      "record 1 (primitive): peer: primitive 8 was never created" },
    { { LOCK (1, 0), { 0, LS_TRACE_PRIMITIVE, LS_PRIMITIVE_HANDOFF, 0, 1, 8, 1 }, END },
      "record 1 (primitive): peer: task 8 was never created" },
  };
  LsTraceRecord fine[] = {
    TASK (1, 0), LOCK (2, 0),
    { 0, LS_TRACE_READY_PUSH, LS_HANDLE_TASK_STEP, 1, 3, 0, 0 },
    { 0, LS_TRACE_LOOP_ITERATION_BEGIN, 0, 0, 1, 0, 1 },
    { 0, LS_TRACE_HANDLE_RUN, LS_HANDLE_TASK_STEP, 1, 3, 0, 0 },
    { 0, LS_TRACE_PRIMITIVE, LS_PRIMITIVE_ACQUIRED, 1, 2, 0, 1 },
    { 0, LS_TRACE_PRINT, 0, 1, 0, 2, 0 },
    { 0, LS_TRACE_TIMER_ADD, LS_WAIT_SLEEP, 1, 4, 0, 10 },
    { 0, LS_TRACE_TASK_SUSPEND, LS_WAIT_SLEEP, 1, 4, 5, 10 },
    { 10, LS_TRACE_TIMER_FIRE, 0, 0, 4, 6, 0 },
    { 10, LS_TRACE_READY_PUSH, LS_HANDLE_TIMER, 0, 6, 4, 0 },
    { 10, LS_TRACE_PRINT, 0, 0, 0, 1, 0 },
    { 10, LS_TRACE_TASK_DONE, LS_OUTCOME_CANCELLED, 1, 0, 1, 0 },
  };
  g_autoptr(LsTrace) good = make_trace (fine, G_N_ELEMENTS (fine));
  g_autoptr(GError) good_error = NULL;

  g_assert_true (ls_trace_check_records (good, &good_error));
  g_assert_no_error (good_error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint n = 0;
      g_autoptr(LsTrace) trace = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) load_error = NULL;
      g_autoptr(LsTrace) loaded = NULL;
      g_autofree char *path = NULL;
      g_autofree char *expected = NULL;

      while (cases[i].records[n].time != -1 || cases[i].records[n].kind != 0)
        n++;
      trace = make_trace (cases[i].records, n);
      g_assert_false (ls_trace_check_records (trace, &error));
      g_assert_error (error, LS_TRACE_CHECK_ERROR, LS_TRACE_CHECK_ERROR_IMPOSSIBLE);
      g_assert_cmpstr (error->message, ==, cases[i].message);

      /* the same through a file: the loader checks what it read */
      path = save (trace, NULL, "impossible.json");
      expected = g_strdup_printf ("%s: %s", path, cases[i].message);
      loaded = ls_trace_load_json (path, &load_error);
      g_assert_null (loaded);
      g_assert_error (load_error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_SCHEMA);
      g_assert_cmpstr (load_error->message, ==, expected);
    }
}

/* The "loopscope" section itself: counts, strings, records. */
static void
test_bad_sections (void)
{
  struct { const char *section; int code; const char *message; } cases[] = {
    { "\"version\":1,\"n_records\":0,\"strings\":[],\"records\":\"\"", LS_TRACE_JSON_ERROR_SCHEMA,
      "the “loopscope” section has no format" },
    { "\"format\":\"loopscope-trace\",\"version\":1,\"strings\":[],\"records\":\"\"",
      LS_TRACE_JSON_ERROR_SCHEMA, "the “loopscope” section has no record count" },
    { "\"format\":\"loopscope-trace\",\"version\":1,\"n_records\":2,\"strings\":[],"
      "\"records\":\"\"", LS_TRACE_JSON_ERROR_SCHEMA, "0 records where the file announces 2" },
    { "\"format\":\"loopscope-trace\",\"version\":1,\"n_records\":-1,\"strings\":[],"
      "\"records\":\"\"", LS_TRACE_JSON_ERROR_SCHEMA, "line 1, column 68: bad record count" },
    { "\"format\":\"loopscope-trace\",\"version\":1,\"n_records\":1.5,\"strings\":[],"
      "\"records\":\"\"", LS_TRACE_JSON_ERROR_SCHEMA, "line 1, column 69: expected an integer" },
    { "\"format\":\"loopscope-trace\",\"version\":1,\"n_records\":0,\"strings\":[1],"
      "\"records\":\"\"", LS_TRACE_JSON_ERROR_INVALID, "line 1, column 79: expected “\"”" },
    { "\"format\":7", LS_TRACE_JSON_ERROR_INVALID, "line 1, column 24: expected “\"”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strdup_printf ("{\"loopscope\":{%s}}", cases[i].section);

      assert_load_fails (text, cases[i].code, cases[i].message);
    }

  /* what was read before the error is not left behind (a caller that
   * drops the info on failure leaked it; without an info, the loader did) */
  {
    g_autofree char *path = tmp_path ("partial.json");
    g_autoptr(GError) error = NULL;
    g_autoptr(GError) error2 = NULL;
    LsTraceInfo info = { 0 };

    write_file (path, "{\"loopscope\":{\"format\":\"loopscope-trace\",\"version\":1,"
                "\"scenario\":\"lock\",\"title\":\"a title\",\"created\":\"2024\","
                "\"records\":\"!!\"}}");
    g_assert_null (ls_trace_load_json_full (path, &info, &error));
    g_assert_nonnull (error);
    g_assert_null (info.scenario_id);
    g_assert_null (info.title);
    g_assert_null (info.created);
    g_assert_null (ls_trace_load_json (path, &error2));
    g_assert_nonnull (error2);
  }
}

/* A file written before the records were compressed (version 1, the lock
 * scenario exported by Loopscope then) still restores the run exactly, and
 * saving it writes version 2, which restores the same run. */
static void
test_version1 (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "traces", "lock-version1.json",
                                                 NULL);
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("lock");
  g_autoptr(GError) error = NULL;
  g_autoptr(LsTrace) trace = NULL;
  g_autoptr(LsTrace) again = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *text = NULL;

  trace = ls_trace_load_json (path, &error);
  g_assert_no_error (error);
  g_assert_true (ls_trace_equal (trace, ls_test_run_trace (run)));
  saved = save (trace, NULL, "lock-version2.json");
  g_assert_true (g_file_get_contents (saved, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"format\":\"loopscope-trace\",\"version\":2"));
  again = ls_trace_load_json (saved, &error);
  g_assert_no_error (error);
  g_assert_true (ls_trace_equal (again, ls_test_run_trace (run)));
}

/* @data compressed with zlib, in base64 */
static char *
zlib_base64 (const guchar *data,
             gsize         len)
{
  g_autoptr(GZlibCompressor) zlib = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  gsize room = len + 1024, read = 0, written = 0;
  g_autofree guchar *out = g_malloc (room);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_converter_convert (G_CONVERTER (zlib), data, len, out, room,
                                        G_CONVERTER_INPUT_AT_END, &read, &written, &error),
                   ==, G_CONVERTER_FINISHED);
  g_assert_no_error (error);
  return g_base64_encode (out, written);
}

static void
assert_section_fails (const char *section,
                      const char *message)
{
  g_autofree char *text = g_strdup_printf ("{\"loopscope\":{\"format\":\"loopscope-trace\","
                                           "\"version\":2,%s}}", section);
  g_autoptr(GError) error = NULL;
  g_autoptr(LsTrace) trace = load_text ("bad.json", text, &error);

  g_assert_null (trace);
  g_assert_error (error, LS_TRACE_JSON_ERROR, LS_TRACE_JSON_ERROR_SCHEMA);
  if (!g_str_has_suffix (error->message, message))
    g_printerr ("expected …%s\ngot %s\n", message, error->message);
  g_assert_true (g_str_has_suffix (error->message, message));
  g_assert_null (strchr (error->message, '\n'));
}

/* The compressed records are trusted for nothing: a stream that would
 * unpack to more than the records announced stops there (a zlib bomb: 64
 * MiB of zeros in 64 KiB, announced as two records), a count beyond what
 * Loopscope opens is refused before anything is unpacked, and a stream
 * that is short, damaged or followed by more is an error naming it. */
static void
test_compressed (void)
{
  gsize bomb_len = 64 * 1024 * 1024;
  g_autofree guchar *zeros = g_malloc0 (bomb_len);
  g_autofree char *bomb = zlib_base64 (zeros, bomb_len);
  g_autofree char *two = zlib_base64 (zeros, 2 * 32);
  g_autofree char *one = zlib_base64 (zeros, 32);
  g_autofree char *section = NULL;
  g_autofree char *damaged = g_strdup (two);
  g_autofree char *twice = NULL;
  g_autofree guchar *stream = NULL;
  gsize stream_len;

  g_assert_cmpuint (strlen (bomb), <, 100 * 1024);
  section = g_strdup_printf ("\"n_records\":2,\"strings\":[],\"records\":\"%s\"", bomb);
  assert_section_fails (section, "the compressed records hold more than the 2 announced");
  g_clear_pointer (&section, g_free);

  section = g_strdup_printf ("\"n_records\":1099511627776,\"strings\":[],\"records\":\"%s\"",
                             bomb);
  assert_section_fails (section, "1099511627776 records are more than Loopscope opens (33554432)");
  g_clear_pointer (&section, g_free);

  section = g_strdup_printf ("\"strings\":[],\"records\":\"%s\",\"n_records\":2", two);
  assert_section_fails (section, "the record count must come before the records");
  g_clear_pointer (&section, g_free);

  section = g_strdup_printf ("\"n_records\":2,\"strings\":[],\"records\":\"%s\"", one);
  assert_section_fails (section, "the compressed records end before the 2 announced");
  g_clear_pointer (&section, g_free);

  /* a cut stream: its first half */
  stream = g_base64_decode (two, &stream_len);
  {
    g_autofree char *half = g_base64_encode (stream, stream_len / 2);

    section = g_strdup_printf ("\"n_records\":2,\"strings\":[],\"records\":\"%s\"", half);
    assert_section_fails (section, "the compressed records end before the 2 announced");
    g_clear_pointer (&section, g_free);
  }

  /* a damaged header */
  stream[0] ^= 0xff;
  g_free (damaged);
  damaged = g_base64_encode (stream, stream_len);
  section = g_strdup_printf ("\"n_records\":2,\"strings\":[],\"records\":\"%s\"", damaged);
  assert_section_fails (section, ")");
  g_assert_nonnull (strstr (section, damaged));
  g_clear_pointer (&section, g_free);

  /* a whole stream, then another */
  stream[0] ^= 0xff;
  {
    g_autofree guchar *doubled = g_malloc (2 * stream_len);

    memcpy (doubled, stream, stream_len);
    memcpy (doubled + stream_len, stream, stream_len);
    twice = g_base64_encode (doubled, 2 * stream_len);
  }
  section = g_strdup_printf ("\"n_records\":2,\"strings\":[],\"records\":\"%s\"", twice);
  assert_section_fails (section, "the compressed records go on after their end");
  g_clear_pointer (&section, g_free);

  /* the version decides how the records read: it comes first */
  {
    g_autofree char *text = g_strdup_printf ("{\"loopscope\":{\"format\":\"loopscope-trace\","
                                             "\"n_records\":0,\"strings\":[],\"records\":\"\","
                                             "\"version\":2}}");
    g_autoptr(GError) error = NULL;
    g_autoptr(LsTrace) trace = load_text ("bad.json", text, &error);

    g_assert_null (trace);
    g_assert_true (g_str_has_suffix (error->message,
                                     "the version must come before the records"));
  }
}

/* What a foreign file became: per task, its running spans and prints, in
 * µs from the file's first event, in record order. */
static char *
foreign_summary (LsTrace *trace)
{
  g_autoptr(GHashTable) names = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) running = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  GString *out = g_string_new (NULL);

  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);
      const char *name = g_hash_table_lookup (names, GUINT_TO_POINTER (r->subject));
      gint64 *since = g_hash_table_lookup (running, GUINT_TO_POINTER (r->subject));

      if (r->kind == LS_TRACE_OBJECT_NEW && r->reason == LS_OBJECT_TASK)
        g_hash_table_insert (names, GUINT_TO_POINTER (r->object),
                             (gpointer) ls_trace_get_string (trace, r->peer));
      else if (r->kind == LS_TRACE_HANDLE_RUN && name != NULL)
        g_hash_table_insert (running, GUINT_TO_POINTER (r->subject), g_memdup2 (&r->time, 8));
      else if ((r->kind == LS_TRACE_TASK_SUSPEND || r->kind == LS_TRACE_TASK_DONE)
               && since != NULL)
        {
          g_string_append_printf (out, "%s: run %.3f-%.3f\n", name, *since / 1e3, r->time / 1e3);
          g_hash_table_remove (running, GUINT_TO_POINTER (r->subject));
        }
      else if (r->kind == LS_TRACE_PRINT && name != NULL)
        g_string_append_printf (out, "%s: print %s at %.3f\n", name,
                                ls_trace_get_string (trace, r->peer), r->time / 1e3);
    }
  return g_string_free (out, FALSE);
}

/* Files other tools wrote, as they write them (tests/traces): what the
 * Chrome DevTools Performance panel saves (metadata, then its events:
 * nested X slices, B/E, instants, a CPU profile's P events, a mark, a
 * counter, an async pair, flows v2 on a slice) and what Perfetto's
 * trace processor exports (µs with decimals, flows v2, a counter, an
 * async pair, a global instant). Each thread becomes a task with its
 * outermost slices as running spans and its instants as prints; what has
 * no place on a task's lane (profiles, marks, counters, async slices,
 * flows) is left out. A span is listed at its end, after its prints. */
static void
test_foreign_tools (void)
{
  struct { const char *file; const char *expected; } cases[] = {
    { "devtools-profile.json",
      "CrBrowserMain: print TracingStartedInBrowser at 0.000\n"
      "CrRendererMain: run 5820.000-8230.000\n"
      "CrRendererMain: print TimeStamp at 16820.000\n"
      "CrRendererMain: run 15820.000-17320.000\n"
      "Compositor: print BeginFrame at 25820.000\n"
      "Compositor: run 25920.000-26720.000\n"
      "CrRendererMain: run 347252.000-352252.000\n" },
    { "perfetto-export.json",
      "0:0: print trace marker at 0.000\n"
      "io-pool-1: print cache miss at 249.875\n"
      "io-pool-1: run 200.375-900.375\n"
      "main: run 0.000-1500.250\n"
      "main: run 1999.875-2199.875\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_test_build_filename (G_TEST_DIST, "traces", cases[i].file, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(LsTrace) trace = ls_trace_load_json (path, &error);
      g_autofree char *summary = NULL;

      g_assert_no_error (error);
      summary = foreign_summary (trace);
      g_assert_cmpstr (summary, ==, cases[i].expected);
    }
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

/* A file that cannot be read: "FILE: cannot read: REASON", one line. */
static void
test_unreadable (void)
{
  g_autofree char *good = tmp_path ("readable.json");
  g_autofree char *missing = tmp_path ("missing.json");
  g_autofree char *below_file = g_build_filename (good, "x.json", NULL);
  g_autofree char *locked = tmp_path ("locked.json");
  g_autofree char *fifo = tmp_path ("fifo.json");
  struct { const char *path; int code; const char *reason; } cases[] = {
    { missing, G_FILE_ERROR_NOENT, "cannot read: No such file or directory" },
    { below_file, G_FILE_ERROR_NOTDIR, "cannot read: Not a directory" },
    { locked, G_FILE_ERROR_ACCES, "cannot read: Permission denied" },
    { fifo, G_FILE_ERROR_INVAL, "not a regular file" },
    { tmp_dir, G_FILE_ERROR_INVAL, "not a regular file" },
  };

  write_file (good, "{}");
  write_file (locked, "{}");
  g_assert_cmpint (g_chmod (locked, 0), ==, 0);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = g_strdup_printf ("%s: %s", cases[i].path, cases[i].reason);

      if (cases[i].code == G_FILE_ERROR_ACCES && access (locked, R_OK) == 0)
        {
          g_test_message ("running as root: cannot test an unreadable file");
          continue;
        }
      /* a FIFO with no writer must not block the loader */
      g_assert_null (ls_trace_load_json (cases[i].path, &error));
      g_assert_error (error, G_FILE_ERROR, cases[i].code);
      g_assert_cmpstr (error->message, ==, expected);
    }
  g_unlink (fifo);
  g_unlink (locked);
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
  g_test_add_func ("/trace-json/exceptions", test_exceptions);
  g_test_add_func ("/trace-json/round-trip", test_round_trip);
  g_test_add_func ("/trace-json/foreign", test_foreign);
  g_test_add_func ("/trace-json/foreign/members", test_foreign_members);
  g_test_add_func ("/trace-json/foreign/values", test_foreign_values);
  g_test_add_func ("/trace-json/foreign/ids", test_foreign_ids);
  g_test_add_func ("/trace-json/foreign/sort", test_sort);
  g_test_add_func ("/trace-json/foreign/tools", test_foreign_tools);
  g_test_add_func ("/trace-json/bad-files", test_bad_files);
  g_test_add_func ("/trace-json/bad-sections", test_bad_sections);
  g_test_add_func ("/trace-json/version1", test_version1);
  g_test_add_func ("/trace-json/compressed", test_compressed);
  g_test_add_func ("/trace-json/check/scenarios", test_check_scenarios);
  g_test_add_func ("/trace-json/check/impossible", test_check_impossible);
  g_test_add_func ("/trace-json/bad-destinations", test_bad_destinations);
  g_test_add_func ("/trace-json/unreadable", test_unreadable);

  status = g_test_run ();
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
