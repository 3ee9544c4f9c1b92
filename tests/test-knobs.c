/* SPDX-License-Identifier: MIT
 *
 * What-if knobs and the comparison of two runs:
 *
 *  - every knob of every scenario is presented (a type, a hint) and stands
 *    where the listing has its default, so the listing shown with a knob
 *    changed is the listing CPython runs: for a non-default value of each
 *    deterministic scenario's knobs, Loopscope prints exactly what CPython
 *    prints for the listing with that value (run_listing.py), and not what
 *    it prints at the defaults; the randomised ones keep their invariants;
 *  - bad knob values are refused with one line, from the API, trace files
 *    and the command line, and knobs survive a trace file;
 *  - the comparison of two runs matches lanes by name and adds up the
 *    right numbers (downloader at 3 and at 1 download at once), and a
 *    scenario compared with its listing traced in CPython is identical.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "ls-compare.h"
#include "ls-knobs.h"
#include "ls-loop.h"
#include "ls-scenario.h"
#include "ls-test-python.h"
#include "ls-test-scenario.h"
#include "ls-trace-json.h"

#define S G_GINT64_CONSTANT (1000000000)

static LsKnobs *
knobs_of (const char        *id,
          const char *const *assignments)
{
  LsKnobs *knobs = ls_knobs_new (ls_scenario_lookup (id));
  g_autoptr(GError) error = NULL;

  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++)
    {
      ls_knobs_parse (knobs, assignments[i], &error);
      g_assert_no_error (error);
    }
  return knobs;
}

static LsScenarioRun *
run_with (const LsKnobs *knobs,
          guint32        seed)
{
  LsScenarioRun *run = ls_scenario_run_new (ls_knobs_get_scenario (knobs), seed);
  g_autoptr(GError) error = NULL;

  ls_knobs_apply (knobs, run);
  g_assert_true (ls_scenario_run_to_end (run, &error));
  g_assert_no_error (error);
  return run;
}

static char *
console_of (LsScenarioRun *run)
{
  LsTrace *trace = ls_test_run_trace (run);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  g_autoptr(GRegex) address = g_regex_new (" at 0x[0-9a-fA-F]+", 0, 0, NULL);

  ls_console_append (out, trace, 0, ls_trace_get_n_records (trace));
  result = ls_future_get_result (LS_FUTURE (ls_scenario_run_get_main_task (run)), &error);
  if (error != NULL)
    g_string_append_printf (out, "[%8.3f] %s\n", ls_loop_time (ls_scenario_run_get_loop (run)),
                            ls_error_get_python_name (error));
  return g_regex_replace_literal (address, out->str, -1, 0, " at 0x...", 0, NULL);
}

/* The listing with @knobs, alone in a new folder (see
 * test-python-scenarios.c: next to other listings, queue.py would stand
 * for the standard library's queue). */
static char *
write_listing (const LsKnobs *knobs,
               char         **dir)
{
  const LsScenario *scenario = ls_knobs_get_scenario (knobs);
  g_autofree char *listing = ls_scenario_get_listing (scenario);
  g_autofree char *text = ls_knobs_apply_to_listing (knobs, listing);
  g_autofree char *file = g_strconcat (scenario->id, ".py", NULL);
  char *path;

  *dir = g_dir_make_tmp ("loopscope-knobs-XXXXXX", NULL);
  g_assert_nonnull (*dir);
  path = g_build_filename (*dir, file, NULL);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
remove_listing (char *path,
                char *dir)
{
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  g_free (path);
  g_free (dir);
}

/* What CPython prints for the listing with @knobs (pyref/run_listing.py). */
static char *
cpython_console (const LsKnobs *knobs)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "pyref", "run_listing.py", NULL);
  char *dir = NULL;
  char *path = write_listing (knobs, &dir);
  const char *argv[] = { "python3", script, path, NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "PYTHONHASHSEED", "0", TRUE);
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  g_autofree char *err = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!WIFEXITED (status) || WEXITSTATUS (status) > 1)
    g_error ("run_listing.py %s: %s", path, err);
  remove_listing (path, dir);
  return out;
}

/* ---- the table ------------------------------------------------------------------- */

