/* SPDX-License-Identifier: MIT
 *
 * The timeline. Its model built from real scenario runs, and built
 * incrementally while a run goes on; then the picture. Each scenario's
 * picture is held to what its listing must show: the renderer's record of
 * what it drew (ls_timeline_render_recorded: spans, end marks, owners,
 * steps, arrows, cancel marks, deadlines, bands, labels) is compared with
 * the facts of the run at several zoom levels and in both themes, and at
 * the recorded places the pixels are probed for the item's colour and
 * shape, so that the list and the image cannot disagree. Last, the widget
 * and its tooltips. The renders are saved as PNGs in the build directory
 * (and in $LOOPSCOPE_TIMELINE_PNG_DIR when set) to look at;
 * $LOOPSCOPE_TIMELINE_DUMP prints every record.
 */
#include "config.h"

#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "ls-scenario.h"
#include "ls-test-scenario.h"
#include "ls-timeline.h"
#include "ls-interpreter.h"
#include "ls-timeline-renderer.h"
#include "ls-describe.h"
#include "ls-error.h"

#define WIDTH  1200
#define HEIGHT 500

static int
find_lane_by_label (LsInterpreter *model,
                    const char      *label)
{
  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    if (g_strcmp0 (ls_interpreter_get_lane (model, i)->label, label) == 0)
      return (int) i;
  return -1;
}

static void
check_spans_abut (const LsTimelineLane *lane)
{
  const LsTimelineSpan *last;

  g_assert_cmpuint (lane->spans->len, >, 1);
  for (guint i = 0; i + 1 < lane->spans->len; i++)
    {
      const LsTimelineSpan *a = &g_array_index (lane->spans, LsTimelineSpan, i);
      const LsTimelineSpan *b = &g_array_index (lane->spans, LsTimelineSpan, i + 1);

      g_assert_cmpint (a->end_ns, !=, LS_TIMELINE_OPEN);
      g_assert_cmpint (a->end_ns, >=, a->start_ns);
      g_assert_cmpint (a->end_ns, ==, b->start_ns);
      g_assert_cmpuint (a->state, !=, b->state == LS_TASK_STATE_WAITING ? G_MAXUINT16 : b->state);
      if (a->state == LS_TASK_STATE_WAITING)
        g_assert_cmpuint (a->wait_reason, !=, LS_WAIT_NONE);
    }
  last = &g_array_index (lane->spans, LsTimelineSpan, lane->spans->len - 1);
  g_assert_cmpuint (last->state, ==, LS_TASK_STATE_DONE);
  g_assert_cmpint (last->end_ns, ==, last->start_ns);
}

static void
test_lock_model (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("lock");
  g_autoptr(LsInterpreter) model = ls_interpreter_new (ls_test_run_trace (run));
  guint n_tasks = 0, n_primitives = 0, n_handoffs = 0;
  int lock_lane, main_lane;
  const LsTimelineLane *lock;
  GArray *links;
  const LsTraceState *state = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    {
      const LsTimelineLane *lane = ls_interpreter_get_lane (model, i);

      if (lane->kind == LS_TIMELINE_LANE_TASK)
        {
          n_tasks++;
          check_spans_abut (lane);
        }
      else
        n_primitives++;
    }
  g_assert_cmpuint (n_tasks, ==, 6);
  g_assert_cmpuint (n_primitives, ==, 1);
  g_assert_cmpuint (ls_interpreter_get_n_rows (model), ==, 7);

  /* the main task first, its five children under it, the lock last; the
   * names as the replayed state has them */
  state = ls_interpreter_get_state (model);
  g_assert_cmpuint (state->tasks->len, ==, 6);
  for (guint i = 0; i < state->tasks->len; i++)
    {
      const LsTaskEntry *task = &g_array_index (state->tasks, LsTaskEntry, i);
      g_autofree char *name = task->name_id != 0
                              ? g_strdup (ls_trace_get_string (ls_test_run_trace (run), task->name_id))
                              : g_strdup_printf ("Task-%u", task->number);
      int lane = find_lane_by_label (model, name);

      g_assert_cmpint (lane, >=, 0);
      g_assert_cmpint (ls_interpreter_find_lane (model, task->task_id), ==, lane);
      g_assert_cmpint (ls_interpreter_get_lane_row (model, lane), ==, (int) i);
      g_assert_cmpuint (ls_interpreter_get_lane (model, lane)->depth, ==, i == 0 ? 0 : 1);
      g_ptr_array_add (names, g_steal_pointer (&name));
    }
  main_lane = find_lane_by_label (model, "Task-1");
  g_assert_cmpint (main_lane, >=, 0);
  lock_lane = find_lane_by_label (model, "Lock self.lock");
  g_assert_cmpint (lock_lane, >=, 0);
  g_assert_cmpint (ls_interpreter_get_lane_row (model, lock_lane), ==, 6);

  /* five owners, one after the other, in creation order */
  lock = ls_interpreter_get_lane (model, lock_lane);
  g_assert_cmpuint (lock->holds->len, ==, 5);
  for (guint i = 0; i < lock->holds->len; i++)
    {
      const LsTimelineHold *h = &g_array_index (lock->holds, LsTimelineHold, i);

      g_assert_cmpstr (ls_interpreter_get_task_name (model, h->task_id), ==,
                       g_ptr_array_index (names, i + 1));
      g_assert_cmpint (h->end_ns, >, h->start_ns);
      if (i > 0)
        g_assert_cmpint (g_array_index (lock->holds, LsTimelineHold, i - 1).end_ns, <=,
                         h->start_ns);
    }

  /* each release hands the lock to the next waiter */
  links = ls_interpreter_get_links (model);
  for (guint i = 0; i < links->len; i++)
    {
      const LsTimelineLink *l = &g_array_index (links, LsTimelineLink, i);

      if (l->kind != LS_TIMELINE_LINK_HANDOFF)
        continue;
      n_handoffs++;
      g_assert_cmpuint (l->via_lane, ==, (guint) lock_lane);
      g_assert_cmpint (l->to_time, >=, l->from_time);
    }
  g_assert_cmpuint (n_handoffs, ==, 4);

  g_assert_cmpint (ls_interpreter_get_end_time (model), ==,
                   ls_trace_get_end_time (ls_test_run_trace (run)));
}

static void
count_changed (LsInterpreter *model,
               guint           *count)
{
  (*count)++;
}

static void
assert_models_equal (LsInterpreter *a,
                     LsInterpreter *b)
{
  g_assert_cmpuint (ls_interpreter_get_n_lanes (a), ==, ls_interpreter_get_n_lanes (b));
  g_assert_cmpuint (ls_interpreter_get_n_rows (a), ==, ls_interpreter_get_n_rows (b));
  for (guint i = 0; i < ls_interpreter_get_n_rows (a); i++)
    g_assert_cmpuint (ls_interpreter_get_row_lane (a, i), ==, ls_interpreter_get_row_lane (b, i));
  for (guint i = 0; i < ls_interpreter_get_n_lanes (a); i++)
    {
      const LsTimelineLane *la = ls_interpreter_get_lane (a, i);
      const LsTimelineLane *lb = ls_interpreter_get_lane (b, i);

      g_assert_cmpstr (la->label, ==, lb->label);
      if (la->spans != NULL)
        {
          g_assert_cmpuint (la->spans->len, ==, lb->spans->len);
          g_assert_cmpmem (la->spans->data, la->spans->len * sizeof (LsTimelineSpan),
                           lb->spans->data, lb->spans->len * sizeof (LsTimelineSpan));
        }
      else
        {
          g_assert_cmpuint (la->holds->len, ==, lb->holds->len);
          for (guint k = 0; k < la->holds->len; k++)
            {
              const LsTimelineHold *ha = &g_array_index (la->holds, LsTimelineHold, k);
              const LsTimelineHold *hb = &g_array_index (lb->holds, LsTimelineHold, k);

              /* field by field: the struct has padding */
              g_assert_cmpint (ha->start_ns, ==, hb->start_ns);
              g_assert_cmpint (ha->end_ns, ==, hb->end_ns);
              g_assert_cmpuint (ha->task_id, ==, hb->task_id);
            }
          g_assert_cmpmem (la->steps->data, la->steps->len * sizeof (LsTimelineStep),
                           lb->steps->data, lb->steps->len * sizeof (LsTimelineStep));
        }
    }
  g_assert_cmpuint (ls_interpreter_get_links (a)->len, ==, ls_interpreter_get_links (b)->len);
  g_assert_cmpuint (ls_interpreter_get_prints (a)->len, ==, ls_interpreter_get_prints (b)->len);
}

/* A model made before the run, fed batch by batch, ends up equal to one
 * built from the finished trace; "changed" comes once per batch. */
static void
test_incremental (void)
{
  const char *ids[] = { "lock", "queue", "semaphore", "task-cancel" };

  for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
    {
      g_autoptr(LsScenarioRun) run = ls_scenario_run_new (ls_scenario_lookup (ids[k]), 0);
      LsLoop *loop = ls_scenario_run_get_loop (run);
      g_autoptr(LsInterpreter) live = ls_interpreter_new (ls_loop_get_trace (loop));
      g_autoptr(LsInterpreter) after = NULL;
      g_autoptr(GError) error = NULL;
      guint changed = 0;

      g_signal_connect (live, "changed", G_CALLBACK (count_changed), &changed);
      g_assert_true (ls_scenario_run_to_end (run, &error));
      g_assert_no_error (error);
      ls_trace_flush (ls_loop_get_trace (loop));
      g_assert_cmpuint (changed, >, 0);

      after = ls_interpreter_new (ls_loop_get_trace (loop));
      assert_models_equal (live, after);
    }
}

/* ---- the picture ------------------------------------------------------------ */

#define MS(n) ((gint64) (n) * G_GINT64_CONSTANT (1000000))

/* The palette as it is meant to be (Okabe and Ito's colours): a probe that
 * finds another colour finds a picture that says something else. */
typedef struct
{
  const char *name;
  gboolean    dark;
  guint32     background;
  guint32     row_alt;
  guint32     running;
  guint32     ready;
  guint32     waiting;
  guint32     done;
  guint32     cancelled;
  guint32     failed;
  guint32     hold;
  guint32     event;
  guint32     steps;
  guint32     blocked;
  guint32     link;
  guint32     now;
  guint32     text;
} Theme;

static const Theme themes[] = {
  { "light", FALSE, 0xffffff, 0xf4f5f7, 0x0072b2, 0xe69f00, 0x8a8a8a, 0x1e1e1e, 0xd55e00, 0xcc3311,
    0x009e73, 0xcc79a7, 0x0072b2, 0xd55e00, 0xcc79a7, 0x009e73, 0x1e1e1e },
  { "dark", TRUE, 0x1d1d20, 0x25252a, 0x56b4e9, 0xe69f00, 0x9a9a9a, 0xeeeeee, 0xe67a2e, 0xee5544,
    0x2bb58a, 0xcc79a7, 0x56b4e9, 0xe67a2e, 0xe08ec0, 0x2bb58a, 0xeeeeee },
};

/* A visible range: the whole run (factor 1), or 1/factor of it around
 * @centre. */
typedef struct
{
  double factor;
  gint64 centre;
} Zoom;

/* One run, drawn: the view, the pixels and the record of what was drawn. */
typedef struct
{
  const char      *scenario;
  LsScenarioRun   *run;      /* or NULL: a loop of the test's own */
  LsLoop          *loop;
  LsInterpreter   *model;
  LsLaneLayout    *layout;   /* every lane, nothing folded, as the renderer's own */
  const Theme     *theme;
  int              height;   /* of the picture: HEIGHT, or more for many lanes */
  LsTimelineView   view;
  cairo_surface_t *surface;
  GArray          *record;   /* LsTimelineItem */
  char            *name;     /* scenario-theme-zoom: for messages and the PNG */
} Picture;

static Picture *
picture_new (const char *scenario)
{
  Picture *pic = g_new0 (Picture, 1);

  pic->scenario = scenario;
  pic->run = ls_test_run_scenario (scenario);
  pic->model = ls_interpreter_new (ls_test_run_trace (pic->run));
  pic->layout = ls_lane_layout_new (pic->model);
  ls_lane_layout_set_grouping (pic->layout, FALSE);
  pic->record = g_array_new (FALSE, TRUE, sizeof (LsTimelineItem));
  pic->height = HEIGHT;
  return pic;
}

/* A run of the test's own, on @loop, finished. */
static Picture *
picture_new_for_loop (const char *name,
                      LsLoop     *loop)
{
  Picture *pic = g_new0 (Picture, 1);

  pic->scenario = name;
  pic->loop = g_object_ref (loop);
  pic->model = ls_interpreter_new (ls_loop_get_trace (loop));
  pic->layout = ls_lane_layout_new (pic->model);
  ls_lane_layout_set_grouping (pic->layout, FALSE);
  pic->record = g_array_new (FALSE, TRUE, sizeof (LsTimelineItem));
  pic->height = HEIGHT;
  return pic;
}

static void
picture_free (Picture *pic)
{
  g_clear_pointer (&pic->surface, cairo_surface_destroy);
  g_array_unref (pic->record);
  g_object_unref (pic->layout);
  g_object_unref (pic->model);
  g_clear_pointer (&pic->run, ls_scenario_run_free);
  g_clear_object (&pic->loop);
  g_free (pic->name);
  g_free (pic);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Picture, picture_free)

static gint64
run_end (Picture *pic)
{
  return ls_interpreter_get_end_time (pic->model);
}

static int
lane_of (Picture    *pic,
         const char *label)
{
  int found = -1;

  for (guint i = 0; i < ls_interpreter_get_n_lanes (pic->model); i++)
    if (g_strcmp0 (ls_interpreter_get_lane (pic->model, i)->label, label) == 0)
      {
        g_assert_cmpint (found, <, 0); /* labels used here name one lane */
        found = (int) i;
      }
  if (found < 0)
    g_error ("%s: no lane \"%s\"", pic->scenario, label);
  return found;
}

/* The id of the task or primitive whose lane is @label. */
static guint32
object_of (Picture    *pic,
           const char *label)
{
  return ls_interpreter_get_lane (pic->model, lane_of (pic, label))->object_id;
}

static const char *
label_of (Picture *pic,
          int      lane)
{
  return lane >= 0 ? ls_interpreter_get_lane (pic->model, lane)->label : "(none)";
}

static const char *
kind_name (LsTimelineItemKind kind)
{
  static const char *names[] = { "span", "final-mark", "hold", "step", "mark", "arrow", "cancel",
                                 "deadline", "band", "print", "label", "now", "cursor" };

  return kind < G_N_ELEMENTS (names) ? names[kind] : "?";
}

