/* SPDX-License-Identifier: MIT
 *
 * Exports: PNG size and pixels where the model says the lock's owner bar
 * is, SVG as XML with the lane labels, PDF pages and size, the command
 * line's exports and saved traces, and every bad input: its message, exit
 * status 2 and no output file.
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ls-export.h"
#include "ls-scenario.h"
#include "ls-test-scenario.h"
#include "ls-interpreter.h"
#include "ls-timeline-renderer.h"
#include "ls-trace-json.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static guint32
pixel_at (cairo_surface_t *surface,
          int              x,
          int              y)
{
  const guchar *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);

  return *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;
}

/* The lock lane's owner bar, where the model puts it, in a HiDPI PNG. */
static void
test_png_pixels (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("lock");
  g_autoptr(LsInterpreter) model =
    ls_interpreter_new (ls_loop_get_trace (ls_scenario_run_get_loop (run)));
  g_autofree char *path = tmp_path ("lock.png");
  g_autoptr(GError) error = NULL;
  LsExportOptions options;
  const LsTimelineLane *lock = NULL;
  const LsTimelineHold *hold;
  cairo_surface_t *png;
  LsTimelineView view = { 0 };
  g_autoptr(LsLaneLayout) layout = NULL;
  double timeline_y, width, height, x, y;
  int lane_index = -1;
  gint64 end;

  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    if (ls_interpreter_get_lane (model, i)->object_kind == LS_OBJECT_LOCK)
      {
        lane_index = (int) i;
        lock = ls_interpreter_get_lane (model, i);
      }
  g_assert_nonnull (lock);
  g_assert_cmpuint (lock->holds->len, >, 1);

  ls_export_options_init (&options);
  options.width = 1000;
  options.scale = 2;
  options.title = "Lock";
  g_assert_true (ls_export_image (model, &options, path, &error));
  g_assert_no_error (error);
  ls_export_get_layout (model, &options, &timeline_y, &width, &height);
  g_assert_cmpfloat (timeline_y, ==, LS_TIMELINE_TITLE_HEIGHT);

  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 2000);
  g_assert_cmpint (cairo_image_surface_get_height (png), ==, (int) (2 * height));

  /* the whole run: t0 = 0, t1 = end plus the margin of ls-export.c */
  end = ls_interpreter_get_end_time (model);
  view.width = width;
  view.t0 = 0;
  view.t1 = MAX (end, 1) + MAX (end / 50, 1000000);
  hold = &g_array_index (lock->holds, LsTimelineHold, 1);
  x = ls_timeline_view_time_to_x (&view, hold->start_ns + (hold->end_ns - hold->start_ns) / 4);
  /* an export's rows: every lane, nothing folded */
  layout = ls_lane_layout_new (model);
  ls_lane_layout_set_grouping (layout, FALSE);
  view.layout = layout;
  y = timeline_y + ls_timeline_view_row_y (&view, ls_lane_layout_get_lane_row (layout,
                                                                               lane_index))
      + 8;
  g_assert_cmphex (pixel_at (png, (int) (x * 2), (int) (y * 2)), ==, 0x009e73);
  /* the title line is white in the light theme, the legend too */
  g_assert_cmphex (pixel_at (png, 1990, 4), ==, 0xffffff);
  cairo_surface_destroy (png);

  /* dark */
  options.dark = TRUE;
  options.scale = 1;
  g_assert_true (ls_export_image (model, &options, path, &error));
  png = cairo_image_surface_create_from_png (path);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 1000);
  g_assert_cmphex (pixel_at (png, 995, 4), ==, 0x1d1d20);
  g_assert_cmphex (pixel_at (png, (int) x, (int) y), ==, 0x2bb58a);
  cairo_surface_destroy (png);
}

/* Runs a Python check on @arg with the CPython meson found
 * ($LOOPSCOPE_PYTHON): a test that needs it fails without it. */