/* Each knob has a type and a hint, and each of its places in the listing
 * is there at the default, without overlapping another's; a changed value
 * changes the listing there and nowhere else. */
static void
test_table (void)
{
  guint n;
  const LsScenario *const *all = ls_scenarios_get_all (&n);

  for (guint s = 0; s < n; s++)
    {
      g_autofree char *listing = ls_scenario_get_listing (all[s]);

      for (guint k = 0; k < all[s]->n_knobs; k++)
        {
          const LsScenarioKnob *knob = &all[s]->knobs[k];
          const LsKnobInfo *info = ls_knob_get_info (all[s], k);
          g_autofree char *value = ls_knob_format_value (all[s], k, knob->default_value);
          g_autoptr(LsKnobs) knobs = ls_knobs_new (all[s]);
          g_autofree char *changed = NULL;
          double other = knob->default_value == knob->max ? knob->min : knob->max;

          if (info->hint == NULL)
            g_error ("%s: knob %s has no entry in ls-knobs.c", all[s]->id, knob->name);
          g_assert_cmpfloat (knob->min, <=, knob->default_value);
          g_assert_cmpfloat (knob->default_value, <=, knob->max);
          if (info->kind == LS_KNOB_INTEGER)
            g_assert_cmpfloat (knob->default_value, ==, (double) (gint64) knob->default_value);
          g_assert_nonnull (info->listing[0]);
          for (guint p = 0; info->listing[p] != NULL; p++)
            {
              g_auto(GStrv) parts = g_strsplit (info->listing[p], "{}", -1);
              g_autofree char *needle = g_strjoinv (value, parts);
              const char *at = strstr (listing, needle);

              if (at == NULL)
                g_error ("%s: “%s” is not in the listing", all[s]->id, needle);
            }
          g_assert_true (ls_knobs_set_value (knobs, k, other, NULL));
          changed = ls_knobs_apply_to_listing (knobs, listing);
          g_assert_cmpstr (changed, !=, listing);
          /* the knobs at their defaults leave the listing as it is */
          g_assert_true (ls_knobs_set_value (knobs, k, knob->default_value, NULL));
          g_clear_pointer (&changed, g_free);
          changed = ls_knobs_apply_to_listing (knobs, listing);
          g_assert_cmpstr (changed, ==, listing);
        }
    }
}

/* The scheduler's CPython reference (tests/scenario-ref/scheduler.diff)
 * is the listing with two knobs set: setting them here gives the same
 * file. */
static void
test_listing_equals_reference_diff (void)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "pyref", "check_scenarios.py",
                                                   NULL);
  g_autofree char *dir = g_dir_make_tmp ("loopscope-ref-XXXXXX", NULL);
  const char *argv[] = { "python3", script, "--write-listings", dir, "scheduler", NULL };
  g_autofree char *path = g_build_filename (dir, "scheduler.py", NULL);
  g_autofree char *reference = NULL;
  g_autofree char *listing = ls_scenario_get_listing (ls_scenario_lookup ("scheduler"));
  g_autofree char *ours = NULL;
  g_auto(GStrv) assignments = ls_test_reference_knobs ("scheduler");
  g_autoptr(LsKnobs) knobs = knobs_of ("scheduler", (const char *const *) assignments);
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_cmpuint (g_strv_length (assignments), ==, 2);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &reference, NULL, NULL));
  ours = ls_knobs_apply_to_listing (knobs, listing);
  g_assert_cmpstr (ours, ==, reference);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* Under zh_CN, as the scenarios' console: the messages are the catalogue's. */