static char *
describe_item (Picture              *pic,
               const LsTimelineItem *item)
{
  return g_strdup_printf ("%s on %s (row %d) state %u reason %s object %u merged %u "
                          "%.6f..%.6f s value %" G_GINT64_FORMAT " from %s to %s via %s "
                          "at (%.1f, %.1f)-(%.1f, %.1f) text %s",
                          kind_name (item->kind), label_of (pic, item->lane), item->row,
                          item->state, ls_wait_reason_name (item->reason), item->object,
                          item->n_merged, item->start_ns / 1e9, item->end_ns / 1e9, item->value,
                          label_of (pic, item->from_lane), label_of (pic, item->to_lane),
                          label_of (pic, item->via_lane), item->x0, item->y0, item->x1, item->y1,
                          item->text != NULL ? item->text : "-");
}

/* Everything drawn, one line each: shown when a check fails. */
static void
dump_record (Picture *pic)
{
  g_test_message ("%s: %u items", pic->name, pic->record->len);
  for (guint i = 0; i < pic->record->len; i++)
    {
      g_autofree char *text = describe_item (pic, &g_array_index (pic->record, LsTimelineItem, i));

      g_test_message ("  %s", text);
    }
}

#define picture_fail(pic, ...) G_STMT_START {                                     \
    g_autofree char *_msg = g_strdup_printf (__VA_ARGS__);                       \
    dump_record (pic);                                                            \
    g_error ("%s: %s", (pic)->name, _msg);                                        \
  } G_STMT_END

static void
save_png (cairo_surface_t *surface,
          const char      *name)
{
  g_autofree char *file = g_strdup_printf ("timeline-%s.png", name);
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, file, NULL);
  const char *dir = g_getenv ("LOOPSCOPE_TIMELINE_PNG_DIR");

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  if (dir != NULL && *dir != '\0')
    {
      g_autofree char *copy = g_build_filename (dir, file, NULL);

      g_assert_cmpint (cairo_surface_write_to_png (surface, copy), ==, CAIRO_STATUS_SUCCESS);
    }
}

/* Draws @pic with @theme at @zoom, @selected lane (or -1) selected, no
 * "now" line (it would cross the marks at the end) and no cursor. */
static void
picture_render (Picture     *pic,
                const Theme *theme,
                Zoom         zoom,
                int          selected)
{
  gint64 end = run_end (pic);
  gint64 whole = MAX (end + end / 25, MS (1));
  gint64 width = (gint64) (whole / zoom.factor);
  cairo_t *cr;

  pic->theme = theme;
  memset (&pic->view, 0, sizeof pic->view);
  pic->view.width = WIDTH;
  pic->view.height = pic->height;
  pic->view.t0 = zoom.factor <= 1 ? 0 : MAX (0, zoom.centre - width / 2);
  pic->view.t1 = pic->view.t0 + width;
  pic->view.now = -1;
  pic->view.cursor = -1;
  pic->view.selected_lane = selected;
  pic->view.dark = theme->dark;
  pic->view.font_name = "Sans 9";
  pic->view.layout = pic->layout;

  g_clear_pointer (&pic->surface, cairo_surface_destroy);
  g_array_set_size (pic->record, 0);
  pic->surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, pic->height);
  cr = cairo_create (pic->surface);
  ls_timeline_render_recorded (cr, pic->model, &pic->view, pic->record);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (pic->surface);

  g_free (pic->name);
  pic->name = g_strdup_printf ("%s-%s-x%g%s%s", pic->scenario, theme->name, zoom.factor,
                               selected >= 0 ? "-selected-" : "",
                               selected >= 0 ? label_of (pic, selected) : "");
  g_strdelimit (pic->name, " ()\"'", '_');
  save_png (pic->surface, pic->name);
  if (g_getenv ("LOOPSCOPE_TIMELINE_DUMP") != NULL)
    dump_record (pic);
}

/* The items of @kind (on @lane, or any with -1), in drawing order. */
static GPtrArray *
items (Picture            *pic,
       LsTimelineItemKind  kind,
       int                 lane)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < pic->record->len; i++)
    {
      const LsTimelineItem *item = &g_array_index (pic->record, LsTimelineItem, i);

      if (item->kind == kind && (lane < 0 || item->lane == lane))
        g_ptr_array_add (found, (gpointer) item);
    }
  return found;
}

static const LsTimelineItem *
item_at (GPtrArray *array,
         guint      i)
{
  return g_ptr_array_index (array, i);
}

/* ---- pixels ----------------------------------------------------------------- */

static guint32
pixel (Picture *pic,
       double   x,
       double   y)
{
  unsigned char *data = cairo_image_surface_get_data (pic->surface);
  int stride = cairo_image_surface_get_stride (pic->surface);
  int px = (int) floor (x), py = (int) floor (y);

  if (px < 0 || py < 0 || px >= WIDTH || py >= pic->height)
    picture_fail (pic, "probe at (%d, %d) is off the picture", px, py);
  return *(guint32 *) (data + py * stride + px * 4) & 0xffffff;
}

static gboolean
near_colour (guint32 a,
             guint32 b,
             int     tolerance)
{
  for (int shift = 0; shift < 24; shift += 8)
    if (ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff)) > tolerance)
      return FALSE;
  return TRUE;
}

/* The sum of the channels' differences. */
static int
colour_distance (guint32 a,
                 guint32 b)
{
  int sum = 0;

  for (int shift = 0; shift < 24; shift += 8)
    sum += ABS ((int) ((a >> shift) & 0xff) - (int) ((b >> shift) & 0xff));
  return sum;
}

/* @over with @alpha on @under */
static guint32
blend (guint32 over,
       guint32 under,
       double  alpha)
{
  guint32 out = 0;

  for (int shift = 0; shift < 24; shift += 8)
    {
      double c = ((over >> shift) & 0xff) * alpha + ((under >> shift) & 0xff) * (1 - alpha);

      out |= (guint32) lround (c) << shift;
    }
  return out;
}

static void
expect_pixel (Picture    *pic,
              double      x,
              double      y,
              guint32     colour,
              int         tolerance,
              const char *what)
{
  guint32 found = pixel (pic, x, y);

  if (!near_colour (found, colour, tolerance))
    picture_fail (pic, "%s: pixel (%d, %d) is %06x, not %06x", what, (int) floor (x),
                  (int) floor (y), found, colour);
}

static void
expect_not_pixel (Picture    *pic,
                  double      x,
                  double      y,
                  guint32     colour,
                  int         tolerance,
                  const char *what)
{
  guint32 found = pixel (pic, x, y);

  if (near_colour (found, colour, tolerance))
    picture_fail (pic, "%s: pixel (%d, %d) is %06x, too near %06x", what, (int) floor (x),
                  (int) floor (y), found, colour);
}

/* The background of @row's plot area, where nothing is drawn. */
static guint32
row_background (Picture *pic,
                int      row)
{
  if (pic->view.selected_lane >= 0
      && ls_lane_layout_get_row (pic->layout, row)->lane == (guint) pic->view.selected_lane)
    return blend (pic->theme->running, pic->theme->background, 0.12);
  return row % 2 == 1 ? pic->theme->row_alt : pic->theme->background;
}


/* Nothing drawn on @lane's row around @x (a grid line may cross it). */
static void
expect_empty (Picture    *pic,
              int         lane,
              double      x,
              const char *what)
{
  int row = ls_lane_layout_get_lane_row (pic->layout, lane);
  double y = ls_timeline_view_row_y (&pic->view, row);
  guint32 background = row_background (pic, row);
  guint empty = 0;

  for (int i = 0; i < 4; i++)
    for (int j = 2; j < LS_TIMELINE_LANE_HEIGHT - 2; j += 4)
      empty += near_colour (pixel (pic, x + i, y + j), background, 3);
  /* a grid line is one column of the four */
  if (empty < 18)
    picture_fail (pic, "%s: only %u of 24 pixels at x %.0f are the background %06x", what, empty,
                  x, background);
}

/* ---- what must be drawn, and its pixels ------------------------------------------ */

#define ROW_CENTRE (LS_TIMELINE_LANE_HEIGHT / 2)

static gboolean
same_x (double a,
        double b)
{
  return fabs (a - b) < 1e-6;
}

/* Where the renderer puts @t: on the plot, or just beyond its edges. */
static double
clamped_x (Picture *pic,
           gint64   t)
{
  return CLAMP (ls_timeline_view_time_to_x (&pic->view, t), LS_TIMELINE_LABEL_WIDTH - 10.0,
                WIDTH + 10.0);
}

static gboolean
instant_in_view (Picture *pic,
                 gint64   t)
{
  return t >= pic->view.t0 && t <= pic->view.t1;
}

/* The top of the row where @lane's label was drawn: arrows, marks and
 * spans must be on that row. */
static double
label_y (Picture *pic,
         int      lane)
{
  g_autoptr(GPtrArray) labels = items (pic, LS_TIMELINE_ITEM_LABEL, lane);

  if (labels->len != 1)
    picture_fail (pic, "%u labels for %s", labels->len, label_of (pic, lane));
  g_assert_cmpstr (item_at (labels, 0)->text, ==, ls_lane_layout_get_name (pic->layout, lane));
  return item_at (labels, 0)->y0;
}

/* The labels, top to bottom, one a row. */
static void
check_labels (Picture           *pic,
              const char *const *labels,
              guint              n)
{
  g_autoptr(GPtrArray) drawn = items (pic, LS_TIMELINE_ITEM_LABEL, -1);

  if (drawn->len != n)
    picture_fail (pic, "%u labels drawn, not %u", drawn->len, n);
  for (guint i = 0; i < n; i++)
    {
      const LsTimelineItem *item = item_at (drawn, i);

      if (g_strcmp0 (item->text, labels[i]) != 0
          || item->y0 != ls_timeline_view_row_y (&pic->view, (int) i)
          || item->row != (int) i)
        picture_fail (pic, "row %u is labelled \"%s\" at y %.1f, not \"%s\"", i, item->text,
                      item->y0, labels[i]);
    }
}

typedef struct
{
  guint16 reason;
  gint64  start;
  gint64  end;
  guint32 object;  /* what it waits on, or 0: not checked */
} Wait;

/* The waiting outlines on @label's lane are exactly @waits, those in
 * view; each has its outline and an inside that is not filled. */
static void
check_waits (Picture    *pic,
             const char *label,
             const Wait *waits,
             guint       n)
{
  int lane = lane_of (pic, label);
  g_autoptr(GPtrArray) spans = items (pic, LS_TIMELINE_ITEM_SPAN, lane);
  double y = label_y (pic, lane);
  guint32 inside = blend (pic->theme->waiting,
                         row_background (pic, ls_lane_layout_get_lane_row (pic->layout, lane)), 0.10);
  guint k = 0;

  for (guint i = 0; i <= spans->len; i++)
    {
      const LsTimelineItem *item = i < spans->len ? item_at (spans, i) : NULL;
      const Wait *want;
      int px;

      if (item != NULL && item->state != LS_TASK_STATE_WAITING)
        continue;
      while (k < n && (waits[k].start > pic->view.t1 || waits[k].end < pic->view.t0
                       || clamped_x (pic, waits[k].end) - clamped_x (pic, waits[k].start) < 1.0))
        k++;
      if (item == NULL)
        {
          if (k < n)
            picture_fail (pic, "%s: no outline for the wait on %s from %.6f to %.6f s", label,
                          ls_wait_reason_name (waits[k].reason), waits[k].start / 1e9,
                          waits[k].end / 1e9);
          break;
        }
      if (k == n)
        {
          g_autofree char *text = describe_item (pic, item);

          picture_fail (pic, "%s: an outline that should not be there: %s", label, text);
        }
      want = &waits[k++];
      if (item->reason != want->reason || item->start_ns != want->start
          || item->end_ns != want->end || (want->object != 0 && item->object != want->object))
        {
          g_autofree char *text = describe_item (pic, item);

          picture_fail (pic, "%s: drew %s, not a wait on %s from %.6f to %.6f s", label, text,
                        ls_wait_reason_name (want->reason), want->start / 1e9, want->end / 1e9);
        }
      if (!same_x (item->x0, clamped_x (pic, want->start))
          || !same_x (item->x1, clamped_x (pic, want->end))
          || item->y0 != y + LS_TIMELINE_WAIT_TOP
          || item->y1 != y + LS_TIMELINE_WAIT_TOP + LS_TIMELINE_WAIT_HEIGHT)
        picture_fail (pic, "%s: the outline from %.6f s is at (%.1f, %.1f)-(%.1f, %.1f)", label,
                      want->start / 1e9, item->x0, item->y0, item->x1, item->y1);

      /* the top edge in the middle, above the reason written in it and
       * clear of the marks at its ends; the inside just right of its
       * start, before the reason */
      if (MIN (item->x1, WIDTH) - MAX (item->x0, LS_TIMELINE_LABEL_WIDTH) < 24)
        continue;
      px = (int) floor ((MIN (item->x1, WIDTH) + MAX (item->x0, LS_TIMELINE_LABEL_WIDTH)) / 2);
      expect_pixel (pic, px, y + LS_TIMELINE_WAIT_TOP, pic->theme->waiting, 3,
                    "a waiting outline's top edge");
      px = (int) floor (MAX (item->x0, LS_TIMELINE_LABEL_WIDTH)) + 3;
      expect_pixel (pic, px, y + ROW_CENTRE, inside, 40, "inside a waiting outline");
      expect_not_pixel (pic, px, y + ROW_CENTRE, pic->theme->waiting, 40,
                        "inside a waiting outline");
    }
}

/* The running bars on @label's lane: on the virtual clock a task runs in
 * no time, so each is a pixel column holding one or more of @instants (the
 * instants it ran at, in order), and each instant in view is in one. */
static void
check_running (Picture      *pic,
               const char   *label,
               const gint64 *instants,
               guint         n)
{
  int lane = lane_of (pic, label);
  g_autoptr(GPtrArray) spans = items (pic, LS_TIMELINE_ITEM_SPAN, lane);
  double y = label_y (pic, lane);
  guint k = 0;

  while (k < n && !instant_in_view (pic, instants[k]))
    k++;
  for (guint i = 0; i < spans->len; i++)
    {
      const LsTimelineItem *item = item_at (spans, i);
      guint held = 0;

      if (item->state != LS_TASK_STATE_RUNNING)
        continue;
      for (; k < n && instant_in_view (pic, instants[k]) && instants[k] >= item->start_ns
             && instants[k] <= item->end_ns; k++)
        held++;
      if (held == 0)
        {
          g_autofree char *text = describe_item (pic, item);

          picture_fail (pic, "%s: a running bar where it did not run: %s", label, text);
        }
      if (!same_x (item->x0, floor (clamped_x (pic, item->start_ns)) - 1.0)
          || item->x1 - item->x0 != 3.0 || item->y0 != y + LS_TIMELINE_BAR_TOP
          || item->y1 != y + LS_TIMELINE_BAR_TOP + LS_TIMELINE_BAR_HEIGHT)
        picture_fail (pic, "%s: the running bar at %.6f s is at (%.1f, %.1f)-(%.1f, %.1f)",
                      label, item->start_ns / 1e9, item->x0, item->y0, item->x1, item->y1);
      /* its top row: below the print marks, above the end marks */
      expect_pixel (pic, item->x0 + 1, item->y0, pic->theme->running, 3, "a running bar");
    }
  if (k < n && instant_in_view (pic, instants[k]))
    picture_fail (pic, "%s: no running bar at %.6f s", label, instants[k] / 1e9);
}