static void
python (const char *script,
        const char *arg)
{
  const char *python3 = g_getenv ("LOOPSCOPE_PYTHON");
  const char *argv[] = { python3, "-c", script, arg, NULL };
  g_autofree char *err = NULL;
  int status;

  g_assert_nonnull (python3);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, 0, NULL, NULL, NULL, &err, &status,
                               NULL));
  if (!g_spawn_check_wait_status (status, NULL))
    g_printerr ("%s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* The command line: PNG, SVG, PDF and the trace, from a run and from the
 * saved trace, give the same picture. */
static void
test_cli_exports (void)
{
  const char *args[] = { "--scenario=lock", "--export-png=a.png", "--export-svg=a.svg",
                         "--export-pdf=a.pdf", "--export-trace=a.json", "--width=900",
                         "--scale=2", NULL };
  const char *again[] = { "--open=a.json", "--export-png=b.png", "--export-trace=b.json",
                          "--width=900", "--scale=2", NULL };
  g_autofree char *err = NULL, *err2 = NULL;
  g_autofree char *svg = tmp_path ("a.svg");
  g_autofree char *pdf_path = tmp_path ("a.pdf");
  g_autofree char *a_png = tmp_path ("a.png"), *b_png = tmp_path ("b.png");
  g_autofree char *a_json = tmp_path ("a.json"), *b_json = tmp_path ("b.json");
  g_autofree char *pdf = NULL, *a = NULL, *b = NULL;
  gsize pdf_len, a_len, b_len;
  cairo_surface_t *png;
  guint pages = 0;

  g_assert_cmpint (ls_test_run_cli (tmp_dir, args, NULL, &err), ==, 0);
  g_assert_cmpstr (err, ==, "");
  png = cairo_image_surface_create_from_png (a_png);
  g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
  g_assert_cmpint (cairo_image_surface_get_width (png), ==, 1800);
  cairo_surface_destroy (png);

  python ("import sys, xml.etree.ElementTree as ET\n"
          "root = ET.parse(sys.argv[1]).getroot()\n"
          "assert root.tag == '{http://www.w3.org/2000/svg}svg', root.tag\n"
          "texts = [t.text for t in root.iter('{http://www.w3.org/2000/svg}text')]\n"
          "for want in ['Task-1', 'Task 0', 'Task 4', 'Lock self.lock']:\n"
          "  assert want in texts, (want, texts)\n"
          "assert any(t.startswith('Lock — seed 0 — ') for t in texts), texts\n"
          "assert root.get('width').startswith('900'), root.get('width')\n", svg);

  g_assert_true (g_file_get_contents (pdf_path, &pdf, &pdf_len, NULL));
  g_assert_true (g_str_has_prefix (pdf, "%PDF-1."));
  g_assert_nonnull (g_strrstr_len (pdf + pdf_len - 16, 16, "%%EOF"));
  /* binary streams hold NULs: search by hand */
  for (gsize i = 0; i + 12 <= pdf_len; i++)
    {
      if (memcmp (pdf + i, "/Type /Page", 11) == 0 && pdf[i + 11] != 's')
        pages++;
      /* 16 bytes of key and 4 of width: compare only what the file holds */
      if (i + 20 <= pdf_len && memcmp (pdf + i, "/MediaBox [ 0 0 ", 16) == 0)
        g_assert_true (memcmp (pdf + i + 16, "900 ", 4) == 0);
    }
  g_assert_cmpuint (pages, ==, 1);

  /* the saved trace renders the same picture and saves the same bytes */
  g_assert_cmpint (ls_test_run_cli (tmp_dir, again, NULL, &err2), ==, 0);
  g_assert_true (g_file_get_contents (a_png, &a, &a_len, NULL));
  g_assert_true (g_file_get_contents (b_png, &b, &b_len, NULL));
  g_assert_cmpuint (a_len, ==, b_len);
  g_assert_true (memcmp (a, b, a_len) == 0);
  g_clear_pointer (&a, g_free);
  g_clear_pointer (&b, g_free);
  g_assert_true (g_file_get_contents (a_json, &a, &a_len, NULL));
  g_assert_true (g_file_get_contents (b_json, &b, &b_len, NULL));
  g_assert_cmpuint (a_len, ==, b_len);
  g_assert_true (memcmp (a, b, a_len) == 0);
}

static guint
count_files (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  guint n = 0;

  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
write_file (const char *name,
            const char *text,
            gssize      len)
{
  g_autofree char *path = tmp_path (name);

  g_assert_true (g_file_set_contents (path, text, len, NULL));
}

static void
test_cli_errors (void)
{
  g_autofree char *good = NULL;
  gsize good_len;
  g_autofree char *json = tmp_path ("good.json");
  const char *make[] = { "--scenario=hello-world", "--export-trace=good.json", NULL };
  g_autofree char *make_err = NULL;
  struct { const char *args[5]; const char *says; } cases[] = {
    { { "--open=empty.json", "--export-png=out.png", NULL }, "empty.json: the file is empty" },
    { { "--open=cut.json", "--export-png=out.png", NULL }, "cut.json: the file ends too early" },
    { { "--open=bad.json", "--export-png=out.png", NULL }, "bad.json: line 1, column" },
    { { "--open=schema.json", "--export-png=out.png", NULL }, "schema.json: not a trace" },
    { { "--open=binary.json", "--export-png=out.png", NULL }, "binary.json: not a JSON file" },
    { { "--open=huge.json", "--export-png=out.png", NULL }, "huge.json: the file is too large" },
    { { "--open=missing.json", "--export-png=out.png", NULL }, "missing.json: " },
    { { "--scenario=lock", "--export-png=no/such/dir/out.png", NULL },
      "no/such/dir/out.png: the folder “no/such/dir” does not exist" },
    { { "--scenario=lock", "--export-trace=no-dir/out.json", NULL }, "no-dir/out.json: " },
    { { "--scenario=lock", "--export-png=out.png", "--theme=blue", NULL }, "--theme" },
    { { "--scenario=lock", "--export-png=out.png", "--range=2:1", NULL }, "--range" },
    { { "--scenario=lock", "--export-png=out.png", "--range=abc", NULL }, "--range" },
    { { "--scenario=lock", "--export-png=out.png", "--range=-1:2", NULL }, "--range" },
    { { "--scenario=lock", "--export-png=out.png", "--width=10", NULL }, "--width" },
    { { "--scenario=lock", "--export-png=out.png", "--height=999999", NULL }, "--height" },
    { { "--scenario=lock", "--export-png=out.png", "--scale=0", NULL }, "--scale" },
    { { "--scenario=lock", "--export-png=out.png", "--width=16000", "--scale=8", NULL },
      "out.png: " },
    { { "--export-png=out.png", NULL }, "--scenario=ID or --open=FILE" },
    { { "--open=good.json", "--scenario=lock", "--export-png=out.png", NULL }, "--open" },
    { { "--theme=dark", NULL }, "--export" },
    { { "empty.json", NULL }, "empty.json: the file is empty" },
    { { "schema.json", NULL }, "schema.json: not a trace" },
  };
  guint before;

  g_assert_cmpint (ls_test_run_cli (tmp_dir, make, NULL, &make_err), ==, 0);
  g_assert_true (g_file_get_contents (json, &good, &good_len, NULL));
  write_file ("empty.json", "", 0);
  write_file ("cut.json", good, good_len / 2);
  write_file ("bad.json", "{\"traceEvents\": [}", -1);
  write_file ("schema.json", "{\"version\": 3, \"events\": []}", -1);
  write_file ("binary.json", "\x89PNG\r\n\x1a\n\0\0\0", 11);
  {
    g_autofree char *huge = tmp_path ("huge.json");
    FILE *f = g_fopen (huge, "w");

    g_assert_cmpint (ftruncate (fileno (f), LS_TRACE_JSON_MAX_BYTES + 4096), ==, 0);
    fclose (f);
  }

  before = count_files ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      g_auto(GStrv) lines = NULL;

      g_assert_cmpint (ls_test_run_cli (tmp_dir, cases[i].args, NULL, &err), ==, 2);
      if (strstr (err, cases[i].says) == NULL)
        g_printerr ("case %u: %s", i, err);
      g_assert_nonnull (strstr (err, cases[i].says));
      g_assert_true (g_str_has_prefix (err, "loopscope: "));
      lines = g_strsplit (g_strchomp (err), "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 1);
      /* nothing written, not even a temporary file */
      g_assert_cmpuint (count_files (), ==, before);
    }
  {
    g_autofree char *huge = tmp_path ("huge.json");

    g_unlink (huge);
  }
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

/* One command's outputs are all or nothing, and none may be its input:
 * the trace it reads, a second output of the same name, a device. */
static void
test_cli_outputs_all_or_nothing (void)
{
  g_autofree char *json = tmp_path ("input.json");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *err = NULL;
  gsize before_len, after_len;
  const char *make[] = { "--scenario=lock", "--export-trace=input.json", NULL };
  struct { const char *args[5]; const char *says; } cases[] = {
    { { "--open=input.json", "--export-png=input.json", NULL }, "input.json: is the same file" },
    { { "--open=./input.json", "--export-png=a.png", "--export-svg=input.json", NULL },
      "is the same file" },
    { { "--scenario=lock", "--export-png=a.png", "--export-svg=no/dir/a.svg", NULL },
      "no/dir/a.svg: the folder" },
    { { "--scenario=lock", "--export-png=same", "--export-svg=same", NULL }, "same" },
    { { "--scenario=lock", "--export-png=/dev/null", NULL }, "/dev/null: is a character device" },
  };
  guint files;

  g_assert_cmpint (ls_test_run_cli (tmp_dir, make, NULL, NULL), ==, 0);
  g_assert_true (g_file_get_contents (json, &before, &before_len, NULL));
  files = count_files ();
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_clear_pointer (&err, g_free);
      g_assert_cmpint (ls_test_run_cli (tmp_dir, cases[i].args, NULL, &err), ==, 2);
      if (strstr (err, cases[i].says) == NULL)
        g_printerr ("case %u: %s", i, err);
      g_assert_nonnull (strstr (err, cases[i].says));
      /* nothing written, nothing left behind, the input as it was */
      g_assert_cmpuint (count_files (), ==, files);
      g_assert_true (g_file_get_contents (json, &after, &after_len, NULL));
      g_assert_cmpmem (after, after_len, before, before_len);
      g_clear_pointer (&after, g_free);
    }
  g_unlink (json);
}

/* ---- the trace file's counters against the live objects ---- */

static struct
{
  LsSemaphore *sem;
  LsQueue     *queue;
} CW;

#define CW_PERMITS 3
#define CW_MAXSIZE 2
#define CW_ITEMS   8

static GVariant *
cw_sem_user (gpointer data,
             GError **error)
{
  LsLoop *loop = ls_loop_current ();

  for (int r = 0; r < 2; r++)
    {
      g_autoptr(LsLocker) locker = ls_semaphore_locker_new (CW.sem, error);

      if (locker == NULL || !ls_sleep (ls_loop_random_uniform (loop, 0.1, 0.6), error))
        return NULL;
    }
  return NULL;
}

static GVariant *
cw_producer (gpointer data,
             GError **error)
{
  for (int i = 0; i < CW_ITEMS; i++)
    if (!ls_queue_put (CW.queue, g_variant_new_int32 (i), error) || !ls_sleep (0.1, error))
      return NULL;
  return NULL;
}

static GVariant *
cw_consumer (gpointer data,
             GError **error)
{
  for (int i = 0; i < CW_ITEMS; i++)
    {
      g_autoptr(GVariant) item = ls_queue_get (CW.queue, error);

      if (item == NULL || !ls_sleep (0.35, error))
        return NULL;
      ls_queue_task_done (CW.queue, NULL);
    }
  return NULL;
}

static GVariant *
cw_main (gpointer data,
         GError **error)
{
  g_autoptr(GPtrArray) tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_task_unref);

  for (int i = 0; i < 7; i++)
    g_ptr_array_add (tasks, ls_task_create (NULL, cw_sem_user, NULL, NULL));
  g_ptr_array_add (tasks, ls_task_create ("producer", cw_producer, NULL, NULL));
  g_ptr_array_add (tasks, ls_task_create ("consumer", cw_consumer, NULL, NULL));
  for (guint i = 0; i < tasks->len; i++)
    {
      g_autoptr(GVariant) ignored = ls_task_await (g_ptr_array_index (tasks, i), error);

      if (*error != NULL)
        return NULL;
    }
  return NULL;
}

typedef struct
{
  gint64 time;
  gint64 permits;
  gint64 depth;
} CwSample;

/* The value a counter shows at @time: its last event at or before it. */
static gint64
counter_at (GArray *events,
            gint64  time)
{
  gint64 value = -1;

  for (guint i = 0; i < events->len; i++)
    {
      const CwSample *e = &g_array_index (events, CwSample, i);

      if (e->time > time)
        break;
      value = e->permits;
    }
  return value;
}

/* The permits and depth counters of a saved trace (the lanes Perfetto
 * draws) are the semaphore's and the queue's real values: after the last
 * loop iteration at each instant, the counter's last value up to that
 * instant equals what the live object holds. */
static void
test_trace_counters (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = NULL;
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (CwSample));
  g_autoptr(GArray) permits = g_array_new (FALSE, FALSE, sizeof (CwSample));
  g_autoptr(GArray) depths = g_array_new (FALSE, FALSE, sizeof (CwSample));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tmp_path ("counters.json");
  JsonArray *events;
  gint64 min_permits = G_MAXINT64, max_depth = 0;
  guint compared = 0;

  ls_loop_set_seed (loop, 7);
  CW.sem = ls_semaphore_new (loop, "slots", CW_PERMITS, NULL);
  CW.queue = ls_queue_new (loop, "items", CW_MAXSIZE);
  main_task = ls_task_new (loop, "main", cw_main, NULL, NULL);
  while (!ls_future_is_done (LS_FUTURE (main_task)))
    {
      CwSample s;

      g_assert_true (ls_loop_step (loop));
      s.time = ls_loop_time_ns (loop);
      s.permits = ls_semaphore_get_value (CW.sem);
      s.depth = ls_queue_qsize (CW.queue);
      /* only the last iteration at each instant */
      if (samples->len > 0 && g_array_index (samples, CwSample, samples->len - 1).time == s.time)
        g_array_index (samples, CwSample, samples->len - 1) = s;
      else
        g_array_append_val (samples, s);
    }
  g_assert_no_error (ls_future_get_exception (LS_FUTURE (main_task)));

  g_assert_true (ls_trace_save_json (ls_loop_get_trace (loop), NULL, path, &error));
  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  events = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                         "traceEvents");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);
      JsonObject *args;
      CwSample c = { 0 };

      if (g_strcmp0 (json_object_get_string_member (e, "ph"), "C") != 0)
        continue;
      args = json_object_get_object_member (e, "args");
      /* µs with three decimals: whole nanoseconds */
      c.time = (gint64) llround (json_object_get_double_member (e, "ts") * 1000.0);
      if (json_object_has_member (args, "permits"))
        {
          g_assert_true (g_str_has_suffix (json_object_get_string_member (e, "name"), "slots"));
          c.permits = json_object_get_int_member (args, "permits");
          g_array_append_val (permits, c);
        }
      else
        {
          g_assert_true (g_str_has_suffix (json_object_get_string_member (e, "name"), "items"));
          c.permits = json_object_get_int_member (args, "depth");
          g_array_append_val (depths, c);
        }
    }
  g_assert_cmpuint (permits->len, >, 10);
  g_assert_cmpuint (depths->len, >, 10);

  for (guint i = 0; i < samples->len; i++)
    {
      const CwSample *s = &g_array_index (samples, CwSample, i);

      g_assert_cmpint (counter_at (permits, s->time), ==, s->permits);
      g_assert_cmpint (counter_at (depths, s->time), ==, s->depth);
      min_permits = MIN (min_permits, s->permits);
      max_depth = MAX (max_depth, s->depth);
      compared++;
    }
  /* the values moved through their whole range */
  g_test_message ("%u instants compared", compared);
  g_assert_cmpuint (compared, >, 10);
  g_assert_cmpint (min_permits, ==, 0);
  g_assert_cmpint (counter_at (permits, G_MAXINT64), ==, CW_PERMITS);
  g_assert_cmpint (max_depth, ==, CW_MAXSIZE);
  g_assert_cmpint (counter_at (depths, G_MAXINT64), ==, 0);

  g_clear_pointer (&CW.sem, ls_semaphore_unref);
  g_clear_pointer (&CW.queue, ls_queue_unref);
  g_unlink (path);
}