static void
test_values (void)
{
  g_autoptr(LsKnobs) knobs = ls_knobs_new (ls_scenario_lookup ("downloader"));
  g_autoptr(LsKnobs) none = ls_knobs_new (ls_scenario_lookup ("hello-world"));
  g_auto(GStrv) changed = NULL;
  g_autofree char *describe = NULL;
  struct { const char *text; int code; const char *says; } bad[] = {
    { "max-concurrent", LS_KNOBS_ERROR_SYNTAX, "“max-concurrent”: 应为 NAME=VALUE" },
    { "=3", LS_KNOBS_ERROR_SYNTAX, "应为 NAME=VALUE" },
    { "workers=3", LS_KNOBS_ERROR_UNKNOWN,
      "downloader 没有旋钮“workers”; 它的旋钮: max-concurrent, timeout" },
    { "max-concurrent=11", LS_KNOBS_ERROR_BAD_VALUE,
      "max-concurrent=11: 应为1 到 10 之间的整数" },
    { "max-concurrent=0", LS_KNOBS_ERROR_BAD_VALUE, "1 到 10 之间的整数" },
    { "max-concurrent=2.5", LS_KNOBS_ERROR_BAD_VALUE, "之间的整数" },
    { "max-concurrent=", LS_KNOBS_ERROR_BAD_VALUE, "之间的整数" },
    { "max-concurrent=abc", LS_KNOBS_ERROR_BAD_VALUE, "之间的整数" },
    { "max-concurrent=0x3", LS_KNOBS_ERROR_BAD_VALUE, "之间的整数" },
    { "timeout=inf", LS_KNOBS_ERROR_BAD_VALUE, "timeout=inf: 应为0.1 到 60 秒" },
    { "timeout=nan", LS_KNOBS_ERROR_BAD_VALUE, "0.1 到 60 秒" },
    { "timeout=-1", LS_KNOBS_ERROR_BAD_VALUE, "0.1 到 60 秒" },
    { "timeout=1e400", LS_KNOBS_ERROR_BAD_VALUE, "0.1 到 60 秒" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (ls_knobs_parse (knobs, bad[i].text, &error));
      g_assert_error (error, LS_KNOBS_ERROR, bad[i].code);
      g_assert_nonnull (strstr (error->message, bad[i].says));
      g_assert_null (strchr (error->message, '\n'));
    }
  /* nothing was set by the failures */
  g_assert_true (ls_knobs_is_default (knobs, 0));
  g_assert_true (ls_knobs_is_default (knobs, 1));
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (ls_knobs_parse (none, "tasks=3", &error));
    g_assert_error (error, LS_KNOBS_ERROR, LS_KNOBS_ERROR_UNKNOWN);
    g_assert_nonnull (strstr (error->message, "它没有任何旋钮"));
  }

  g_assert_true (ls_knobs_parse (knobs, "max-concurrent=1", NULL));
  /* seconds are kept to the nanosecond the run will use */
  g_assert_true (ls_knobs_set_value (knobs, 1, 0.1 + 0.2, NULL));
  g_assert_cmpfloat (ls_knobs_get_value (knobs, 1), ==, 0.3);
  changed = ls_knobs_to_strv (knobs, TRUE);
  g_assert_cmpstrv (changed, ((const char *[]) { "max-concurrent=1", "timeout=0.3", NULL }));
  describe = ls_knobs_describe (knobs);
  g_assert_cmpstr (describe, ==, "同时下载数 1, 超时(秒) 0.3");
}

/* ---- each knob changes the run as the listing says ------------------------------ */

typedef struct
{
  const char *id;
  const char *knobs[4];
} KnobCase;

static const KnobCase cpython_cases[] = {
  { "semaphore", { "size=4", NULL } },
  { "semaphore", { "tasks=7", "work=0.5", NULL } },
  { "downloader", { "max-concurrent=1", NULL } },
  { "scheduler", { "max-retries=0", "run-for=15", NULL } },
  { "timeout", { "timeout=0.5", NULL } },
  { "timeout", { "operation=1", NULL } },
  { "lock", { "tasks=3", "hold=0.5", NULL } },
  { "event", { "waiters=5", "delay=1.5", NULL } },
  { "task-cancel", { "cancel-after=0.35", NULL } },
  { "cancel-cleanup", { "cancel-after=5", "cleanup=2", NULL } },
  { "graceful-shutdown", { "workers=2", "run-for=2.5", NULL } },
  { "concurrency-vs-parallelism", { "work=0.5", NULL } },
  { "blocking-read", { "latency=2", NULL } },
};