/* How @lane's task ended, at @t: its mark, on its row, in its colour. */
static void
check_final_on (Picture *pic,
                int      lane,
                guint    state,
                gint64   t)
{
  const char *label = label_of (pic, lane);
  g_autoptr(GPtrArray) marks = items (pic, LS_TIMELINE_ITEM_FINAL_MARK, lane);
  double y = label_y (pic, lane);
  const LsTimelineItem *mark;

  if (!instant_in_view (pic, t))
    {
      if (marks->len != 0)
        picture_fail (pic, "%s: an end mark out of view", label);
      return;
    }
  if (marks->len != 1)
    picture_fail (pic, "%s: %u end marks", label, marks->len);
  mark = item_at (marks, 0);
  if (mark->state != state || mark->start_ns != t)
    picture_fail (pic, "%s: ended %u at %.6f s, not %u at %.6f s", label, mark->state,
                  mark->start_ns / 1e9, state, t / 1e9);
  if (!same_x (mark->x0, ls_timeline_view_time_to_x (&pic->view, t)) || mark->y0 != y + ROW_CENTRE)
    picture_fail (pic, "%s: the end mark is at (%.1f, %.1f)", label, mark->x0, mark->y0);
  /* the edge of a blocked band is drawn over it */
  {
    g_autoptr(GPtrArray) bands = items (pic, LS_TIMELINE_ITEM_BAND, -1);

    for (guint i = 0; i < bands->len; i++)
      if (fabs (item_at (bands, i)->x0 - mark->x0) < 2 || fabs (item_at (bands, i)->x1 - mark->x0) < 2)
        return;
  }
  switch (state)
    {
    case LS_TASK_STATE_DONE:
      expect_pixel (pic, mark->x0, mark->y0, pic->theme->done, 3, "a done tick");
      break;
    case LS_TASK_STATE_CANCELLED:
      expect_pixel (pic, mark->x0, mark->y0, pic->theme->cancelled, 3, "a cancelled cross");
      break;
    case LS_TASK_STATE_FAILED:
      expect_pixel (pic, mark->x0 - 5, mark->y0, pic->theme->failed, 3, "a failed disc");
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
check_final (Picture    *pic,
             const char *label,
             guint       state,
             gint64      t)
{
  check_final_on (pic, lane_of (pic, label), state, t);
}

typedef struct
{
  const char *task;   /* the owner, or the task that set the event */
  gint64      start;
  gint64      end;
} Hold;

/* A lock's owners or an event's set periods: exactly @holds (those in
 * view), filled in @colour; nothing in between. */
static void
check_holds (Picture    *pic,
             const char *label,
             const Hold *holds,
             guint       n,
             guint32     colour)
{
  int lane = lane_of (pic, label);
  g_autoptr(GPtrArray) drawn = items (pic, LS_TIMELINE_ITEM_HOLD, lane);
  double y = label_y (pic, lane);
  guint k = 0;

  for (guint i = 0; i < n; i++)
    {
      const LsTimelineItem *item;

      if (holds[i].end < pic->view.t0 || holds[i].start > pic->view.t1)
        continue;
      if (k == drawn->len)
        picture_fail (pic, "%s: no bar for %s from %.6f s", label, holds[i].task,
                      holds[i].start / 1e9);
      item = item_at (drawn, k++);
      if (item->object != object_of (pic, holds[i].task) || item->start_ns != holds[i].start
          || item->end_ns != holds[i].end)
        {
          g_autofree char *text = describe_item (pic, item);

          picture_fail (pic, "%s: drew %s, not %s from %.6f to %.6f s", label, text,
                        holds[i].task, holds[i].start / 1e9, holds[i].end / 1e9);
        }
      if (!same_x (item->x0, clamped_x (pic, holds[i].start)) || item->y0 != y + LS_TIMELINE_BAR_TOP)
        picture_fail (pic, "%s: the bar from %.6f s is at (%.1f, %.1f)", label,
                      holds[i].start / 1e9, item->x0, item->y0);
      if (MIN (item->x1, WIDTH) - MAX (item->x0, LS_TIMELINE_LABEL_WIDTH) >= 2)
        expect_pixel (pic, floor ((MAX (item->x0, LS_TIMELINE_LABEL_WIDTH)
                                   + MIN (item->x1, WIDTH)) / 2), item->y0, colour, 3, "a hold");
    }
  if (k != drawn->len)
    {
      g_autofree char *text = describe_item (pic, item_at (drawn, k));

      picture_fail (pic, "%s: a bar that should not be there: %s", label, text);
    }
}

/* An event's clear periods on @label's lane: an outline in the event's
 * colour from each @starts to @ends, its edge drawn. */
static void
check_clear (Picture      *pic,
             const char   *label,
             const gint64 *starts,
             const gint64 *ends,
             guint         n)
{
  int lane = lane_of (pic, label);
  g_autoptr(GPtrArray) drawn = items (pic, LS_TIMELINE_ITEM_CLEAR, lane);
  double y = label_y (pic, lane);
  guint k = 0;

  for (guint i = 0; i < n; i++)
    {
      const LsTimelineItem *item;

      if (ends[i] < pic->view.t0 || starts[i] > pic->view.t1)
        continue;
      if (k == drawn->len)
        picture_fail (pic, "%s: no clear period from %.6f s", label, starts[i] / 1e9);
      item = item_at (drawn, k++);
      if (item->start_ns != starts[i] || item->end_ns != ends[i]
          || !same_x (item->x0, clamped_x (pic, starts[i]))
          || item->y0 != y + LS_TIMELINE_WAIT_TOP)
        {
          g_autofree char *text = describe_item (pic, item);

          picture_fail (pic, "%s: drew %s, not clear from %.6f to %.6f s", label, text,
                        starts[i] / 1e9, ends[i] / 1e9);
        }
      if (MIN (item->x1, WIDTH) - MAX (item->x0, LS_TIMELINE_LABEL_WIDTH) > 40)
        {
          /* a dashed edge: one of a few pixels along it is the colour */
          double x = floor ((MAX (item->x0, LS_TIMELINE_LABEL_WIDTH) + MIN (item->x1, WIDTH)) / 2);
          gboolean edge = FALSE;

          for (int d = 0; d < 6 && !edge; d++)
            edge = near_colour (pixel (pic, x + d, item->y0 + 0.5), pic->theme->event, 40);
          if (!edge)
            picture_fail (pic, "%s: the clear period's edge is not drawn at x %.0f", label, x);
        }
    }
  if (k != drawn->len)
    picture_fail (pic, "%s: %u clear periods drawn, not %u", label, drawn->len, k);
}

typedef struct
{
  const char *task;
  guint       position;  /* 0: first in line */
  gint64      start;
  gint64      end;
} Waiter;

/* The waiter chips under @label's lane that wait (not yet woken) are
 * exactly @waiters, first in line on top, each named when it fits. */
static void
check_waiters (Picture      *pic,
               const char   *label,
               const Waiter *waiters,
               guint         n)
{
  int lane = lane_of (pic, label);
  g_autoptr(GPtrArray) drawn = items (pic, LS_TIMELINE_ITEM_WAITER, lane);
  int row = ls_lane_layout_get_lane_row (pic->layout, lane);
  const LsLaneRow *r = ls_lane_layout_get_row (pic->layout, row);
  guint found = 0;

  for (guint k = 0; k < drawn->len; k++)
    {
      const LsTimelineItem *item = item_at (drawn, k);

      if (item->state != LS_WAITER_WAITING)
        continue;
      found++;
      for (guint i = 0; i <= n; i++)
        {
          if (i == n)
            {
              g_autofree char *text = describe_item (pic, item);

              picture_fail (pic, "%s: a waiter that should not be there: %s", label, text);
            }
          if (item->object == object_of (pic, waiters[i].task)
              && item->n_merged == waiters[i].position && item->start_ns == waiters[i].start
              && item->end_ns == waiters[i].end)
            break;
        }
      /* under the lane's own bars, in its row, one position a slot */
      if (item->y0 < label_y (pic, lane) + LS_TIMELINE_LANE_HEIGHT
          || item->y1 > label_y (pic, lane) + r->height
          || (item->text != NULL && !g_str_equal (item->text, label_of (pic, lane_of (pic,
                                                                    waiters[0].task)))
              && item->n_merged == 0))
        {
          g_autofree char *text = describe_item (pic, item);

          picture_fail (pic, "%s: a waiter off its place: %s", label, text);
        }
    }
  if (found != n)
    picture_fail (pic, "%s: %u waiters drawn, not %u", label, found, n);
}

typedef struct
{
  LsTimelineArrowKind kind;
  int                 from;
  int                 to;
  int                 via;   /* or -1 */
  gint64              time;  /* on the virtual clock cause and effect share an instant */
} Arrow;

static double
bezier (double p0,
        double c0,
        double c1,
        double p1,
        double t)
{
  double u = 1 - t;

  return u * u * u * p0 + 3 * u * u * t * c0 + 3 * u * t * t * c1 + t * t * t * p1;
}

/* An arrow's pixels: a dot at the tail, a head at the tip (wide where
 * the tail is thin: a reversed arrow fails here), the curve between. The
 * side of the tail is only looked at when no other arrow ends near it. */
static void
probe_arrow (Picture              *pic,
             const LsTimelineItem *arrow,
             guint32               colour,
             gboolean              tail_alone)
{
  double dx, dy, len, nx, ny;
  int on_curve = 0, on_plot = 5;

  expect_pixel (pic, arrow->x0, arrow->y0, colour, 3, "an arrow's tail");

  dx = arrow->x1 - arrow->cx1, dy = arrow->y1 - arrow->cy1;
  len = hypot (dx, dy);
  dx /= len, dy /= len;
  nx = -dy, ny = dx;
  expect_pixel (pic, arrow->x1 - 5.5 * dx + 1.0 * nx, arrow->y1 - 5.5 * dy + 1.0 * ny, colour, 60,
                "an arrow's head");
  expect_pixel (pic, arrow->x1 - 5.5 * dx - 1.0 * nx, arrow->y1 - 5.5 * dy - 1.0 * ny, colour, 60,
                "an arrow's head");

  dx = arrow->cx0 - arrow->x0, dy = arrow->cy0 - arrow->y0;
  len = hypot (dx, dy);
  dx /= len, dy /= len;
  nx = -dy, ny = dx;
  if (tail_alone)
    {
      expect_not_pixel (pic, arrow->x0 + 5.5 * dx + 2.2 * nx, arrow->y0 + 5.5 * dy + 2.2 * ny,
                        colour, 40, "beside an arrow's tail");
      expect_not_pixel (pic, arrow->x0 + 5.5 * dx - 2.2 * nx, arrow->y0 + 5.5 * dy - 2.2 * ny,
                        colour, 40, "beside an arrow's tail");
    }

  /* the curve, where it is on the plot (a bow at the end of the run goes
   * past the right edge) */
  for (double t = 0.3; t < 0.75; t += 0.1)
    {
      double x = bezier (arrow->x0, arrow->cx0, arrow->cx1, arrow->x1, t);
      double y = bezier (arrow->y0, arrow->cy0, arrow->cy1, arrow->y1, t);
      gboolean hit = FALSE;

      if (x < LS_TIMELINE_LABEL_WIDTH + 1 || x > WIDTH - 2 || y < LS_TIMELINE_AXIS_HEIGHT + 1
          || y > pic->height - 2)
        {
          on_plot--;
          continue;
        }
      for (int i = -1; i <= 1 && !hit; i++)
        for (int j = -1; j <= 1 && !hit; j++)
          hit = near_colour (pixel (pic, x + i, y + j), colour, 60);
      on_curve += hit;
    }
  if (on_curve < MIN (2, on_plot))
    picture_fail (pic, "an arrow from (%.1f, %.1f) to (%.1f, %.1f): its curve is not drawn",
                  arrow->x0, arrow->y0, arrow->x1, arrow->y1);
}

/* The wake-up, handoff and cancel arrows drawn are exactly @arrows (those
 * in view), each from the
 * middle of its tail's row to its head's: a cancel arrow ends on the
 * cancel mark at the bottom of the cancelled task's row. */
static void
check_arrows (Picture     *pic,
              const Arrow *arrows,
              guint        n)
{
  g_autoptr(GPtrArray) drawn = items (pic, LS_TIMELINE_ITEM_ARROW, -1);
  g_autofree gboolean *used = NULL;
  guint expected = 0;

  /* the timers' and I/O's arrows have checks of their own */
  for (guint k = drawn->len; k > 0; k--)
    if (item_at (drawn, k - 1)->state == LS_TIMELINE_ARROW_TIMER
        || item_at (drawn, k - 1)->state == LS_TIMELINE_ARROW_IO)
      g_ptr_array_remove_index (drawn, k - 1);
  used = g_new0 (gboolean, drawn->len + 1);

  for (guint i = 0; i < n; i++)
    {
      const Arrow *want = &arrows[i];
      const LsTimelineItem *found = NULL;
      gboolean tail_alone;
      double to_y;

      if (!instant_in_view (pic, want->time))
        continue;
      expected++;
      for (guint k = 0; k < drawn->len && found == NULL; k++)
        {
          const LsTimelineItem *item = item_at (drawn, k);

          if (!used[k] && item->state == want->kind && item->from_lane == want->from
              && item->to_lane == want->to && item->start_ns == want->time
              && item->end_ns == want->time)
            {
              used[k] = TRUE;
              found = item;
            }
        }
      if (found == NULL)
        picture_fail (pic, "no %s arrow from %s to %s at %.6f s",
                      want->kind == LS_TIMELINE_ARROW_WAKEUP ? "wake-up"
                      : want->kind == LS_TIMELINE_ARROW_HANDOFF ? "handoff" : "cancel",
                      label_of (pic, want->from), label_of (pic, want->to), want->time / 1e9);
      if (found->via_lane != want->via)
        picture_fail (pic, "the arrow from %s to %s at %.6f s goes via %s, not %s",
                      label_of (pic, want->from), label_of (pic, want->to), want->time / 1e9,
                      label_of (pic, found->via_lane), label_of (pic, want->via));
      to_y = label_y (pic, want->to)
             + (want->kind == LS_TIMELINE_ARROW_CANCEL ? LS_TIMELINE_LANE_HEIGHT - 6 : ROW_CENTRE);
      if (!same_x (found->x0, ls_timeline_view_time_to_x (&pic->view, want->time))
          || !same_x (found->x1, found->x0) || found->y0 != label_y (pic, want->from) + ROW_CENTRE
          || found->y1 != to_y || found->lane != want->from)
        picture_fail (pic, "the arrow from %s to %s at %.6f s is drawn from (%.1f, %.1f) to "
                      "(%.1f, %.1f)", label_of (pic, want->from), label_of (pic, want->to),
                      want->time / 1e9, found->x0, found->y0, found->x1, found->y1);
      tail_alone = TRUE;
      for (guint k = 0; k < drawn->len; k++)
        if (item_at (drawn, k) != found
            && hypot (item_at (drawn, k)->x1 - found->x0, item_at (drawn, k)->y1 - found->y0) < 12)
          tail_alone = FALSE;
      probe_arrow (pic, found, want->kind == LS_TIMELINE_ARROW_CANCEL ? pic->theme->cancelled
                                                                      : pic->theme->link,
                   tail_alone);
    }
  if (drawn->len != expected)
    {
      for (guint k = 0; k < drawn->len; k++)
        if (!used[k])
          {
            g_autofree char *text = describe_item (pic, item_at (drawn, k));

            picture_fail (pic, "an arrow that should not be there: %s", text);
          }
    }
}

typedef struct
{
  const char *to;
  const char *from;   /* or NULL: no task asked */
  gint64      time;
  gboolean    effective;
} Cancel;

/* The cancel marks: a triangle on the bottom edge of the cancelled task's
 * row, filled when the request took effect. */
static void
check_cancels (Picture      *pic,
               const Cancel *cancels,
               guint         n)
{
  g_autoptr(GPtrArray) drawn = items (pic, LS_TIMELINE_ITEM_CANCEL, -1);
  guint k = 0;

  for (guint i = 0; i < n; i++)
    {
      const LsTimelineItem *item;
      double y, x;

      if (!instant_in_view (pic, cancels[i].time))
        continue;
      if (k == drawn->len)
        picture_fail (pic, "no cancel mark on %s at %.6f s", cancels[i].to, cancels[i].time / 1e9);
      item = item_at (drawn, k++);
      if (item->lane != lane_of (pic, cancels[i].to) || item->to_lane != item->lane
          || item->from_lane != (cancels[i].from != NULL ? lane_of (pic, cancels[i].from) : -1)
          || item->start_ns != cancels[i].time || item->value != cancels[i].effective)
        {
          g_autofree char *text = describe_item (pic, item);

          picture_fail (pic, "drew %s, not the cancel of %s at %.6f s", text, cancels[i].to,
                        cancels[i].time / 1e9);
        }
      y = label_y (pic, item->lane);
      x = ls_timeline_view_time_to_x (&pic->view, cancels[i].time);
      if (!same_x (item->x0, x - 4) || item->y1 != y + LS_TIMELINE_LANE_HEIGHT - 0.5)
        picture_fail (pic, "the cancel mark on %s is at (%.1f, %.1f)-(%.1f, %.1f)", cancels[i].to,
                      item->x0, item->y0, item->x1, item->y1);
      if (cancels[i].effective)
        expect_pixel (pic, x, y + LS_TIMELINE_LANE_HEIGHT - 3, pic->theme->cancelled, 3,
                      "a cancel mark");
    }
  if (k != drawn->len)
    {
      g_autofree char *text = describe_item (pic, item_at (drawn, k));

      picture_fail (pic, "a cancel mark that should not be there: %s", text);
    }
}

/* The step chart on @label's lane: @values from @starts on, filled below
 * the line; empty above it. */
static void
check_steps (Picture      *pic,
             const char   *label,
             const gint64 *starts,
             const gint64 *values,
             guint         n,
             gint64        scale)
{
  int lane = lane_of (pic, label);
  g_autoptr(GPtrArray) drawn = items (pic, LS_TIMELINE_ITEM_STEP, lane);
  double y = label_y (pic, lane);
  /* the chart's height in its row (ls-timeline-renderer-lanes.c) */
  double top = y + 12.0, bottom = y + LS_LANE_CHART_HEIGHT - 4.0;
  guint32 background = row_background (pic, ls_lane_layout_get_lane_row (pic->layout, lane));

  if (drawn->len != n)
    picture_fail (pic, "%s: %u steps, not %u", label, drawn->len, n);
  for (guint i = 0; i < n; i++)
    {
      const LsTimelineItem *item = item_at (drawn, i);
      double level = bottom - (double) values[i] * (bottom - top) / scale;
      double x;

      if (item->start_ns != starts[i] || item->value != values[i])
        picture_fail (pic, "%s: step %u is %" G_GINT64_FORMAT " from %.6f s, not %"
                      G_GINT64_FORMAT " from %.6f s", label, i, item->value,
                      item->start_ns / 1e9, values[i], starts[i] / 1e9);
      if (fabs (item->y0 - level) > 1e-6 || !same_x (item->x0, clamped_x (pic, starts[i])))
        picture_fail (pic, "%s: step %u is drawn at (%.1f, %.1f)", label, i, item->x0, item->y0);
      /* the middle of the level in view, clear of the values written at
       * its left */
      if (MIN (item->x1, WIDTH) - MAX (item->x0, LS_TIMELINE_LABEL_WIDTH) < 40)
        continue;
      x = floor (MIN (item->x1, WIDTH) - 12);
      if (values[i] > 0)
        expect_pixel (pic, x, floor ((level + bottom) / 2), blend (pic->theme->steps, background,
                                                                   0.25), 12, "below a step");
      expect_pixel (pic, x, floor (level) - 3, background, 12, "above a step");
    }
}

typedef struct
{
  guint16  reason;
  gint64   start;
  gint64   deadline;
  gint64   end;      /* where its scope ended, or 0: at the deadline */
  gboolean fired;
} Deadline;

/* Timeouts: a bracket along the top of @label's row from where the
 * deadline was set to where it falls due, or to where its scope ended
 * first; a dashed tick at the deadline when it fired. */
static void
check_deadlines (Picture        *pic,
                 const char     *label,
                 const Deadline *deadlines,
                 guint           n)
{
  int lane = lane_of (pic, label);
  g_autoptr(GPtrArray) drawn = items (pic, LS_TIMELINE_ITEM_DEADLINE, lane);
  double y = label_y (pic, lane);
  guint k = 0;

  for (guint i = 0; i < n; i++)
    {
      const LsTimelineItem *item;
      gint64 stop = deadlines[i].end > 0 ? MIN (deadlines[i].end, deadlines[i].deadline)
                                         : deadlines[i].deadline;
      gboolean tick = deadlines[i].fired && deadlines[i].deadline >= pic->view.t0
                      && deadlines[i].deadline <= pic->view.t1;
      double x0, x1;

      if (stop < pic->view.t0 || deadlines[i].start > pic->view.t1)
        continue;
      if (k == drawn->len)
        picture_fail (pic, "%s: no deadline from %.6f s", label, deadlines[i].start / 1e9);
      item = item_at (drawn, k++);
      x0 = clamped_x (pic, deadlines[i].start);
      x1 = clamped_x (pic, stop);
      if (item->reason != deadlines[i].reason || item->start_ns != deadlines[i].start
          || item->end_ns != stop || !same_x (item->x0, x0)
          || !same_x (item->x1, x1) || item->y0 != y + 2 || item->value != tick)
        {
          g_autofree char *text = describe_item (pic, item);

          picture_fail (pic, "%s: drew %s, not the deadline from %.6f to %.6f s", label, text,
                        deadlines[i].start / 1e9, stop / 1e9);
        }
      if (MIN (x1, WIDTH) - MAX (x0, LS_TIMELINE_LABEL_WIDTH) > 10)
        expect_pixel (pic, floor ((MAX (x0, LS_TIMELINE_LABEL_WIDTH) + MIN (x1, WIDTH)) / 2), y + 1,
                      pic->theme->cancelled, 3, "a deadline's bracket");
      /* past the scope's end, nothing of it: the row's own background */
      if (stop < deadlines[i].deadline && x1 + 30 < WIDTH && stop < run_end (pic))
        expect_not_pixel (pic, x1 + 20, y + 2, pic->theme->cancelled, 40,
                          "a deadline past its scope's end");
    }
  if (k != drawn->len)
    picture_fail (pic, "%s: %u deadlines drawn, not %u", label, drawn->len, k);
}

/* ---- the scenarios ------------------------------------------------------------------ */

/* The exception's name written beside @label's failed mark, in the
 * failure's colour. */
static void
check_error_name (Picture    *pic,
                  const char *label,
                  const char *name)
{
  int lane = lane_of (pic, label);
  g_autoptr(GPtrArray) marks = items (pic, LS_TIMELINE_ITEM_FINAL_MARK, lane);
  const LsTimelineItem *mark;
  guint red = 0;

  if (marks->len != 1)
    picture_fail (pic, "%s: %u end marks", label, marks->len);
  mark = item_at (marks, 0);
  if (g_strcmp0 (mark->text, name) != 0)
    picture_fail (pic, "%s: its end says \"%s\", not \"%s\"", label,
                  mark->text != NULL ? mark->text : "(nothing)", name);
  /* the letters, right of the mark or left of it at the right edge */
  for (double x = mark->x0 - 70; x < mark->x0 + 70; x += 1)
    if (fabs (x - mark->x0) > 9 && x > LS_TIMELINE_LABEL_WIDTH && x < WIDTH)
      for (int dy = -4; dy <= 4; dy++)
        red += near_colour (pixel (pic, x, mark->y0 + dy), pic->theme->failed, 60);
  if (red < 20)
    picture_fail (pic, "%s: \"%s\" is not written beside its mark (%u pixels)", label, name, red);
}

/* downloader: each of the five downloads runs under a 30 s timeout() (or
 * wait_for); none falls due: each bracket ends with its download, long
 * before 30 s, and none has the dashed tick of a deadline that fired. */
static void
test_downloader_deadlines (void)
{
  g_autoptr(Picture) pic = picture_new ("downloader");
  GArray *deadlines = ls_interpreter_get_deadlines (pic->model);
  guint checked = 0;

  g_assert_cmpuint (deadlines->len, ==, 5);
  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    {
      picture_render (pic, &themes[t], (Zoom) { 1, 0 }, -1);
      for (guint i = 0; i < deadlines->len; i++)
        {
          const LsTimelineDeadline *d = &g_array_index (deadlines, LsTimelineDeadline, i);
          int lane = ls_interpreter_find_lane (pic->model, d->task_id);
          const LsTimelineLane *l = ls_interpreter_get_lane (pic->model, lane);
          gint64 task_end = g_array_index (l->spans, LsTimelineSpan, l->spans->len - 1).start_ns;
          Deadline want = { d->reason, d->start_ns, d->deadline_ns, d->end_ns, FALSE };

          /* the scope is the download's: it ends when the task does */
          g_assert_false (d->expired);
          g_assert_cmpint (d->deadline_ns - d->start_ns, ==, G_GINT64_CONSTANT (30000000000));
          g_assert_cmpint (d->end_ns, !=, LS_TIMELINE_OPEN);
          g_assert_cmpint (d->end_ns, <=, task_end);
          g_assert_cmpint (d->end_ns, >=, d->start_ns);
          check_deadlines (pic, l->label, &want, 1);
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, 2 * 5);
}

/* A selected sleeper: the timer that ended each sleep is a clock mark at
 * its end and a dotted arrow over the lane from where it was set. lock's
 * Task 2 sleeps 100 ms holding the lock, from 0.2 s; file-io's reads are
 * woken by their I/O completions. */
static void
test_wakes (void)
{
  g_autoptr(Picture) lock = picture_new ("lock");
  g_autoptr(Picture) files = picture_new ("file-io");
  int task2 = lane_of (lock, "Task 2");
  g_autoptr(GPtrArray) arrows = NULL;
  g_autoptr(GPtrArray) marks = NULL;
  const LsTimelineItem *timer = NULL;
  int reader = -1;

  picture_render (lock, &themes[0], (Zoom) { 1, 0 }, task2);
  arrows = items (lock, LS_TIMELINE_ITEM_ARROW, -1);
  for (guint k = 0; k < arrows->len; k++)
    if (item_at (arrows, k)->state == LS_TIMELINE_ARROW_TIMER)
      {
        g_assert_null (timer);
        timer = item_at (arrows, k);
      }
  g_assert_nonnull (timer);
  g_assert_cmpint (timer->from_lane, ==, task2);
  g_assert_cmpint (timer->to_lane, ==, task2);
  g_assert_cmpint (timer->start_ns, ==, MS (200));
  g_assert_cmpint (timer->end_ns, ==, MS (300));
  /* over the lane's top, bowing up */
  g_assert_cmpfloat (timer->y0, ==, label_y (lock, task2) + 5);
  g_assert_cmpfloat (timer->cy0, <, timer->y0);
  probe_arrow (lock, timer, lock->theme->link, TRUE);
  marks = items (lock, LS_TIMELINE_ITEM_WAKE, task2);
  g_assert_cmpuint (marks->len, ==, 1);
  g_assert_cmpuint (item_at (marks, 0)->state, ==, LS_TIMELINE_WAKE_TIMER);
  g_assert_cmpint (item_at (marks, 0)->end_ns, ==, MS (300));
  expect_pixel (lock, (item_at (marks, 0)->x0 + item_at (marks, 0)->x1) / 2,
                item_at (marks, 0)->y0 + 0.5, lock->theme->link, 60, "a timer's clock");

  /* unselected, nothing of it */
  picture_render (lock, &themes[0], (Zoom) { 1, 0 }, -1);
  g_clear_pointer (&marks, g_ptr_array_unref);
  marks = items (lock, LS_TIMELINE_ITEM_WAKE, -1);
  g_assert_cmpuint (marks->len, ==, 0);

  /* an I/O completion: the first task an I/O woke */
  for (guint i = 0; i < ls_interpreter_get_wakes (files->model)->len && reader < 0; i++)
    {
      const LsTimelineWake *w = &g_array_index (ls_interpreter_get_wakes (files->model),
                                                LsTimelineWake, i);

      if (w->kind == LS_TIMELINE_WAKE_IO && w->task_id != 0)
        reader = ls_interpreter_find_lane (files->model, w->task_id);
    }
  g_assert_cmpint (reader, >=, 0);
  picture_render (files, &themes[1], (Zoom) { 1, 0 }, reader);
  g_clear_pointer (&marks, g_ptr_array_unref);
  marks = items (files, LS_TIMELINE_ITEM_WAKE, reader);
  g_assert_cmpuint (marks->len, >=, 1);
  g_assert_cmpuint (item_at (marks, 0)->state, ==, LS_TIMELINE_WAKE_IO);
}

/* The capacity of a chart, dashed and written: the semaphore's 3 permits
 * at the top of its chart. */
static void
check_capacity (Picture    *pic,
                const char *label,
                gint64      capacity)
{
  int lane = lane_of (pic, label);
  g_autoptr(GPtrArray) drawn = items (pic, LS_TIMELINE_ITEM_CAPACITY, lane);
  double top = label_y (pic, lane) + 12.0;

  if (drawn->len != 1)
    picture_fail (pic, "%s: %u capacity lines", label, drawn->len);
  if (item_at (drawn, 0)->value != capacity || item_at (drawn, 0)->y0 != round (top) + 0.5)
    {
      g_autofree char *text = describe_item (pic, item_at (drawn, 0));

      picture_fail (pic, "%s: the capacity drawn is %s", label, text);
    }
}

/* With the window's layout, producer-consumer folds each consumer's
 * queue.get() tasks into one row under it: their waits are drawn there. */
static void
test_groups (void)
{
  g_autoptr(Picture) pic = picture_new ("producer-consumer");
  g_autoptr(GPtrArray) labels = NULL;
  int consumer = lane_of (pic, "Consumer 2");
  guint on_group = 0;
  int group_row = -1;

  g_clear_object (&pic->layout);
  pic->layout = ls_lane_layout_new (pic->model);
  picture_render (pic, &themes[0], (Zoom) { 1, 0 }, -1);
  labels = items (pic, LS_TIMELINE_ITEM_LABEL, -1);
  g_assert_cmpuint (labels->len, ==, 10);
  for (guint k = 0; k < labels->len; k++)
    if (item_at (labels, k)->state == LS_LANE_ROW_GROUP
        && ls_lane_layout_get_group (pic->layout, item_at (labels, k)->object)->parent
           == (guint) consumer)
      {
        group_row = item_at (labels, k)->row;
        g_assert_cmpstr (item_at (labels, k)->text, ==, "queue.get() ×7");
        g_assert_cmpint (group_row, ==, ls_lane_layout_get_lane_row (pic->layout, consumer) + 1);
      }
  g_assert_cmpint (group_row, >=, 0);
  for (guint k = 0; k < pic->record->len; k++)
    {
      const LsTimelineItem *item = &g_array_index (pic->record, LsTimelineItem, k);

      if (item->kind != LS_TIMELINE_ITEM_SPAN || item->row != group_row)
        continue;
      g_assert_cmpint (ls_lane_layout_get_lane_group (pic->layout, item->lane), ==,
                       ls_lane_layout_get_row (pic->layout, group_row)->group);
      g_assert_cmpfloat (item->y0, >=, ls_timeline_view_row_y (&pic->view, group_row));
      on_group += item->state == LS_TASK_STATE_WAITING;
    }
  /* each of the seven waited for the queue at least once, or ran at once */
  g_assert_cmpuint (on_group, >=, 3);
}

/* Lock: five tasks take the lock in turn for 100 ms each; the lock's
 * lane shows the owners one after the other, each waiter's lane the wait
 * for the lock and then the sleep inside it, and the handoffs go from the
 * task that released the lock, by way of the lock, to the next owner. */
static void
test_lock (void)
{
  g_autoptr(Picture) pic = picture_new ("lock");
  static const Zoom zooms[] = { { 1, 0 }, { 4, MS (250) }, { 25, MS (200) } };
  static const char *const rows[] = { "Task-1", "Task 0", "Task 1", "Task 2", "Task 3", "Task 4",
                                      "Lock self.lock" };
  int lock = lane_of (pic, "Lock self.lock");
  guint32 lock_id = ls_interpreter_get_lane (pic->model, lock)->object_id;
  Hold owners[5];
  Arrow handoffs[4];

  for (int k = 0; k < 5; k++)
    owners[k] = (Hold) { rows[k + 1], MS (100 * k), MS (100 * (k + 1)) };
  for (int k = 0; k < 4; k++)
    handoffs[k] = (Arrow) { LS_TIMELINE_ARROW_HANDOFF, lane_of (pic, rows[k + 1]),
                            lane_of (pic, rows[k + 2]), lock, MS (100 * (k + 1)) };

  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
      {
        g_autoptr(GPtrArray) arrows = NULL;

        picture_render (pic, &themes[t], zooms[z], -1);
        check_labels (pic, rows, G_N_ELEMENTS (rows));
        check_waits (pic, "Task-1", (Wait[]) { { LS_WAIT_GATHER, 0, MS (500), 0 } }, 1);
        check_running (pic, "Task-1", (gint64[]) { 0, MS (500) }, 2);
        check_final (pic, "Task-1", LS_TASK_STATE_DONE, MS (500));
        check_waits (pic, "Task 0", (Wait[]) { { LS_WAIT_SLEEP, 0, MS (100), 0 } }, 1);
        check_running (pic, "Task 0", (gint64[]) { 0, MS (100) }, 2);
        check_final (pic, "Task 0", LS_TASK_STATE_DONE, MS (100));
        for (int k = 1; k < 5; k++)
          {
            Wait waits[] = { { LS_WAIT_LOCK, 0, MS (100 * k), lock_id },
                             { LS_WAIT_SLEEP, MS (100 * k), MS (100 * (k + 1)), 0 } };
            gint64 ran[] = { 0, MS (100 * k), MS (100 * (k + 1)) };

            check_waits (pic, rows[k + 1], waits, G_N_ELEMENTS (waits));
            check_running (pic, rows[k + 1], ran, G_N_ELEMENTS (ran));
            check_final (pic, rows[k + 1], LS_TASK_STATE_DONE, MS (100 * (k + 1)));
          }
        check_holds (pic, "Lock self.lock", owners, G_N_ELEMENTS (owners), pic->theme->hold);
        /* arrows only for the selected lane */
        arrows = items (pic, LS_TIMELINE_ITEM_ARROW, -1);
        g_assert_cmpuint (arrows->len, ==, 0);

        picture_render (pic, &themes[t], zooms[z], lock);
        check_arrows (pic, handoffs, G_N_ELEMENTS (handoffs));
        check_holds (pic, "Lock self.lock", owners, G_N_ELEMENTS (owners), pic->theme->hold);

        picture_render (pic, &themes[t], zooms[z], lane_of (pic, "Task 2"));
        check_arrows (pic, &handoffs[1], 2);
      }
}

/* Producers and consumers: every put that woke a waiting get is an arrow
 * from the producer, by way of the queue, to the get; the get's task then
 * wakes the consumer that created it. The handoffs are read from the
 * trace itself. */
static void
test_producer_consumer (void)
{
  g_autoptr(Picture) pic = picture_new ("producer-consumer");
  LsTrace *trace = ls_test_run_trace (pic->run);
  int queue = lane_of (pic, "Queue self.queue");
  guint32 queue_id = ls_interpreter_get_lane (pic->model, queue)->object_id;
  g_autoptr(GArray) handoffs = g_array_new (FALSE, FALSE, sizeof (Arrow));
  const Arrow *first;

  for (guint64 i = 0; i < ls_trace_get_n_records (trace); i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (trace, i);
      Arrow arrow;

      if (r->kind != LS_TRACE_PRIMITIVE || r->reason != LS_PRIMITIVE_HANDOFF
          || r->object != queue_id)
        continue;
      arrow = (Arrow) { LS_TIMELINE_ARROW_HANDOFF, ls_interpreter_find_lane (pic->model, r->subject),
                        ls_interpreter_find_lane (pic->model, r->peer), queue, r->time };
      /* a put handing an item to a get that waited */
      g_assert_true (g_str_has_prefix (label_of (pic, arrow.from), "Producer "));
      g_assert_cmpstr (label_of (pic, arrow.to), ==, "queue.get()");
      g_array_append_val (handoffs, arrow);
    }
  g_assert_cmpuint (handoffs->len, >=, 3);
  first = &g_array_index (handoffs, Arrow, 0);

  pic->height = 900;  /* every lane in view */
  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    {
      Zoom zooms[] = { { 1, 0 }, { 6, first->time } };

      for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
        {
          int consumer = ls_interpreter_find_lane (pic->model, ls_interpreter_get_lane (
                                                     pic->model, first->to)->creator_id);
          Arrow chain[] = { *first, { LS_TIMELINE_ARROW_WAKEUP, first->to, consumer, -1,
                                      first->time } };

          picture_render (pic, &themes[t], zooms[z], queue);
          check_arrows (pic, (const Arrow *) handoffs->data, handoffs->len);

          /* the get that was handed the first item: the put came in, the
           * consumer was woken */
          g_assert_true (g_str_has_prefix (label_of (pic, consumer), "Consumer "));
          picture_render (pic, &themes[t], zooms[z], first->to);
          check_arrows (pic, chain, G_N_ELEMENTS (chain));
        }
    }
}

/* Cancelling a task: the long task sleeps ten times 100 ms, then main
 * cancels it at 1 s; the cancel mark sits on the long task's row, filled
 * (it took effect), the arrow comes from main, the long task ends
 * cancelled and wakes main, which ends done. */
static void
test_task_cancel (void)
{
  g_autoptr(Picture) pic = picture_new ("task-cancel");
  static const Zoom zooms[] = { { 1, 0 }, { 3, MS (500) }, { 8, MS (1000) } };
  static const char *const rows[] = { "Task-1", "Long task" };
  Wait sleeps[10];
  gint64 ran[11];
  Arrow arrows[] = {
    { LS_TIMELINE_ARROW_WAKEUP, lane_of (pic, "Long task"), lane_of (pic, "Task-1"), -1, MS (1000) },
    { LS_TIMELINE_ARROW_CANCEL, lane_of (pic, "Task-1"), lane_of (pic, "Long task"), -1, MS (1000) },
  };
  static const Cancel cancels[] = { { "Long task", "Task-1", MS (1000), TRUE } };

  for (int k = 0; k < 10; k++)
    sleeps[k] = (Wait) { LS_WAIT_SLEEP, MS (100 * k), MS (100 * (k + 1)), 0 };
  for (int k = 0; k <= 10; k++)
    ran[k] = MS (100 * k);

  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
      {
        picture_render (pic, &themes[t], zooms[z], -1);
        check_labels (pic, rows, G_N_ELEMENTS (rows));
        check_waits (pic, "Task-1", (Wait[]) { { LS_WAIT_SLEEP, 0, MS (1000), 0 } }, 1);
        check_running (pic, "Task-1", (gint64[]) { 0, MS (1000) }, 2);
        check_final (pic, "Task-1", LS_TASK_STATE_DONE, MS (1000));
        check_waits (pic, "Long task", sleeps, G_N_ELEMENTS (sleeps));
        check_running (pic, "Long task", ran, G_N_ELEMENTS (ran));
        check_final (pic, "Long task", LS_TASK_STATE_CANCELLED, MS (1000));
        check_cancels (pic, cancels, G_N_ELEMENTS (cancels));

        for (int selected = 0; selected < 2; selected++)
          {
            picture_render (pic, &themes[t], zooms[z], lane_of (pic, rows[selected]));
            check_arrows (pic, arrows, G_N_ELEMENTS (arrows));
            check_cancels (pic, cancels, G_N_ELEMENTS (cancels));
          }
      }
}

/* Events: the event lane is filled while the event is set, and only then.
 * In "event" the setter sets it after 3 s (the end of the run); in
 * "graceful-shutdown" main sets it at once and clears it after 5 s. */
static void
test_event (void)
{
  g_autoptr(Picture) event = picture_new ("event");
  g_autoptr(Picture) shutdown = picture_new ("graceful-shutdown");
  static const char *const rows[] = { "Task-1", "setter", "Waiter 0", "Waiter 1", "Waiter 2",
                                      "Event event" };
  static const Hold set_late[] = { { "setter", MS (3000), MS (3000) } };
  static const Hold set_early[] = { { "Task-1", 0, MS (5000) } };
  Wait waits[] = { { LS_WAIT_EVENT, 0, MS (3000), object_of (event, "Event event") } };

  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    {
      static const Zoom event_zooms[] = { { 1, 0 }, { 5, MS (3000) } };
      static const Zoom shutdown_zooms[] = { { 1, 0 }, { 4, MS (2500) }, { 10, MS (5000) } };

      for (guint z = 0; z < G_N_ELEMENTS (event_zooms); z++)
        {
          picture_render (event, &themes[t], event_zooms[z], -1);
          check_labels (event, rows, G_N_ELEMENTS (rows));
          check_waits (event, "setter", (Wait[]) { { LS_WAIT_SLEEP, 0, MS (3000), 0 } }, 1);
          for (int k = 0; k < 3; k++)
            {
              check_waits (event, rows[k + 2], waits, 1);
              check_final (event, rows[k + 2], LS_TASK_STATE_DONE, MS (3000));
            }
          check_holds (event, "Event event", set_late, 1, event->theme->event);
          /* clear from its creation until it is set at 3 s, the three
           * waiters in line under it meanwhile */
          check_clear (event, "Event event", (gint64[]) { 0 }, (gint64[]) { MS (3000) }, 1);
          check_waiters (event, "Event event", (Waiter[]) {
                           { "Waiter 0", 0, 0, MS (3000) }, { "Waiter 1", 1, 0, MS (3000) },
                           { "Waiter 2", 2, 0, MS (3000) } }, 3);
        }

      for (guint z = 0; z < G_N_ELEMENTS (shutdown_zooms); z++)
        {
          int lane = lane_of (shutdown, "Event running");

          picture_render (shutdown, &themes[t], shutdown_zooms[z], -1);
          check_holds (shutdown, "Event running", set_early, 1, shutdown->theme->event);
          for (int k = 0; k < 3; k++)
            {
              g_autofree char *worker = g_strdup_printf ("Worker%d", k);

              check_final (shutdown, worker, LS_TASK_STATE_DONE, MS (5000));
            }
          /* cleared at 5 s: nothing after */
          if (ls_timeline_view_time_to_x (&shutdown->view, MS (5000)) + 8 < WIDTH)
            expect_empty (shutdown, lane,
                          ls_timeline_view_time_to_x (&shutdown->view, MS (5000)) + 4,
                          "an event that was cleared");
        }
    }
}

/* Semaphore(3) and ten tasks of 2 s: three at a time, so the permits
 * stay at 0 until the last group; the waiters wait on the semaphore. */
static void
test_semaphore (void)
{
  g_autoptr(Picture) pic = picture_new ("semaphore");
  static const Zoom zooms[] = { { 1, 0 }, { 4, MS (6500) } };
  static const gint64 starts[] = { 0, MS (6000), MS (8000) };
  static const gint64 values[] = { 0, 2, 3 };
  guint32 semaphore = object_of (pic, "Semaphore semaphore");

  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
      {
        picture_render (pic, &themes[t], zooms[z], -1);
        check_steps (pic, "Semaphore semaphore", starts, values, G_N_ELEMENTS (values), 3);
        check_capacity (pic, "Semaphore semaphore", 3);
        for (int k = 0; k < 10; k++)
          {
            g_autofree char *name = g_strdup_printf ("Task %d", k);
            gint64 group = k / 3;
            Wait waits[] = { { LS_WAIT_SEMAPHORE, 0, MS (2000 * group), semaphore },
                             { LS_WAIT_SLEEP, MS (2000 * group), MS (2000 * (group + 1)), 0 } };

            if (group == 0)
              check_waits (pic, name, &waits[1], 1);
            else
              check_waits (pic, name, waits, 2);
            check_final (pic, name, LS_TASK_STATE_DONE, MS (2000 * (group + 1)));
          }
      }
}

/* Timeouts: wait_for(…, 2) and then asyncio.timeout(2), both on main's
 * row, each a bracket from where it was set to its deadline; the first
 * cancels the inner task at 2 s, the second main itself at 4 s, which
 * then fails with TimeoutError. */
static void
test_timeout (void)
{
  g_autoptr(Picture) pic = picture_new ("timeout");
  static const Zoom zooms[] = { { 1, 0 }, { 4, MS (2000) }, { 4, MS (3500) } };
  static const Deadline deadlines[] = { { LS_WAIT_WAIT_FOR, 0, MS (2000), 0, TRUE },
                                        { LS_WAIT_TIMEOUT_SCOPE, MS (2000), MS (4000), 0, TRUE } };
  static const Cancel cancels[] = { { "Task 1", "Task-1", MS (2000), TRUE },
                                    { "Task-1", NULL, MS (4000), TRUE } };
  GArray *model = ls_interpreter_get_deadlines (pic->model);

  /* the model: each scope ended where its deadline fired (wait_for gives
   * up then; the timeout() block is left in that instant too), which the
   * bracket alone, drawn to the deadline, cannot tell */
  g_assert_cmpuint (model->len, ==, G_N_ELEMENTS (deadlines));
  for (guint i = 0; i < model->len; i++)
    {
      const LsTimelineDeadline *d = &g_array_index (model, LsTimelineDeadline, i);

      g_assert_cmpuint (d->reason, ==, deadlines[i].reason);
      g_assert_true (d->expired);
      g_assert_cmpint (d->end_ns, ==, deadlines[i].deadline);
    }

  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
      {
        picture_render (pic, &themes[t], zooms[z], -1);
        check_deadlines (pic, "Task-1", deadlines, G_N_ELEMENTS (deadlines));
        check_waits (pic, "Task-1", (Wait[]) { { LS_WAIT_WAIT_FOR, 0, MS (2000), 0 },
                                               { LS_WAIT_SLEEP, MS (2000), MS (4000), 0 } }, 2);
        check_final (pic, "Task-1", LS_TASK_STATE_FAILED, MS (4000));
        if (instant_in_view (pic, MS (4000)))
          check_error_name (pic, "Task-1", "TimeoutError");
        check_waits (pic, "Task 1", (Wait[]) { { LS_WAIT_SLEEP, 0, MS (2000), 0 } }, 1);
        check_final (pic, "Task 1", LS_TASK_STATE_CANCELLED, MS (2000));
        check_cancels (pic, cancels, G_N_ELEMENTS (cancels));
      }
}

/* A task that awaits another waits on its own row: main awaits the task
 * greet("JavaScript") from 1 s to 2 s, while that task sleeps on its own. */
static void
test_await_task (void)
{
  g_autoptr(Picture) pic = picture_new ("greet");
  static const Zoom zooms[] = { { 1, 0 }, { 3, MS (1500) } };
  static const char *const rows[] = { "Task-1", "greet(\"JavaScript\")" };
  guint32 awaited = object_of (pic, rows[1]);

  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
      {
        picture_render (pic, &themes[t], zooms[z], -1);
        check_labels (pic, rows, G_N_ELEMENTS (rows));
        check_waits (pic, "Task-1", (Wait[]) { { LS_WAIT_SLEEP, 0, MS (1000), 0 },
                                               { LS_WAIT_TASK, MS (1000), MS (2000), awaited } },
                     2);
        check_waits (pic, rows[1], (Wait[]) { { LS_WAIT_SLEEP, MS (1000), MS (2000), 0 } }, 1);
        check_final (pic, "Task-1", LS_TASK_STATE_DONE, MS (2000));
        check_final (pic, rows[1], LS_TASK_STATE_DONE, MS (2000));
      }
}

/* time.sleep blocks the loop: in "concurrency-vs-parallelism" A computes
 * for 1 s while B is ready and cannot run, then B computes for 1 s; each
 * is a band across the plot, tinting what is under it. */
static void
test_ready_and_blocked (void)
{
  g_autoptr(Picture) pic = picture_new ("concurrency-vs-parallelism");
  static const Zoom zooms[] = { { 1, 0 }, { 3, MS (1000) } };

  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    for (guint z = 0; z < G_N_ELEMENTS (zooms); z++)
      {
        const Theme *theme = &themes[t];
        struct { const char *lane; guint state; gint64 start, end; } bars[] = {
          { "A", LS_TASK_STATE_RUNNING, 0, MS (1000) },
          { "B", LS_TASK_STATE_READY, 0, MS (1000) },
          { "B", LS_TASK_STATE_RUNNING, MS (1000), MS (2000) },
        };
        g_autoptr(GPtrArray) bands = NULL;

        picture_render (pic, theme, zooms[z], -1);
        bands = items (pic, LS_TIMELINE_ITEM_BAND, -1);
        g_assert_cmpuint (bands->len, ==, 2);
        g_assert_cmpint (item_at (bands, 0)->start_ns, ==, 0);
        g_assert_cmpint (item_at (bands, 0)->end_ns, ==, MS (1000));
        g_assert_cmpuint (item_at (bands, 0)->object, ==, object_of (pic, "A"));
        g_assert_cmpint (item_at (bands, 1)->start_ns, ==, MS (1000));
        g_assert_cmpint (item_at (bands, 1)->end_ns, ==, MS (2000));
        g_assert_cmpuint (item_at (bands, 1)->object, ==, object_of (pic, "B"));

        for (guint i = 0; i < G_N_ELEMENTS (bars); i++)
          {
            int lane = lane_of (pic, bars[i].lane);
            g_autoptr(GPtrArray) spans = items (pic, LS_TIMELINE_ITEM_SPAN, lane);
            double y = label_y (pic, lane) + LS_TIMELINE_BAR_TOP + LS_TIMELINE_BAR_HEIGHT / 2;
            double x0 = MAX (clamped_x (pic, bars[i].start), LS_TIMELINE_LABEL_WIDTH) + 4;
            double x1 = MIN (clamped_x (pic, bars[i].end), WIDTH) - 4;
            guint running = 0, ready = 0, found = 0, probed = 0;

            /* drawn whole, in its state, and nothing else in that state
             * on the lane inside it */
            for (guint k = 0; k < spans->len; k++)
              {
                const LsTimelineItem *item = item_at (spans, k);

                if (item->start_ns == bars[i].start && item->end_ns == bars[i].end
                    && item->state == bars[i].state && item->n_merged == 1)
                  found++;
                else if (item->x1 > x0 && item->x0 < x1)
                  {
                    g_autofree char *text = describe_item (pic, item);

                    picture_fail (pic, "%s: %s inside its %s bar", bars[i].lane, text,
                                  bars[i].state == LS_TASK_STATE_READY ? "ready" : "running");
                  }
              }
            if (found != 1)
              picture_fail (pic, "%s: %u bars from %.3f to %.3f s", bars[i].lane, found,
                            bars[i].start / 1e9, bars[i].end / 1e9);

            /* a running bar is solid, a ready one striped: under the band */
            for (double x = x0; x < x1; x++)
              {
                guint32 c = pixel (pic, x, y);

                probed++;
                running += near_colour (c, blend (theme->blocked, theme->running, 0.16), 8);
                ready += near_colour (c, blend (theme->blocked, theme->ready, 0.16), 8);
              }
            if (bars[i].state == LS_TASK_STATE_RUNNING && running != probed)
              picture_fail (pic, "%s: %u of its running bar's pixels are the running colour",
                            bars[i].lane, running);
            if (bars[i].state == LS_TASK_STATE_READY
                && (running != 0 || ready < probed / 10 || ready > probed * 3 / 4))
              picture_fail (pic, "%s: its ready bar has %u running and %u stripe pixels",
                            bars[i].lane, running, ready);
          }
        /* A was ready for no time at all: its running bar starts at once */
        {
          g_autoptr(GPtrArray) spans = items (pic, LS_TIMELINE_ITEM_SPAN, lane_of (pic, "A"));

          for (guint k = 0; k < spans->len; k++)
            if (item_at (spans, k)->state == LS_TASK_STATE_READY)
              {
                g_autofree char *text = describe_item (pic, item_at (spans, k));

                picture_fail (pic, "A: drawn ready: %s", text);
              }
        }
        check_waits (pic, "C", (Wait[]) { { LS_WAIT_SLEEP, MS (2000), MS (3000), 0 } }, 1);
        check_waits (pic, "D", (Wait[]) { { LS_WAIT_SLEEP, MS (2000), MS (3000), 0 } }, 1);
      }
}

static GVariant *
return_at_once (gpointer data,
                GError **error)
{
  return NULL;
}

/* Ready at 28 ms, the loop blocked for 5 ms (time.sleep), run at 33 ms;
 * then 10 s of sleep, so that at the whole run's zoom 28 and 33 ms fall in
 * two pixel columns side by side, clear of the plot's left edge. */
static GVariant *
block_briefly (gpointer data,
               GError **error)
{
  g_autoptr(LsTask) other = NULL;

  if (!ls_sleep (0.028, error))
    return NULL;
  other = ls_task_create ("other", return_at_once, NULL, NULL);
  ls_blocking_sleep (0.005);
  if (!ls_sleep (10, error))
    return NULL;
  return NULL;
}

/* A task ready for less than a pixel, in a column of its own: a ready
 * column (striped, not running), then its running column. */
static void
test_ready_column (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = ls_task_new (loop, "main", block_briefly, NULL, NULL);
  g_autoptr(Picture) pic = NULL;

  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (main_task), NULL));
  pic = picture_new_for_loop ("ready-column", loop);
  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    {
      g_autoptr(GPtrArray) spans = NULL;
      const LsTimelineItem *ready, *running;
      double y;

      picture_render (pic, &themes[t], (Zoom) { 1, 0 }, -1);
      g_assert_cmpint (floor (ls_timeline_view_time_to_x (&pic->view, MS (28))) + 1, ==,
                       floor (ls_timeline_view_time_to_x (&pic->view, MS (33))));
      spans = items (pic, LS_TIMELINE_ITEM_SPAN, lane_of (pic, "other"));
      if (spans->len != 2)
        picture_fail (pic, "other: %u spans drawn, not a ready and a running column", spans->len);
      ready = item_at (spans, 0);
      running = item_at (spans, 1);
      if (ready->state != LS_TASK_STATE_READY || ready->start_ns != MS (28)
          || ready->end_ns != MS (33) || running->state != LS_TASK_STATE_RUNNING
          || running->start_ns != MS (33))
        {
          g_autofree char *a = describe_item (pic, ready);
          g_autofree char *b = describe_item (pic, running);

          picture_fail (pic, "other: drawn %s, then %s", a, b);
        }
      check_final (pic, "other", LS_TASK_STATE_DONE, MS (33));
      /* the ready column's first pixel, left of the running column: a
       * stripe, the ready tint or between the two, not the running colour
       * nor the background */
      y = label_y (pic, lane_of (pic, "other")) + ROW_CENTRE;
      {
        guint32 c = pixel (pic, ready->x0, y);
        guint32 tint = blend (pic->theme->ready, row_background (pic, running->row), 0.30);
        int to_ready = MIN (colour_distance (c, pic->theme->ready), colour_distance (c, tint));

        if (to_ready >= colour_distance (c, pic->theme->running)
            || to_ready >= colour_distance (c, row_background (pic, running->row)))
          picture_fail (pic, "a ready column: pixel (%d, %d) is %06x", (int) ready->x0, (int) y,
                        c);
      }
    }
}

/* Each task fails at its own second, with an error that is no
 * LsRuntimeError of its own kind */
static GVariant *
fail_with (gpointer data,
           GError **error)
{
  const GError *e = data;

  if (!ls_sleep (e->domain == G_IO_ERROR ? 1 : e->domain == LS_RUNTIME_ERROR ? 2 : 3,
                 error))
    return NULL;
  g_propagate_error (error, g_error_copy (e));
  return NULL;
}

static GVariant *
await_failures (gpointer data,
                GError **error)
{
  GError **errors = data;
  LsTask *tasks[3];
  static const char *const names[] = { "missing", "late", "bytes" };

  for (guint i = 0; i < 3; i++)
    tasks[i] = ls_task_create (names[i], fail_with, errors[i], NULL);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GVariant) r = ls_task_await (tasks[i], &local_error);

      g_assert_nonnull (local_error);
      ls_task_unref (tasks[i]);
    }
  return NULL;
}