/* Where the user cannot write, and a trace the user cannot read: one line
 * naming the file, exit status 2, nothing written. Run without the power
 * to bypass file permissions, which root (CI, a fresh machine) has. */
static void
test_cli_unwritable (void)
{
  g_autofree char *work = g_dir_make_tmp ("loopscope-unwritable-XXXXXX", NULL);
  g_autofree char *locked = g_build_filename (work, "locked", NULL);
  g_autofree char *secret = g_build_filename (work, "secret.json", NULL);
  struct { const char *args[3]; const char *says; } cases[] = {
    { { "--scenario=lock", "--export-png=locked/out.png", NULL },
      "locked/out.png: cannot write in “locked”" },
    { { "--scenario=lock", "--export-svg=locked/out.svg", NULL },
      "locked/out.svg: cannot write in “locked”" },
    { { "--scenario=lock", "--export-pdf=locked/out.pdf", NULL },
      "locked/out.pdf: cannot write in “locked”" },
    { { "--scenario=lock", "--export-trace=locked/out.json", NULL },
      "locked/out.json: cannot write in “locked”" },
    { { "--open=secret.json", "--export-png=out.png", NULL }, "secret.json" },
  };

  g_assert_nonnull (work);
  g_assert_cmpint (g_mkdir (locked, 0555), ==, 0);
  g_assert_true (g_file_set_contents (secret, "{}", -1, NULL));
  g_assert_cmpint (g_chmod (secret, 0), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *out_png = g_build_filename (work, "out.png", NULL);
      g_auto(GStrv) lines = NULL;
      g_autoptr(GDir) dir = NULL;

      g_assert_cmpint (ls_test_run_cli_unprivileged (work, cases[i].args, NULL, &err), ==, 2);
      g_test_message ("%s", err);
      g_assert_true (g_str_has_prefix (err, "loopscope: "));
      g_assert_nonnull (strstr (err, cases[i].says));
      lines = g_strsplit (g_strchomp (err), "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 1);
      /* nothing written, not even a temporary file */
      dir = g_dir_open (locked, 0, NULL);
      g_assert_nonnull (dir);
      g_assert_null (g_dir_read_name (dir));
      g_assert_false (g_file_test (out_png, G_FILE_TEST_EXISTS));
    }

  g_chmod (locked, 0755);
  g_chmod (secret, 0600);
  remove_tree (work);
}

/* Traces from files may hold any value a record can: a semaphore of 2^62
 * permits, a run that ends near the end of time. Drawing them must neither
 * overflow nor loop for ever (the fuzzer found both). */
static void
test_extreme_values (void)
{
  const gint64 huge = G_GINT64_CONSTANT (0x7e006c7073696422);
  const gint64 late = G_MAXINT64 - 5;
  g_autoptr(LsTrace) trace = ls_trace_new ();
  LsTraceChunks *chunks = _ls_trace_get_chunks (trace);
  g_autoptr(LsInterpreter) model = NULL;
  LsExportOptions options;

  ls_trace_append (chunks, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_TASK, 0, 1, 0, 1);
  ls_trace_append (chunks, 0, LS_TRACE_OBJECT_NEW, LS_OBJECT_BOUNDED_SEMAPHORE, 0, 2, 0, huge);
  ls_trace_append (chunks, 0, LS_TRACE_PRIMITIVE, LS_PRIMITIVE_ACQUIRED, 1, 2, 0, huge - 1);
  ls_trace_append (chunks, late, LS_TRACE_TASK_DONE, LS_OUTCOME_RESULT, 1, 0, 0, 0);
  model = ls_interpreter_new (trace);
  ls_export_options_init (&options);
  for (LsExportFormat f = LS_EXPORT_PNG; f <= LS_EXPORT_PDF; f++)
    {
      g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
      g_autoptr(GError) error = NULL;

      options.format = f;
      g_assert_true (ls_export_image_to_stream (model, &options, out, "extreme", &error));
      g_assert_no_error (error);
      g_assert_cmpuint (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (out)), >, 0);
    }
}

int
main (int argc, char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("loopscope-export-XXXXXX", NULL);

  g_test_add_func ("/export/png-pixels", test_png_pixels);
  g_test_add_func ("/export/cli", test_cli_exports);
  g_test_add_func ("/export/cli-errors", test_cli_errors);
  g_test_add_func ("/export/cli-all-or-nothing", test_cli_outputs_all_or_nothing);
  g_test_add_func ("/export/extreme-values", test_extreme_values);
  g_test_add_func ("/export/cli-unwritable", test_cli_unwritable);
  g_test_add_func ("/export/trace-counters", test_trace_counters);

  status = g_test_run ();
  remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