static void
test_matches_cpython (gconstpointer data)
{
  const KnobCase *c = data;
  g_autoptr(LsKnobs) knobs = knobs_of (c->id, c->knobs);
  g_autoptr(LsScenarioRun) run = run_with (knobs, 0);
  g_autofree char *console = console_of (run);
  g_autofree char *cpython = cpython_console (knobs);
  g_autofree char *file = g_strconcat (c->id, ".txt", NULL);
  g_autofree char *defaults_path = g_test_build_filename (G_TEST_DIST, "expected-scenarios",
                                                          file, NULL);
  g_autofree char *defaults = NULL;

  if (g_strcmp0 (console, cpython) != 0)
    {
      g_printerr ("--- CPython\n%s--- Loopscope\n%s", cpython, console);
      g_test_fail ();
    }
  /* the knob made a difference */
  g_assert_true (g_file_get_contents (defaults_path, &defaults, NULL, NULL));
  g_assert_cmpstr (console, !=, defaults);
}

static guint
count (const char *text,
       const char *what)
{
  guint n = 0;

  for (const char *p = strstr (text, what); p != NULL; p = strstr (p + 1, what))
    n++;
  return n;
}

/* The aiohttp stand-in CPython runs the listing with has no timeouts, so
 * the downloader's timeout is held to what aiohttp does: a download that
 * takes longer fails when its total time is up, with an empty message. */
static void
test_downloader_timeout (void)
{
  const char *set[] = { "timeout=1.5", NULL };
  g_autoptr(LsKnobs) knobs = knobs_of ("downloader", set);
  g_autoptr(LsScenarioRun) run = run_with (knobs, 0);
  g_autofree char *console = console_of (run);

  g_assert_nonnull (strstr (console, "[   1.000] [1/5] 完成: downloads/file1.json\n"));
  g_assert_nonnull (strstr (console, "[   1.500] [2/5] 失败: https://httpbin.org/delay/2 - \n"));
  g_assert_nonnull (strstr (console, "[   2.500] [4/5] 失败: https://httpbin.org/delay/3 - \n"));
  g_assert_true (g_str_has_suffix (console, "成功: 3\n[   2.500] 失败: 2\n"
                                            "[   2.500] 耗时: 2.50秒\n"));
}

/* The queue's size decides whether producers ever wait on a full queue,
 * and how deep it gets; the counts decide how many items go through. */
static void
test_queue (void)
{
  for (guint32 seed = 0; seed < 5; seed++)
    {
      const char *small[] = { "maxsize=1", "consumers=1", NULL };
      const char *more[] = { "producers=4", "items=3", NULL };
      g_autoptr(LsKnobs) a = knobs_of ("queue", NULL);
      g_autoptr(LsKnobs) b = knobs_of ("queue", small);
      g_autoptr(LsKnobs) c = knobs_of ("queue", more);
      g_autoptr(LsScenarioRun) run_a = run_with (a, seed);
      g_autoptr(LsScenarioRun) run_b = run_with (b, seed);
      g_autoptr(LsScenarioRun) run_c = run_with (c, seed);
      g_autoptr(LsInterpreter) ia = ls_interpreter_new (ls_test_run_trace (run_a));
      g_autoptr(LsInterpreter) ib = ls_interpreter_new (ls_test_run_trace (run_b));
      g_autoptr(LsCompare) compare = ls_compare_new (ia, "A", ib, "B", LS_COMPARE_NONE);
      g_autofree char *console_c = console_of (run_c);
      gboolean seen_queue = FALSE;

      for (guint i = 0; i < ls_compare_get_n_lanes (compare); i++)
        {
          const LsCompareLane *lane = ls_compare_get_lane (compare, i);

          if (lane->kind != LS_TIMELINE_LANE_PRIMITIVE)
            continue;
          /* ten items, five per producer, never more than ten in the
           * queue; with room for one, at most one */
          g_assert_cmpint (lane->extreme[0], >=, 1);
          g_assert_cmpint (lane->extreme[0], <=, 10);
          g_assert_cmpint (lane->extreme[1], ==, 1);
          seen_queue = TRUE;
        }
      g_assert_true (seen_queue);
      g_assert_cmpint (ls_compare_get_waiting (compare, LS_COMPARE_A, LS_WAIT_QUEUE_PUT), ==, 0);
      g_assert_cmpint (ls_compare_get_waiting (compare, LS_COMPARE_B, LS_WAIT_QUEUE_PUT), >, 0);
      /* four producers of three items each */
      g_assert_cmpuint (count (console_c, ": 生产 "), ==, 12);
      g_assert_cmpuint (count (console_c, ": 消费 "), ==, 12);
    }
}