static GVariant *
take_lock (gpointer data,
           GError **error)
{
  if (!ls_lock_acquire (data, error))
    return NULL;
  ls_sleep (0.1, NULL);
  ls_lock_release (data, NULL);
  return NULL;
}

/* main holds a lock for 1 s while seven tasks line up for it */
static GVariant *
long_line (gpointer data,
           GError **error)
{
  g_autoptr(LsLock) lock = ls_lock_new (NULL, "lock");
  LsTask *tasks[7];

  g_assert_true (ls_lock_acquire (lock, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    tasks[i] = ls_task_create (NULL, take_lock, lock, NULL);
  ls_sleep (1, NULL);
  ls_lock_release (lock, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    {
      g_autoptr(GVariant) r = ls_task_await (tasks[i], error);

      ls_task_unref (tasks[i]);
    }
  return NULL;
}

/* Cancelled, it cleans up for half a second, then lets CancelledError go */
static GVariant *
clean_up_slowly (gpointer data,
                 GError **error)
{
  GError *local_error = NULL;

  if (ls_sleep (3600, &local_error))
    return NULL;
  g_assert_true (ls_error_is_cancelled (local_error));
  g_assert_true (ls_sleep (0.5, NULL));
  g_propagate_error (error, local_error);
  return NULL;
}

static GVariant *
cancel_the_cleaner (gpointer data,
                    GError **error)
{
  g_autoptr(LsTask) cleaner = ls_task_create ("cleaner", clean_up_slowly, NULL, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  ls_sleep (1, NULL);
  ls_task_cancel (cleaner, NULL);
  r = ls_task_await (cleaner, &local_error);
  g_assert_true (ls_error_is_cancelled (local_error));
  return NULL;
}

/* A task that ended cancelled well after the request says who asked, and
 * when. */
static void
test_explain_late_cancel (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = ls_task_new (loop, "main", cancel_the_cleaner, NULL, NULL);
  g_autoptr(Picture) pic = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (main_task), NULL));
  pic = picture_new_for_loop ("late-cancel", loop);
  ls_describe_task_end (text, pic->layout, lane_of (pic, "cleaner"));
  g_assert_cmpstr (text->str, ==,
                   "cleaner was cancelled at 1.500 s: it raised CancelledError.\n"
                   "main called cancel() on it at 1.000 s.");
}

/* The loop at an instant is the loop after every record of that instant,
 * whichever way the cursor moved there: lock's owner at each handoff,
 * scrubbing back and forth. */
static void
test_state_at (void)
{
  g_autoptr(Picture) pic = picture_new ("lock");
  guint32 lock = object_of (pic, "Lock self.lock");
  static const struct { gint64 time; const char *owner; } at[] = {
    { MS (250), "Task 2" }, { MS (100), "Task 1" }, { MS (99), "Task 0" }, { MS (400), "Task 4" },
    { MS (300), "Task 3" }, { MS (200), "Task 2" }, { 0, "Task 0" }, { MS (500), NULL },
    { MS (101), "Task 1" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (at); i++)
    {
      LsTraceState *state = (LsTraceState *) ls_interpreter_state_at (pic->model, at[i].time);
      const LsPrimitiveEntry *p = ls_trace_state_get_primitive (state, lock);

      g_assert_nonnull (p);
      if (at[i].owner == NULL)
        g_assert_cmpuint (p->owner_id, ==, 0);
      else
        g_assert_cmpuint (p->owner_id, ==, object_of (pic, at[i].owner));
    }
}

/* A line longer than the rows for it: the first LS_TIMELINE_WAITER_ROWS
 * by name, then one entry counting the others, which says how many. */
static void
test_long_line (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = ls_task_new (loop, "main", long_line, NULL, NULL);
  g_autoptr(Picture) pic = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  const LsTimelineLane *lane;
  const LsTimelineWaiter *more = NULL;
  int lock;

  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (main_task), NULL));
  pic = picture_new_for_loop ("long-line", loop);
  lock = lane_of (pic, "Lock lock");
  lane = ls_interpreter_get_lane (pic->model, lock);
  g_assert_cmpint (LS_TIMELINE_WAITER_ROWS, ==, 4);
  for (guint i = 0; i < lane->waiters->len && more == NULL; i++)
    if (g_array_index (lane->waiters, LsTimelineWaiter, i).task_id == 0)
      more = &g_array_index (lane->waiters, LsTimelineWaiter, i);
  g_assert_nonnull (more);
  g_assert_cmpuint (more->position, ==, LS_TIMELINE_WAITER_ROWS);
  g_assert_cmpuint (more->count, ==, 7 - LS_TIMELINE_WAITER_ROWS);
  g_assert_cmpint (more->start_ns, ==, 0);
  g_assert_cmpint (more->end_ns, ==, MS (1000));
  ls_describe_waiter (text, pic->layout, lock, more);
  g_assert_cmpstr (text->str, ==, "3 more tasks waited for Lock lock from 0.000 s to 1.000 s.");
}

/* A task's end names the exception's own class, whatever GError domain
 * stands for it: FileNotFoundError (G_IO_ERROR), TimeoutError
 * (LsRuntimeError), UnicodeDecodeError (G_CONVERT_ERROR, a ValueError);
 * a trace that kept the code alone still reads as before. */
static void
test_error_names (void)
{
  g_autoptr(GError) missing = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "missing.txt");
  g_autoptr(GError) late = g_error_new_literal (LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_TIMEOUT, "");
  g_autoptr(GError) bytes = g_error_new_literal (G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                                                 "invalid start byte");
  GError *errors[] = { missing, late, bytes };
  static const char *const lanes[] = { "missing", "late", "bytes" };
  static const char *const expected[] = { "FileNotFoundError", "TimeoutError",
                                          "UnicodeDecodeError" };
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) main_task = ls_task_new (loop, "main", await_failures, errors, NULL);
  g_autoptr(Picture) pic = NULL;
  LsTrace *trace;

  g_assert_true (ls_loop_run_until_complete (loop, LS_FUTURE (main_task), NULL));
  pic = picture_new_for_loop ("error-names", loop);
  trace = ls_interpreter_get_trace (pic->model);
  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    {
      picture_render (pic, &themes[t], (Zoom) { 1, 0 }, -1);
      for (guint i = 0; i < G_N_ELEMENTS (lanes); i++)
        check_error_name (pic, lanes[i], expected[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (lanes); i++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *sentence = g_strdup_printf ("%s failed at %u.000 s: it raised %s",
                                                   lanes[i], i + 1, expected[i]);

      ls_describe_task_end (text, pic->layout, lane_of (pic, lanes[i]));
      g_test_message ("%s", text->str);
      g_assert_true (g_str_has_prefix (text->str, sentence));
    }
  /* the code alone, as traces from before the name was kept hold it */
  g_assert_cmpstr (ls_describe_error_type (trace, LS_OUTCOME_FAILED, LS_RUNTIME_ERROR_TIMEOUT),
                   ==, "TimeoutError");
  g_assert_cmpstr (ls_describe_error_type (trace, LS_OUTCOME_FAILED, LS_RUNTIME_ERROR_FAILED),
                   ==, "Exception");
  g_assert_cmpstr (ls_describe_error_type (trace, LS_OUTCOME_CANCELLED, 0), ==, "CancelledError");
  g_assert_null (ls_describe_error_type (trace, LS_OUTCOME_RESULT, 0));
}

/* What a mark says when clicked, word for word, from the facts of two
 * runs: task-cancel's cancel request (it took effect) and the wake-up of
 * main by the long task it cancelled; lock's first handoff and the line
 * for the lock. */
static void
test_explanations (void)
{
  g_autoptr(Picture) cancel = picture_new ("task-cancel");
  g_autoptr(Picture) lock = picture_new ("lock");
  GArray *cancels = ls_interpreter_get_cancels (cancel->model);
  GArray *links = ls_interpreter_get_links (cancel->model);
  const LsTimelineLane *lock_lane = ls_interpreter_get_lane (lock->model,
                                                             lane_of (lock, "Lock self.lock"));
  const LsTimelineLink *wakeup = NULL;
  const LsTimelineLink *handoff = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  GString *lines = g_string_new (NULL);
  g_autofree char *line = NULL;

  g_assert_cmpuint (cancels->len, ==, 1);
  ls_describe_cancel (text, cancel->layout, &g_array_index (cancels, LsTimelineCancel, 0));
  g_assert_cmpstr (text->str, ==,
                   "Task-1 called cancel() on Long task at 1.000 s.\n"
                   "It took effect: CancelledError is thrown into the task where it waits.");

  g_string_truncate (text, 0);
  ls_describe_task_end (text, cancel->layout, lane_of (cancel, "Long task"));
  g_assert_cmpstr (text->str, ==,
                   "Long task was cancelled at 1.000 s: it raised CancelledError.\n"
                   "Task-1 called cancel() on it at 1.000 s.");

  for (guint i = 0; i < links->len; i++)
    {
      const LsTimelineLink *l = &g_array_index (links, LsTimelineLink, i);

      if (l->kind == LS_TIMELINE_LINK_WAKEUP && l->to_lane == (guint) lane_of (cancel, "Task-1")
          && l->from_lane == (guint) lane_of (cancel, "Long task"))
        wakeup = l;
    }
  g_assert_nonnull (wakeup);
  g_string_truncate (text, 0);
  ls_describe_link (text, cancel->layout, wakeup);
  g_assert_cmpstr (text->str, ==,
                   "Long task completed what Task-1 awaited at 1.000 s; "
                   "Task-1 was woken at 1.000 s.");

  links = ls_interpreter_get_links (lock->model);
  for (guint i = 0; i < links->len && handoff == NULL; i++)
    if (g_array_index (links, LsTimelineLink, i).kind == LS_TIMELINE_LINK_HANDOFF)
      handoff = &g_array_index (links, LsTimelineLink, i);
  g_assert_nonnull (handoff);
  g_string_truncate (text, 0);
  ls_describe_link (text, lock->layout, handoff);
  g_assert_cmpstr (text->str, ==,
                   "Task 0 released Lock self.lock at 0.100 s and handed it to Task 1, "
                   "first in line.");

  /* each waiter entry, one a line */
  for (guint i = 0; i < lock_lane->waiters->len; i++)
    {
      g_string_truncate (text, 0);
      ls_describe_waiter (text, lock->layout, lane_of (lock, "Lock self.lock"),
                          &g_array_index (lock_lane->waiters, LsTimelineWaiter, i));
      g_string_append_printf (lines, "%s\n", text->str);
    }
  /* the details of a selected task and the primitives, at the end and
   * halfway: A ran 0–1 s while B was ready; the event is set at 3 s */
  {
    g_autoptr(Picture) cvp = picture_new ("concurrency-vs-parallelism");
    g_autoptr(Picture) event = picture_new ("event");
    const LsTraceState *end_state = ls_interpreter_get_state (cvp->model);

    g_string_truncate (text, 0);
    ls_describe_loop (text, cvp->model, end_state, object_of (cvp, "A"),
                      ls_interpreter_get_end_time (cvp->model));
    g_assert_nonnull (strstr (text->str, "Selected: A\n"));
    g_assert_nonnull (strstr (text->str, "  running 1.000 s · ready 0.000 s · waiting 0.000 s\n"));
    g_string_truncate (text, 0);
    ls_describe_loop (text, event->model, ls_interpreter_state_at (event->model, MS (1000)), 0,
                      MS (1000));
    g_assert_nonnull (strstr (text->str, "  Event event: clear\n"));
    g_string_truncate (text, 0);
    ls_describe_loop (text, event->model, ls_interpreter_get_state (event->model), 0,
                      ls_interpreter_get_end_time (event->model));
    g_assert_nonnull (strstr (text->str, "  Event event: set\n"));
  }

  line = g_string_free (lines, FALSE);
  g_assert_cmpstr (line, ==,
                   "Task 1 was number 1 in line for Lock self.lock from 0.000 s to 0.100 s.\n"
                   "Task 2 was number 2 in line for Lock self.lock from 0.000 s to 0.100 s.\n"
                   "Task 3 was number 3 in line for Lock self.lock from 0.000 s to 0.100 s.\n"
                   "Task 4 was number 4 in line for Lock self.lock from 0.000 s to 0.100 s.\n"
                   "Task 2 was number 1 in line for Lock self.lock from 0.100 s to 0.200 s.\n"
                   "Task 3 was number 2 in line for Lock self.lock from 0.100 s to 0.200 s.\n"
                   "Task 4 was number 3 in line for Lock self.lock from 0.100 s to 0.200 s.\n"
                   "Task 3 was number 1 in line for Lock self.lock from 0.200 s to 0.300 s.\n"
                   "Task 4 was number 2 in line for Lock self.lock from 0.200 s to 0.300 s.\n"
                   "Task 4 was number 1 in line for Lock self.lock from 0.300 s to 0.400 s.\n");
}

/* Every scenario but the stress run, whole, in both themes: the picture
 * says what the model says. Each row has its lane's label and everything
 * drawn for a lane stays on its row; every waiting span wide enough to see
 * has its outline, every ended task its end mark, every hold, cancel
 * request and deadline its shape. */
static void
test_every_scenario (void)
{
  guint n;
  const LsScenario *const *all = ls_scenarios_get_all (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(Picture) pic = NULL;

      if (g_str_equal (all[i]->id, "stress"))
        continue;
      pic = picture_new (all[i]->id);
      pic->height = MAX (HEIGHT, (int) ls_timeline_content_height (pic->layout) + 10);
      for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
        {
          guint n_rows = ls_lane_layout_get_n_rows (pic->layout);
          guint holds = 0, cancels = 0, deadlines = 0;
          g_autoptr(GPtrArray) labels = NULL;
          g_autoptr(GPtrArray) drawn_holds = NULL;
          g_autoptr(GPtrArray) drawn_cancels = NULL;
          g_autoptr(GPtrArray) drawn_deadlines = NULL;

          picture_render (pic, &themes[t], (Zoom) { 1, 0 }, -1);
          labels = items (pic, LS_TIMELINE_ITEM_LABEL, -1);
          g_assert_cmpuint (labels->len, ==, n_rows);
          for (guint row = 0; row < n_rows; row++)
            {
              const LsTimelineItem *label = item_at (labels, row);

              g_assert_cmpint (label->lane, ==, (int) ls_lane_layout_get_row (pic->layout, row)->lane);
              g_assert_cmpint (label->row, ==, (int) row);
              g_assert_cmpstr (label->text, ==, ls_lane_layout_get_name (pic->layout, label->lane));
              g_assert_cmpfloat (label->y0, ==, ls_timeline_view_row_y (&pic->view, row));
            }

          for (guint k = 0; k < pic->record->len; k++)
            {
              const LsTimelineItem *item = &g_array_index (pic->record, LsTimelineItem, k);
              double top, height;

              if (item->lane < 0 || item->kind == LS_TIMELINE_ITEM_ARROW)
                continue;
              top = ls_timeline_view_row_y (&pic->view, item->row);
              height = ls_lane_layout_get_row (pic->layout, item->row)->height;
              if (item->row != ls_lane_layout_get_lane_row (pic->layout, item->lane)
                  || item->y0 < top || item->y1 > top + height)
                {
                  g_autofree char *text = describe_item (pic, item);

                  picture_fail (pic, "off its row (%.1f to %.1f): %s", top, top + height, text);
                }
            }

          for (guint l = 0; l < ls_interpreter_get_n_lanes (pic->model); l++)
            {
              const LsTimelineLane *lane = ls_interpreter_get_lane (pic->model, l);

              if (ls_lane_layout_get_lane_row (pic->layout, l) < 0)
                continue;
              if (lane->kind == LS_TIMELINE_LANE_PRIMITIVE)
                {
                  holds += lane->holds->len;
                  continue;
                }
              for (guint k = 0; k < lane->spans->len; k++)
                {
                  const LsTimelineSpan *span = &g_array_index (lane->spans, LsTimelineSpan, k);
                  gint64 end = span->end_ns == LS_TIMELINE_OPEN ? run_end (pic) : span->end_ns;
                  g_autoptr(GPtrArray) spans = items (pic, LS_TIMELINE_ITEM_SPAN, (int) l);
                  guint found = 0;

                  if (span->state != LS_TASK_STATE_WAITING
                      || clamped_x (pic, end) - clamped_x (pic, span->start_ns) < 1.0)
                    continue;
                  for (guint m = 0; m < spans->len; m++)
                    found += item_at (spans, m)->state == LS_TASK_STATE_WAITING
                             && item_at (spans, m)->start_ns == span->start_ns
                             && item_at (spans, m)->end_ns == end
                             && item_at (spans, m)->reason == span->wait_reason;
                  if (found != 1)
                    picture_fail (pic, "%s: %u outlines for its wait on %s from %.6f s", lane->label,
                                  found, ls_wait_reason_name (span->wait_reason),
                                  span->start_ns / 1e9);
                }
              {
                const LsTimelineSpan *last = &g_array_index (lane->spans, LsTimelineSpan,
                                                             lane->spans->len - 1);

                if (last->state == LS_TASK_STATE_DONE || last->state == LS_TASK_STATE_FAILED
                    || last->state == LS_TASK_STATE_CANCELLED)
                  check_final_on (pic, (int) l, last->state, last->start_ns);
              }
            }

          for (guint k = 0; k < ls_interpreter_get_cancels (pic->model)->len; k++)
            {
              const LsTimelineCancel *c = &g_array_index (ls_interpreter_get_cancels (pic->model),
                                                          LsTimelineCancel, k);

              cancels += ls_lane_layout_get_lane_row (pic->layout,
                                                      ls_interpreter_find_lane (pic->model,
                                                                               c->to_task)) >= 0;
            }
          for (guint k = 0; k < ls_interpreter_get_deadlines (pic->model)->len; k++)
            {
              const LsTimelineDeadline *d = &g_array_index (ls_interpreter_get_deadlines (pic->model),
                                                            LsTimelineDeadline, k);

              deadlines += ls_interpreter_find_lane (pic->model, d->task_id) >= 0;
            }
          drawn_holds = items (pic, LS_TIMELINE_ITEM_HOLD, -1);
          drawn_cancels = items (pic, LS_TIMELINE_ITEM_CANCEL, -1);
          drawn_deadlines = items (pic, LS_TIMELINE_ITEM_DEADLINE, -1);
          if (drawn_holds->len != holds || drawn_cancels->len != cancels
              || drawn_deadlines->len != deadlines)
            picture_fail (pic, "%u holds, %u cancel marks, %u deadlines drawn; the model has "
                          "%u, %u, %u", drawn_holds->len, drawn_cancels->len,
                          drawn_deadlines->len, holds, cancels, deadlines);
        }
    }
}

/* Recording changes nothing in the picture; the "now" and cursor lines
 * are where the view puts them. */
static void
test_record_and_lines (void)
{
  g_autoptr(Picture) pic = picture_new ("lock");

  for (guint t = 0; t < G_N_ELEMENTS (themes); t++)
    {
      cairo_surface_t *plain = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
      cairo_t *cr;
      g_autoptr(GPtrArray) now = NULL;
      g_autoptr(GPtrArray) cursor = NULL;
      double bottom = HEIGHT - 10;
      guint on_line = 0;

      picture_render (pic, &themes[t], (Zoom) { 1, 0 }, lane_of (pic, "Lock self.lock"));
      pic->view.now = MS (450);
      pic->view.cursor = MS (150);
      g_array_set_size (pic->record, 0);
      cr = cairo_create (pic->surface);
      ls_timeline_render_recorded (cr, pic->model, &pic->view, pic->record);
      cairo_destroy (cr);
      cairo_surface_flush (pic->surface);
      cr = cairo_create (plain);
      ls_timeline_render (cr, pic->model, &pic->view);
      cairo_destroy (cr);
      cairo_surface_flush (plain);
      g_assert_cmpmem (cairo_image_surface_get_data (plain),
                       cairo_image_surface_get_stride (plain) * HEIGHT,
                       cairo_image_surface_get_data (pic->surface),
                       cairo_image_surface_get_stride (pic->surface) * HEIGHT);
      cairo_surface_destroy (plain);

      now = items (pic, LS_TIMELINE_ITEM_NOW, -1);
      cursor = items (pic, LS_TIMELINE_ITEM_CURSOR, -1);
      g_assert_cmpuint (now->len, ==, 1);
      g_assert_cmpuint (cursor->len, ==, 1);
      g_assert_cmpint (item_at (now, 0)->start_ns, ==, MS (450));
      g_assert_cmpint (item_at (cursor, 0)->start_ns, ==, MS (150));
      g_assert_cmpfloat (item_at (now, 0)->x0, ==,
                         round (ls_timeline_view_time_to_x (&pic->view, MS (450))) + 0.5);
      g_assert_cmpfloat (item_at (cursor, 0)->x0, ==,
                         round (ls_timeline_view_time_to_x (&pic->view, MS (150))) + 0.5);
      /* below the lanes, where nothing else is drawn: solid, and dashed */
      expect_pixel (pic, item_at (now, 0)->x0, bottom, pic->theme->now, 3, "the now line");
      for (int i = 0; i < 7; i++)
        on_line += near_colour (pixel (pic, item_at (cursor, 0)->x0, bottom - i), pic->theme->text,
                                3);
      if (on_line < 3 || on_line > 5)
        picture_fail (pic, "the cursor line: %u of 7 pixels drawn", on_line);
    }
}

static void
test_format_time (void)
{
  struct { gint64 t, step; const char *text; } cases[] = {
    { 0, 500000000, "0" },
    { 1500000000, 500000000, "1.5 s" },
    { 2000000000, 1000000000, "2 s" },
    { 250000000, 50000000, "250 ms" },
    { 1500, 500, "1.5 µs" },
    { 30, 10, "30 ns" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = ls_timeline_format_time (cases[i].t, cases[i].step);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* The widget: a trace set, zoom and pan change the range and clear follow. */
/* A session showing @trace, as the window shows a trace file. */
static LsSession *
session_for (LsTrace *trace)
{
  LsSession *session = ls_session_new ();

  ls_session_load_trace (session, trace, NULL, "test.json");
  return session;
}

static void
test_widget (void)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario ("lock");
  g_autoptr(LsSession) session = session_for (ls_test_run_trace (run));
  GtkWidget *window = gtk_window_new ();
  GtkWidget *timeline = ls_timeline_new ();
  gint64 t0, t1, z0, z1;

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 300);
  gtk_window_set_child (GTK_WINDOW (window), timeline);
  ls_timeline_set_session (LS_TIMELINE (timeline), session);
  gtk_window_present (GTK_WINDOW (window));
  for (int i = 0; i < 50 && gtk_widget_get_width (timeline) == 0; i++)
    g_main_context_iteration (NULL, FALSE);

  g_assert_true (ls_session_get_follow (session));
  g_assert_true (ls_session_get_fit (session));
  ls_session_get_range (session, &t0, &t1);
  g_assert_cmpint (t0, ==, 0);
  g_assert_cmpint (t1, >=, ls_trace_get_end_time (ls_test_run_trace (run)));

  ls_timeline_zoom (LS_TIMELINE (timeline), 2.0, LS_TIMELINE_LABEL_WIDTH);
  ls_session_get_range (session, &z0, &z1);
  g_assert_cmpint (z0, ==, 0);
  g_assert_cmpint (z1 - z0, <, t1 - t0);

  g_object_set (session, "selected-lane", 2, "cursor", (gint64) 1000, NULL);
  g_assert_cmpint (ls_session_get_selected_lane (session), ==, 2);
  g_assert_cmpint (ls_session_get_cursor (session), ==, 1000);

  /* zoom to the selection: the selected task's life, with a margin */
  {
    LsInterpreter *model = ls_session_get_interpreter (session);
    const LsTimelineLane *lane = ls_interpreter_get_lane (model, 2);
    const LsTimelineSpan *first = &g_array_index (lane->spans, LsTimelineSpan, 0);
    const LsTimelineSpan *last = &g_array_index (lane->spans, LsTimelineSpan, lane->spans->len - 1);

    ls_timeline_zoom_to_selection (LS_TIMELINE (timeline));
    ls_session_get_range (session, &z0, &z1);
    g_assert_false (ls_session_get_follow (session));
    g_assert_cmpint (z0, <=, first->start_ns);
    g_assert_cmpint (z1, >=, last->end_ns);
    g_assert_cmpint (z1 - z0, <, (last->end_ns - first->start_ns) * 2);
  }

  ls_session_set_follow (session, FALSE);
  ls_session_zoom_to_fit (session);
  g_assert_true (ls_session_get_follow (session));
  ls_session_get_range (session, &z0, &z1);
  g_assert_cmpint (z0, ==, t0);
  g_assert_cmpint (z1, ==, t1);

  for (int i = 0; i < 10; i++)
    g_main_context_iteration (NULL, FALSE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* What the tooltips say: who holds the lock and since when, why a task
 * waits (on the lock, named), a semaphore's permits out of its capacity. */
static const LsTimelineLane *
find_lane_of_kind (LsInterpreter *model,
                   LsObjectKind     kind,
                   guint           *index)
{
  for (guint i = 0; i < ls_interpreter_get_n_lanes (model); i++)
    if (ls_interpreter_get_lane (model, i)->kind != LS_TIMELINE_LANE_TASK
        && ls_interpreter_get_lane (model, i)->object_kind == kind)
      {
        *index = i;
        return ls_interpreter_get_lane (model, i);
      }
  g_assert_not_reached ();
}

static char *
describe (const char  *scenario,
          LsObjectKind kind,
          gboolean     waiter)
{
  g_autoptr(LsScenarioRun) run = ls_test_run_scenario (scenario);
  g_autoptr(LsSession) session = session_for (ls_test_run_trace (run));
  GtkWidget *timeline = g_object_ref_sink (ls_timeline_new ());
  LsInterpreter *model;
  const LsTimelineLane *object;
  guint index;
  char *text = NULL;

  ls_timeline_set_session (LS_TIMELINE (timeline), session);
  model = ls_session_get_interpreter (session);
  object = find_lane_of_kind (model, kind, &index);
  if (!waiter && object->holds != NULL && object->holds->len > 0)
    {
      const LsTimelineHold *h = &g_array_index (object->holds, LsTimelineHold, 0);

      text = ls_timeline_describe (LS_TIMELINE (timeline), index, h->start_ns);
    }
  else if (!waiter)
    {
      /* the first time the count reaches 0 */
      for (guint i = 0; text == NULL && i < object->steps->len; i++)
        if (g_array_index (object->steps, LsTimelineStep, i).value == 0)
          text = ls_timeline_describe (LS_TIMELINE (timeline), index,
                                       g_array_index (object->steps, LsTimelineStep, i).time_ns);
    }
  else
    for (guint i = 0; text == NULL && i < ls_interpreter_get_n_lanes (model); i++)
      {
        const LsTimelineLane *lane = ls_interpreter_get_lane (model, i);

        for (guint j = 0; text == NULL && lane->kind == LS_TIMELINE_LANE_TASK
                          && j < lane->spans->len; j++)
          {
            const LsTimelineSpan *span = &g_array_index (lane->spans, LsTimelineSpan, j);

            if (span->state == LS_TASK_STATE_WAITING && span->wait_object == object->object_id)
              text = ls_timeline_describe (LS_TIMELINE (timeline), i, span->start_ns);
          }
      }
  g_object_unref (timeline);
  g_assert_nonnull (text);
  return text;
}

static void
test_describe (void)
{
  g_autofree char *held = describe ("lock", LS_OBJECT_LOCK, FALSE);
  g_autofree char *waits = describe ("lock", LS_OBJECT_LOCK, TRUE);
  g_autofree char *permits = describe ("semaphore", LS_OBJECT_SEMAPHORE, FALSE);

  g_test_message ("%s\n--\n%s\n--\n%s", held, waits, permits);
  g_assert_true (g_regex_match_simple ("^Lock self\\.lock\nheld by Task \\d\n0 → 100 ms \\(100 ms\\)$",
                                      held, 0, 0));
  g_assert_true (g_regex_match_simple ("^Task \\d\nwaiting on lock \\(Lock self\\.lock\\)\n", waits,
                                      0, 0));
  g_assert_true (g_regex_match_simple ("^Semaphore semaphore\npermits: 0 of 3$", permits, 0, 0));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/timeline/lock-model", test_lock_model);
  g_test_add_func ("/timeline/incremental", test_incremental);
  g_test_add_func ("/timeline/format-time", test_format_time);
  g_test_add_func ("/timeline/picture/lock", test_lock);
  g_test_add_func ("/timeline/picture/producer-consumer", test_producer_consumer);
  g_test_add_func ("/timeline/picture/task-cancel", test_task_cancel);
  g_test_add_func ("/timeline/picture/event", test_event);
  g_test_add_func ("/timeline/picture/semaphore", test_semaphore);
  g_test_add_func ("/timeline/picture/timeout", test_timeout);
  g_test_add_func ("/timeline/picture/downloader-deadlines", test_downloader_deadlines);
  g_test_add_func ("/timeline/picture/wakes", test_wakes);
  g_test_add_func ("/timeline/picture/groups", test_groups);
  g_test_add_func ("/timeline/picture/await-task", test_await_task);
  g_test_add_func ("/timeline/picture/ready-and-blocked", test_ready_and_blocked);
  g_test_add_func ("/timeline/picture/ready-column", test_ready_column);
  g_test_add_func ("/timeline/picture/error-names", test_error_names);
  g_test_add_func ("/timeline/model/long-line", test_long_line);
  g_test_add_func ("/timeline/model/state-at", test_state_at);
  g_test_add_func ("/timeline/picture/record-and-lines", test_record_and_lines);
  g_test_add_func ("/timeline/picture/every-scenario", test_every_scenario);
  g_test_add_func ("/timeline/widget", test_widget);
  g_test_add_func ("/timeline/describe", test_describe);
  g_test_add_func ("/timeline/explanations", test_explanations);
  g_test_add_func ("/timeline/explanations/late-cancel", test_explain_late_cancel);

  return g_test_run ();
}