/* A small queue fills (the producers say so and back off); every item is
 * still produced and consumed once. */
static void
test_producer_consumer (void)
{
  guint full = 0;

  for (guint32 seed = 0; seed < 5; seed++)
    {
      const char *small[] = { "queue-size=1", "producers=3", "consumers=1", "items=4", NULL };
      g_autoptr(LsKnobs) knobs = knobs_of ("producer-consumer", small);
      g_autoptr(LsScenarioRun) run = run_with (knobs, seed);
      g_autofree char *console = console_of (run);
      g_autoptr(LsKnobs) defaults = knobs_of ("producer-consumer", NULL);
      g_autoptr(LsScenarioRun) default_run = run_with (defaults, seed);
      g_autofree char *default_console = console_of (default_run);

      g_assert_nonnull (strstr (console, "队列大小: 1\n"));
      g_assert_nonnull (strstr (console, "生产者数量: 3\n"));
      g_assert_nonnull (strstr (console, "消费者数量: 1\n"));
      g_assert_nonnull (strstr (console, "总生产量: 12\n"));
      g_assert_nonnull (strstr (console, "总消费量: 12\n"));
      g_assert_nonnull (strstr (console, "队列剩余: 0\n"));
      g_assert_nonnull (strstr (default_console, "总生产量: 20\n"));
      full += count (console, "队列已满,等待...");
      g_assert_cmpuint (count (default_console, "队列已满,等待..."), ==, 0);
    }
  g_assert_cmpuint (full, >, 0);
}

/* ---- trace files ----------------------------------------------------------------- */

static void
test_trace_file (void)
{
  const char *set[] = { "max-concurrent=1", "timeout=2.5", NULL };
  g_autoptr(LsKnobs) knobs = knobs_of ("downloader", set);
  g_autoptr(LsScenarioRun) run = run_with (knobs, 0);
  g_autofree char *dir = g_dir_make_tmp ("loopscope-knob-trace-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run.json", NULL);
  g_autofree char *bad_path = g_build_filename (dir, "bad.json", NULL);
  g_auto(GStrv) strv = ls_knobs_to_strv (knobs, FALSE);
  g_auto(LsTraceInfo) info = { 0 };
  g_auto(LsTraceInfo) loaded_info = { 0 };
  g_autoptr(LsTrace) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  struct { const char *from; const char *to; const char *says; } bad[] = {
    { "\"max-concurrent\":1", "\"max-concurrent\":11", "max-concurrent=11: 应为1 到 10 之间的整数" },
    { "\"max-concurrent\":1", "\"workers\":1", "downloader 没有旋钮“workers”" },
    { "\"max-concurrent\":1", "\"max-concurrent\":\"1\"", "旋钮“max-concurrent”不是数字" },
    { "\"max-concurrent\":1", "\"max-concurrent\":1,\"max-concurrent\":2", "出现了两次" },
    { "\"max-concurrent\":1", "\"Max Concurrent\":1", "无效" },
  };

  info.scenario_id = g_strdup ("downloader");
  info.title = g_strdup ("Downloader");
  info.knobs = g_strdupv (strv);
  g_assert_true (ls_trace_save_json (ls_test_run_trace (run), &info, path, &error));
  g_assert_no_error (error);
  loaded = ls_trace_load_json_full (path, &loaded_info, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (loaded_info.knobs, strv);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"knobs\":{\"max-concurrent\":1,\"timeout\":2.5}"));

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(GStrv) parts = g_strsplit (text, bad[i].from, 2);
      g_autofree char *broken = g_strjoinv (bad[i].to, parts);
      g_autoptr(GError) load_error = NULL;
      g_autoptr(LsTrace) none = NULL;

      g_assert_true (g_file_set_contents (bad_path, broken, -1, NULL));
      none = ls_trace_load_json_full (bad_path, NULL, &load_error);
      g_assert_null (none);
      g_assert_nonnull (load_error);
      g_assert_true (g_str_has_prefix (load_error->message, bad_path));
      if (strstr (load_error->message, bad[i].says) == NULL)
        g_error ("%s does not say %s", load_error->message, bad[i].says);
      g_assert_null (strchr (load_error->message, '\n'));
    }
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_remove (bad_path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* ---- comparisons ------------------------------------------------------------------ */

static const LsCompareLane *
lane_named (LsCompare  *compare,
            const char *label)
{
  for (guint i = 0; i < ls_compare_get_n_lanes (compare); i++)
    if (g_str_equal (ls_compare_get_lane (compare, i)->label, label))
      return ls_compare_get_lane (compare, i);
  g_error ("no lane %s", label);
}

/* downloader, three at once against one: the same seven lanes matched by
 * name; file1 starts at once either way, the others wait on the semaphore
 * for a slot: B ends at 7 s instead of 4 s. */
static void
test_compare_downloader (void)
{
  const char *one[] = { "max-concurrent=1", NULL };
  g_autoptr(LsKnobs) three = knobs_of ("downloader", NULL);
  g_autoptr(LsKnobs) single = knobs_of ("downloader", one);
  g_autoptr(LsScenarioRun) run_a = run_with (three, 0);
  g_autoptr(LsScenarioRun) run_b = run_with (single, 0);
  g_autoptr(LsInterpreter) a = ls_interpreter_new (ls_test_run_trace (run_a));
  g_autoptr(LsInterpreter) b = ls_interpreter_new (ls_test_run_trace (run_b));
  g_autoptr(LsCompare) compare = ls_compare_new (a, "3", b, "1", LS_COMPARE_NONE);
  g_autoptr(LsCompare) same = NULL;
  static const struct { const char *label; gint64 end_a, end_b, wait_a, wait_b; } tasks[] = {
    { "downloads/file1.json", 1 * S, 1 * S, 1 * S, 1 * S },
    { "downloads/file2.json", 2 * S, 3 * S, 2 * S, 3 * S },
    { "downloads/file3.json", 1 * S, 4 * S, 1 * S, 4 * S },
    { "downloads/file4.json", 4 * S, 7 * S, 4 * S, 7 * S },
    { "downloads/file5.json", 1 * S, 7 * S, 1 * S, 7 * S },
  };

  g_assert_cmpuint (ls_compare_get_n_lanes (compare), ==, 7);
  for (guint i = 0; i < ls_compare_get_n_lanes (compare); i++)
    {
      const LsCompareLane *lane = ls_compare_get_lane (compare, i);
      const LsTimelineLane *la = ls_interpreter_get_lane (a, lane->lane[0]);
      const LsTimelineLane *lb = ls_interpreter_get_lane (b, lane->lane[1]);

      g_assert_cmpint (lane->lane[0], >=, 0);
      g_assert_cmpint (lane->lane[1], >=, 0);
      g_assert_cmpstr (la->label, ==, lb->label);
      g_assert_cmpint (ls_compare_find (compare, LS_COMPARE_A, lane->lane[0]), ==, i);
      g_assert_cmpint (ls_compare_find (compare, LS_COMPARE_B, lane->lane[1]), ==, i);
    }
  g_assert_cmpint (ls_compare_get_duration (compare, LS_COMPARE_A), ==, 4 * S);
  g_assert_cmpint (ls_compare_get_duration (compare, LS_COMPARE_B), ==, 7 * S);
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      const LsCompareLane *lane = lane_named (compare, tasks[i].label);

      g_assert_cmpint (lane->end_ns[0], ==, tasks[i].end_a);
      g_assert_cmpint (lane->end_ns[1], ==, tasks[i].end_b);
      g_assert_cmpint (lane->waiting_ns[0], ==, tasks[i].wait_a);
      g_assert_cmpint (lane->waiting_ns[1], ==, tasks[i].wait_b);
      g_assert_cmpint (lane->end_state[0], ==, LS_TASK_STATE_DONE);
      g_assert_cmpint (lane->end_state[1], ==, LS_TASK_STATE_DONE);
      g_assert_true (lane->differs == (i > 0));
    }
  /* file2 got the slot at 1 s instead of starting at once */
  g_assert_cmpint (lane_named (compare, "downloads/file2.json")->first_difference_ns, ==, 0);
  g_assert_cmpint (ls_compare_get_waiting (compare, LS_COMPARE_A, LS_WAIT_SEMAPHORE), ==, 2 * S);
  g_assert_cmpint (ls_compare_get_waiting (compare, LS_COMPARE_B, LS_WAIT_SEMAPHORE), ==, 15 * S);
  g_assert_cmpint (ls_compare_get_waiting (compare, LS_COMPARE_A, LS_WAIT_IO), ==, 7 * S);
  g_assert_cmpint (ls_compare_get_waiting (compare, LS_COMPARE_B, LS_WAIT_IO), ==, 7 * S);
  g_assert_cmpint (lane_named (compare, "Semaphore semaphore")->extreme[0], ==, 0);
  g_assert_cmpint (lane_named (compare, "Semaphore semaphore")->extreme[1], ==, 0);
  g_assert_cmpuint (ls_compare_get_n_differences (compare), ==, 6);
  g_assert_false (ls_compare_is_identical (compare));

  /* a run against itself */
  same = ls_compare_new (a, "A", a, "A", LS_COMPARE_NONE);
  g_assert_true (ls_compare_is_identical (same));
  g_assert_cmpuint (ls_compare_get_n_differences (same), ==, 0);
}

/* The scenario against its listing traced in CPython, lanes matched by
 * task number where CPython calls them Task-N: identical, at the
 * defaults and with a knob changed. */
static const KnobCase identical_cases[] = {
  { "semaphore", { NULL } },
  { "semaphore", { "size=4", NULL } },
  { "lock", { "tasks=3", NULL } },
  { "event", { "waiters=2", NULL } },
  { "timeout", { "timeout=0.5", NULL } },
  { "graceful-shutdown", { "workers=4", NULL } },
};

static void
test_compare_cpython (gconstpointer data)
{
  const KnobCase *c = data;
  g_autoptr(LsKnobs) knobs = knobs_of (c->id, c->knobs);
  g_autoptr(LsScenarioRun) run = run_with (knobs, 0);
  char *dir = NULL;
  char *path = write_listing (knobs, &dir);
  g_autoptr(LsPythonRun) python = ls_test_run_python (path, LS_LOOP_INSTANT);
  g_autoptr(LsInterpreter) ic = ls_interpreter_new (ls_test_run_trace (run));
  g_autoptr(LsInterpreter) ipy = ls_interpreter_new (ls_python_run_get_trace (python));
  g_autoptr(LsCompare) compare = ls_compare_new (ic, "C", ipy, "CPython",
                                                 LS_COMPARE_CPYTHON_NAMES);
  g_autoptr(LsCompare) by_name = ls_compare_new (ic, "C", ipy, "CPython", LS_COMPARE_NONE);

  remove_listing (path, dir);
  for (guint i = 0; i < ls_compare_get_n_lanes (compare); i++)
    {
      const LsCompareLane *lane = ls_compare_get_lane (compare, i);

      if (lane->differs)
        g_printerr ("%s: lane %s differs (A %d, B %d) from %.3f s\n", c->id, lane->label,
                    lane->lane[0], lane->lane[1], lane->first_difference_ns / 1e9);
    }
  g_assert_true (ls_compare_is_identical (compare));
  /* by name alone, the tasks the listing names differ from Task-N */
  g_assert_false (ls_compare_is_identical (by_name));
}

/* ---- the command line ----------------------------------------------------------- */

static void
test_cli (void)
{
  g_autofree char *dir = g_dir_make_tmp ("loopscope-knob-cli-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "cmp.png", NULL);
  g_autofree char *json = g_build_filename (dir, "a.json", NULL);
  g_autofree char *png_arg = g_strconcat ("--export-png=", png, NULL);
  g_autofree char *json_arg = g_strconcat ("--export-trace=", json, NULL);
  struct { const char *args[6]; const char *says; } errors[] = {
    { { "--scenario=downloader", "--console", "--set=max-concurrent=11", NULL },
      "loopscope: --set: max-concurrent=11: expected a whole number from 1 to 10\n" },
    { { "--scenario=downloader", "--console", "--set=workers=2", NULL },
      "loopscope: --set: downloader has no knob “workers”; its knobs: max-concurrent, timeout\n" },
    { { "--scenario=downloader", "--console", "--set=max-concurrent", NULL },
      "loopscope: --set: “max-concurrent”: expected NAME=VALUE\n" },
    { { "--scenario=downloader", "--console", "--set=timeout=nan", NULL },
      "loopscope: --set: timeout=nan: expected seconds from 0.1 to 60\n" },
    { { "--scenario=hello-world", "--console", "--set=tasks=2", NULL },
      "loopscope: --set: hello-world has no knob “tasks”: it has no knobs\n" },
    { { "--console", "--set=tasks=2", NULL },
      "loopscope: --set, --compare and --sweep need --scenario=ID\n" },
    { { "--scenario=downloader", "--console", "--compare=max-concurrent=1", NULL },
      "loopscope: --compare needs an --export-… image\n" },
    { { "--scenario=downloader", json_arg, "--compare=max-concurrent=0", NULL },
      "loopscope: --compare: max-concurrent=0: expected a whole number from 1 to 10\n" },
    { { "--list-knobs=nope", NULL }, "loopscope: unknown scenario “nope”" },
  };
  const char *list[] = { "--list-knobs=downloader", NULL };
  const char *console[] = { "--scenario=downloader", "--virtual-time", "--console",
                            "--set=max-concurrent=1", NULL };
  const char *compare[] = { "--scenario=downloader", "--set=max-concurrent=3",
                            "--compare=max-concurrent=1", png_arg, json_arg, NULL };
  g_autofree char *out = NULL, *err = NULL, *text = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (errors); i++)
    {
      g_autofree char *o = NULL, *e = NULL;

      g_assert_cmpint (ls_test_run_cli (dir, errors[i].args, &o, &e), ==, 2);
      g_assert_cmpstr (o, ==, "");
      if (!g_str_has_prefix (e, errors[i].says))
        g_error ("%s says %s", errors[i].args[2] ? errors[i].args[2] : errors[i].args[0], e);
      g_assert_cmpuint (count (e, "\n"), ==, 1);
    }
  g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));

  g_assert_cmpint (ls_test_run_cli (dir, list, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, "max-concurrent\tinteger\t1..10\t3\tDownloads at once\n"
                            "timeout\tseconds\t0.1..60\t30\tTimeout (s)\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (ls_test_run_cli (dir, console, &out, &err), ==, 0);
  g_assert_true (g_str_has_suffix (out, "[   7.000] Elapsed: 7.00 s\n"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (ls_test_run_cli (dir, compare, &out, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"knobs\":{\"max-concurrent\":3,\"timeout\":30}"));
  g_assert_cmpint (g_remove (png), ==, 0);
  g_assert_cmpint (g_remove (json), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("LOOPSCOPE_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/knobs/table", test_table);
  g_test_add_func ("/knobs/listing-equals-reference-diff", test_listing_equals_reference_diff);
  g_test_add_func ("/knobs/values", test_values);
  for (guint i = 0; i < G_N_ELEMENTS (cpython_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/knobs/cpython/%s/%s", cpython_cases[i].id,
                                               cpython_cases[i].knobs[0]);

      g_test_add_data_func (path, &cpython_cases[i], test_matches_cpython);
    }
  g_test_add_func ("/knobs/downloader-timeout", test_downloader_timeout);
  g_test_add_func ("/knobs/randomised/queue", test_queue);
  g_test_add_func ("/knobs/randomised/producer-consumer", test_producer_consumer);
  g_test_add_func ("/knobs/trace-file", test_trace_file);
  g_test_add_func ("/compare/downloader", test_compare_downloader);
  for (guint i = 0; i < G_N_ELEMENTS (identical_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/compare/cpython/%s/%s", identical_cases[i].id,
                                               identical_cases[i].knobs[0] != NULL
                                               ? identical_cases[i].knobs[0] : "defaults");

      g_test_add_data_func (path, &identical_cases[i], test_compare_cpython);
    }
  g_test_add_func ("/knobs/cli", test_cli);
  return g_test_run ();
}
