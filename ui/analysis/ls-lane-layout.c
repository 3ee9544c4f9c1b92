/* SPDX-License-Identifier: MIT
 *
 * The arrangement of a run's lanes: names, groups, the filter, pins and
 * rows. Everything is derived from the interpreter's lanes again when a
 * lane appears or a row's height changes (a waiter list grew), in time
 * linear in the lanes: 10,000 lanes take about a millisecond, and that
 * happens a few times per run, not per frame.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ls-lane-layout.h"

struct _LsLaneLayout
{
  GObject        parent_instance;

  LsInterpreter *interpreter;
  gulong         changed_id;
  gboolean       grouping;

  char          *filter_text;
  char         **terms;        /* the filter's words, case-folded */
  guint          states;
  gint64         filter_time;
  int            related_to;

  GArray        *pins;         /* guint lanes, in the order they were pinned */
  GHashTable    *expanded;     /* group key -> 1 expanded, 2 folded: what the user chose */

  /* per lane, as of the last sync */
  guint          n_synced;
  GPtrArray     *names;        /* char *: the name told apart, or NULL: the label */
  GPtrArray     *haystacks;    /* char *: name and label, case-folded, for the filter */
  GArray        *parents;      /* int: the parent task's lane, or -1 */
  GArray        *lane_groups;  /* int */
  GArray        *primitives;   /* guint: the primitive lanes, whose height may change */
  guint          shape;        /* the sum of their waiter rows, when the rows were made */
  guint          n_links;      /* links and cancels when the rows were made (related) */

  GPtrArray     *groups;       /* LsLaneGroup * */
  GPtrArray     *group_keys;   /* char *, per group */

  GArray        *rows;         /* LsLaneRow */
  GPtrArray     *row_labels;   /* char *: a group row's label, NULL for a lane's */
  GArray        *lane_rows;    /* int per lane */
  GArray        *lane_shown;   /* gboolean per lane: the filter lets it through */
  guint          n_pinned;
  double         pinned_height;
  double         scrolled_height;
};

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LsLaneLayout, ls_lane_layout, G_TYPE_OBJECT)

static void
group_free (gpointer data)
{
  LsLaneGroup *group = data;

  g_free (group->name);
  g_array_unref (group->members);
  g_free (group);
}

static void
ls_lane_layout_dispose (GObject *object)
{
  LsLaneLayout *self = LS_LANE_LAYOUT (object);

  if (self->interpreter != NULL)
    g_clear_signal_handler (&self->changed_id, self->interpreter);
  g_clear_object (&self->interpreter);

  G_OBJECT_CLASS (ls_lane_layout_parent_class)->dispose (object);
}

static void
ls_lane_layout_finalize (GObject *object)
{
  LsLaneLayout *self = LS_LANE_LAYOUT (object);

  g_free (self->filter_text);
  g_strfreev (self->terms);
  g_array_unref (self->pins);
  g_hash_table_unref (self->expanded);
  g_ptr_array_unref (self->names);
  g_ptr_array_unref (self->haystacks);
  g_array_unref (self->parents);
  g_array_unref (self->lane_groups);
  g_array_unref (self->primitives);
  g_ptr_array_unref (self->groups);
  g_ptr_array_unref (self->group_keys);
  g_array_unref (self->rows);
  g_ptr_array_unref (self->row_labels);
  g_array_unref (self->lane_rows);
  g_array_unref (self->lane_shown);

  G_OBJECT_CLASS (ls_lane_layout_parent_class)->finalize (object);
}

static void
ls_lane_layout_class_init (LsLaneLayoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_lane_layout_dispose;
  object_class->finalize = ls_lane_layout_finalize;

  /**
   * LsLaneLayout::changed:
   *
   * The rows changed: a lane appeared, a row grew, the filter, a pin or a
   * group's folding changed.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
ls_lane_layout_init (LsLaneLayout *self)
{
  self->grouping = TRUE;
  self->filter_time = -1;
  self->related_to = -1;
  self->pins = g_array_new (FALSE, FALSE, sizeof (guint));
  self->expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->haystacks = g_ptr_array_new_with_free_func (g_free);
  self->parents = g_array_new (FALSE, FALSE, sizeof (int));
  self->lane_groups = g_array_new (FALSE, FALSE, sizeof (int));
  self->primitives = g_array_new (FALSE, FALSE, sizeof (guint));
  self->groups = g_ptr_array_new_with_free_func (group_free);
  self->group_keys = g_ptr_array_new_with_free_func (g_free);
  self->rows = g_array_new (FALSE, FALSE, sizeof (LsLaneRow));
  self->row_labels = g_ptr_array_new_with_free_func (g_free);
  self->lane_rows = g_array_new (FALSE, FALSE, sizeof (int));
  self->lane_shown = g_array_new (FALSE, FALSE, sizeof (gboolean));
}

/* ---- names and groups ----------------------------------------------------- */

static const LsTimelineLane *
lane_at (LsLaneLayout *self,
         guint         lane)
{
  return ls_interpreter_get_lane (self->interpreter, lane);
}

/* "Task-12" -> "Task-", "queue.get()" -> NULL: the name before a number at
 * its end, when there is one */
static char *
name_stem (const char *name)
{
  gsize len = strlen (name);
  gsize end = len;

  while (end > 0 && g_ascii_isdigit (name[end - 1]))
    end--;
  if (end == len || end == 0)
    return NULL;
  return g_strndup (name, end);
}

/* Names that tell namesakes apart: the number among its parent's children
 * of that name, and the parent when other parents have children of that
 * name too. Parents come before their children (a task is created by a
 * task that exists), so a parent's own name is settled first. */
static void
make_names (LsLaneLayout *self,
            guint         n)
{
  g_autoptr(GHashTable) by_label = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_sibling = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < n; i++)
    {
      const LsTimelineLane *lane = lane_at (self, i);
      int parent = g_array_index (self->parents, int, i);
      char *key = g_strdup_printf ("%d\n%s", parent, lane->label);
      guint c = GPOINTER_TO_UINT (g_hash_table_lookup (by_label, lane->label));

      g_hash_table_insert (by_label, lane->label, GUINT_TO_POINTER (c + 1));
      c = GPOINTER_TO_UINT (g_hash_table_lookup (by_sibling, key));
      g_hash_table_insert (by_sibling, key, GUINT_TO_POINTER (c + 1));
    }
  for (guint i = 0; i < n; i++)
    {
      const LsTimelineLane *lane = lane_at (self, i);
      int parent = g_array_index (self->parents, int, i);
      guint namesakes = GPOINTER_TO_UINT (g_hash_table_lookup (by_label, lane->label));
      g_autofree char *key = g_strdup_printf ("%d\n%s", parent, lane->label);
      guint siblings = GPOINTER_TO_UINT (g_hash_table_lookup (by_sibling, key));
      guint k = GPOINTER_TO_UINT (g_hash_table_lookup (seen, key)) + 1;
      char *name = NULL;

      g_hash_table_insert (seen, g_strdup (key), GUINT_TO_POINTER (k));
      if (namesakes > 1)
        {
          const char *parent_name = parent >= 0 ? ls_lane_layout_get_name (self, parent) : NULL;

          if (parent_name != NULL && namesakes > siblings && siblings > 1)
            /* Translators: a task's name told apart from its namesakes:
             * "queue.get() #3 of Consumer 1" */
            name = g_strdup_printf (_("%s #%u of %s"), lane->label, k, parent_name);
          else if (parent_name != NULL && namesakes > siblings)
            /* Translators: a task's name told apart from its namesakes:
             * "ticker of Task-1" */
            name = g_strdup_printf (_("%s of %s"), lane->label, parent_name);
          else
            name = g_strdup_printf ("%s #%u", lane->label, k);
        }
      g_free (g_ptr_array_index (self->names, i));
      g_ptr_array_index (self->names, i) = name;
    }
}

/* What the filter's words are looked for in: the name told apart (it holds
 * the parent's), and the label. */
static void
make_haystacks (LsLaneLayout *self,
                guint         n)
{
  for (guint i = 0; i < n; i++)
    {
      const LsTimelineLane *lane = lane_at (self, i);
      g_autofree char *both = g_strconcat (ls_lane_layout_get_name (self, i), "\n", lane->label,
                                           NULL);

      g_free (g_ptr_array_index (self->haystacks, i));
      g_ptr_array_index (self->haystacks, i) = g_utf8_casefold (both, -1);
    }
}

static gboolean
group_is_expanded (LsLaneLayout *self,
                   const char   *key,
                   gboolean      numbered,
                   guint         n_members)
{
  guint chosen = GPOINTER_TO_UINT (g_hash_table_lookup (self->expanded, key));

  if (chosen != 0)
    return chosen == 1;
  return numbered ? n_members <= LS_LANE_GROUP_BIG : n_members < LS_LANE_GROUP_FOLD;
}

/* The groups: a parent's children of one name (two or more), and, past
 * LS_LANE_GROUP_BIG, its children whose names differ only in a number. */
static void
make_groups (LsLaneLayout *self,
             guint         n)
{
  g_autoptr(GHashTable) exact = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) stems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_set_size (self->groups, 0);
  g_ptr_array_set_size (self->group_keys, 0);
  for (guint i = 0; i < n; i++)
    g_array_index (self->lane_groups, int, i) = -1;
  if (!self->grouping)
    return;

  /* count each parent's children by name, and by stem */
  for (guint i = 0; i < n; i++)
    {
      const LsTimelineLane *lane = lane_at (self, i);
      int parent = g_array_index (self->parents, int, i);
      char *key;
      guint c;

      g_ptr_array_add (keys, NULL);
      if (parent < 0)
        continue;
      key = g_strdup_printf ("%d\n%s", parent, lane->label);
      c = GPOINTER_TO_UINT (g_hash_table_lookup (exact, key));
      g_hash_table_insert (exact, key, GUINT_TO_POINTER (c + 1));
    }
  for (guint i = 0; i < n; i++)
    {
      const LsTimelineLane *lane = lane_at (self, i);
      int parent = g_array_index (self->parents, int, i);
      g_autofree char *key = NULL;
      g_autofree char *stem = NULL;

      if (parent < 0)
        continue;
      key = g_strdup_printf ("%d\n%s", parent, lane->label);
      if (GPOINTER_TO_UINT (g_hash_table_lookup (exact, key)) >= 2)
        {
          g_ptr_array_index (keys, i) = g_steal_pointer (&key);
          continue;
        }
      if ((stem = name_stem (lane->label)) == NULL)
        continue;
      g_free (key);
      key = g_strdup_printf ("%d\r%s", parent, stem);
      g_hash_table_insert (stems, g_strdup (key),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (stems, key))
                                             + 1));
      g_ptr_array_index (keys, i) = g_steal_pointer (&key);
    }

  for (guint i = 0; i < n; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      gboolean numbered;
      LsLaneGroup *group;
      guint g;
      gpointer found;

      if (key == NULL)
        continue;
      numbered = strchr (key, '\r') != NULL;
      if (numbered && GPOINTER_TO_UINT (g_hash_table_lookup (stems, key)) <= LS_LANE_GROUP_BIG)
        continue;
      if (g_hash_table_lookup_extended (index, key, NULL, &found))
        g = GPOINTER_TO_UINT (found);
      else
        {
          const LsTimelineLane *lane = lane_at (self, i);

          group = g_new0 (LsLaneGroup, 1);
          group->parent = (guint) g_array_index (self->parents, int, i);
          group->name = numbered ? name_stem (lane->label) : g_strdup (lane->label);
          group->numbered = numbered;
          group->members = g_array_new (FALSE, FALSE, sizeof (guint));
          g = self->groups->len;
          g_ptr_array_add (self->groups, group);
          g_ptr_array_add (self->group_keys, g_strdup (key));
          g_hash_table_insert (index, g_ptr_array_index (self->group_keys, g), GUINT_TO_POINTER (g));
        }
      group = g_ptr_array_index (self->groups, g);
      g_array_append_val (group->members, i);
      g_array_index (self->lane_groups, int, i) = (int) g;
    }
  for (guint g = 0; g < self->groups->len; g++)
    {
      LsLaneGroup *group = g_ptr_array_index (self->groups, g);

      group->expanded = group_is_expanded (self, g_ptr_array_index (self->group_keys, g),
                                           group->numbered, group->members->len);
    }
}

/* New lanes: their parents, then every name and group again (a new lane
 * may be the namesake that makes others need a number). */
static void
sync_lanes (LsLaneLayout *self)
{
  guint n = ls_interpreter_get_n_lanes (self->interpreter);

  if (n == self->n_synced)
    return;
  g_ptr_array_set_size (self->names, n);
  g_ptr_array_set_size (self->haystacks, n);
  g_array_set_size (self->parents, n);
  g_array_set_size (self->lane_groups, n);
  for (guint i = self->n_synced; i < n; i++)
    {
      const LsTimelineLane *lane = lane_at (self, i);
      int parent = -1;

      if (lane->kind == LS_TIMELINE_LANE_TASK)
        {
          parent = ls_interpreter_find_lane (self->interpreter, lane->creator_id);
          if (parent >= (int) i || (parent >= 0 && lane_at (self, parent)->kind
                                                   != LS_TIMELINE_LANE_TASK))
            parent = -1;
        }
      else
        g_array_append_val (self->primitives, i);
      g_array_index (self->parents, int, i) = parent;
    }
  self->n_synced = n;
  make_names (self, n);
  make_haystacks (self, n);
  make_groups (self, n);
}

/* ---- the filter ----------------------------------------------------------- */

static gboolean
matches_text (LsLaneLayout *self,
              guint         lane)
{
  const char *haystack = g_ptr_array_index (self->haystacks, lane);

  for (char **t = self->terms; t != NULL && *t != NULL; t++)
    if (strstr (haystack, *t) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
matches_state (LsLaneLayout *self,
               guint         index)
{
  const LsTimelineLane *lane = lane_at (self, index);
  const LsTimelineSpan *span;
  int i;

  if (self->states == 0)
    return TRUE;
  if (lane->kind != LS_TIMELINE_LANE_TASK || lane->spans->len == 0)
    return FALSE;
  i = self->filter_time < 0 ? (int) lane->spans->len - 1
                            : ls_interpreter_find_span (self->interpreter, index,
                                                        self->filter_time);
  if (i < 0)
    return FALSE;
  span = &g_array_index (lane->spans, LsTimelineSpan, i);
  return (self->states & (1u << span->state)) != 0;
}

static void
relate (gboolean *related,
        int       lane)
{
  if (lane >= 0)
    related[lane] = TRUE;
}

static gboolean
created_by (LsLaneLayout *self,
            guint         lane,
            guint32       creator)
{
  return creator != 0 && lane_at (self, lane)->creator_id == creator;
}

/* @lane and everything related to it (ls_lane_layout_set_related_to ()) */
static void
find_related (LsLaneLayout *self,
              guint         n,
              gboolean     *related)
{
  LsInterpreter *model = self->interpreter;
  guint s = (guint) self->related_to;
  const LsTimelineLane *selected;
  GArray *links = ls_interpreter_get_links (model);
  GArray *cancels = ls_interpreter_get_cancels (model);

  if (s >= n)
    return;
  selected = lane_at (self, s);
  related[s] = TRUE;
  /* its creator (a primitive's too) and what it created */
  relate (related, ls_interpreter_find_lane (model, selected->creator_id));
  for (guint i = 0; i < n; i++)
    if (selected->kind == LS_TIMELINE_LANE_TASK && created_by (self, i, selected->object_id))
      related[i] = TRUE;
  for (guint i = 0; i < links->len; i++)
    {
      const LsTimelineLink *l = &g_array_index (links, LsTimelineLink, i);

      if (l->from_lane == s || l->to_lane == s || l->via_lane == s)
        {
          relate (related, (int) l->from_lane);
          relate (related, (int) l->to_lane);
          if (l->via_lane != G_MAXUINT)
            relate (related, (int) l->via_lane);
        }
    }
  for (guint i = 0; i < cancels->len; i++)
    {
      const LsTimelineCancel *c = &g_array_index (cancels, LsTimelineCancel, i);
      int from = ls_interpreter_find_lane (model, c->from_task);
      int to = ls_interpreter_find_lane (model, c->to_task);

      if (from == (int) s || to == (int) s)
        {
          relate (related, from);
          relate (related, to);
        }
    }
  /* waits: what the selected task waited on, and who waited on it */
  for (guint i = 0; i < n; i++)
    {
      const LsTimelineLane *lane = lane_at (self, i);

      if (lane->kind == LS_TIMELINE_LANE_TASK)
        {
          for (guint k = 0; k < lane->spans->len; k++)
            {
              const LsTimelineSpan *span = &g_array_index (lane->spans, LsTimelineSpan, k);

              if (span->state != LS_TASK_STATE_WAITING || span->wait_object == 0)
                continue;
              if (i == s)
                relate (related, ls_interpreter_find_lane (model, span->wait_object));
              else if (span->wait_object == selected->object_id)
                related[i] = TRUE;
            }
          continue;
        }
      /* who held it, who queued for it */
      for (guint k = 0; lane->holds != NULL && k < lane->holds->len; k++)
        {
          guint32 task = g_array_index (lane->holds, LsTimelineHold, k).task_id;

          if (i == s)
            relate (related, ls_interpreter_find_lane (model, task));
          else if (task == selected->object_id)
            related[i] = TRUE;
        }
      for (guint k = 0; lane->waiters != NULL && k < lane->waiters->len; k++)
        {
          guint32 task = g_array_index (lane->waiters, LsTimelineWaiter, k).task_id;

          if (i == s)
            relate (related, ls_interpreter_find_lane (model, task));
          else if (task != 0 && task == selected->object_id)
            related[i] = TRUE;
        }
    }
}

/* ---- rows ------------------------------------------------------------------ */

typedef struct
{
  LsLaneLayout *self;
  gboolean     *shown;      /* per lane: the filter lets it through and it is not pinned */
  gboolean     *group_done;
  int          *first_child;
  int          *next_sibling;
  double        y;
} Build;

static double
lane_height (const LsTimelineLane *lane)
{
  double h;
  guint chips;

  if (lane->kind == LS_TIMELINE_LANE_TASK)
    return LS_LANE_ROW_HEIGHT;
  h = lane->steps != NULL && lane->steps->len > 0 ? LS_LANE_CHART_HEIGHT : LS_LANE_ROW_HEIGHT;
  chips = lane->waiter_rows[0] + lane->waiter_rows[1];
  if (chips > 0)
    h += chips * LS_LANE_CHIP_HEIGHT + 3.0;
  return h;
}

static guint
add_row (Build        *b,
         LsLaneRowKind kind,
         guint         lane,
         guint         group,
         guint         depth,
         gboolean      pinned)
{
  LsLaneLayout *self = b->self;
  LsLaneRow row = { kind, lane, group, (guint16) MIN (depth, G_MAXUINT16), pinned, b->y, 0 };

  row.height = kind == LS_LANE_ROW_GROUP ? LS_LANE_ROW_HEIGHT : lane_height (lane_at (self, lane));
  b->y += row.height;
  g_array_append_val (self->rows, row);
  return self->rows->len - 1;
}

/* @lane and all under it are drawn in @row (a folded group's) */
static void
fold_into (Build *b,
           guint  lane,
           int    row)
{
  if (g_array_index (b->self->lane_rows, int, lane) < 0)
    g_array_index (b->self->lane_rows, int, lane) = row;
  for (int c = b->first_child[lane]; c >= 0; c = b->next_sibling[c])
    fold_into (b, (guint) c, row);
}

static void visit (Build *b, guint lane, guint depth);

static void
visit_group (Build *b,
             guint  g,
             guint  depth)
{
  LsLaneLayout *self = b->self;
  LsLaneGroup *group = g_ptr_array_index (self->groups, g);
  guint first = G_MAXUINT;
  int row = -1;

  b->group_done[g] = TRUE;
  group->n_shown = 0;
  for (guint k = 0; k < group->members->len; k++)
    if (b->shown[g_array_index (group->members, guint, k)])
      {
        group->n_shown++;
        first = MIN (first, g_array_index (group->members, guint, k));
      }
  if (group->n_shown > 0)
    row = (int) add_row (b, LS_LANE_ROW_GROUP, first, g, depth, FALSE);
  for (guint k = 0; k < group->members->len; k++)
    {
      guint m = g_array_index (group->members, guint, k);

      if (group->expanded)
        visit (b, m, row >= 0 ? depth + 1 : depth);
      else
        fold_into (b, m, row);
    }
}

static void
visit (Build *b,
       guint  lane,
       guint  depth)
{
  LsLaneLayout *self = b->self;
  guint child_depth = depth;

  if (b->shown[lane])
    {
      guint row = add_row (b, LS_LANE_ROW_LANE, lane,
                           g_array_index (self->lane_groups, int, lane) >= 0
                           ? (guint) g_array_index (self->lane_groups, int, lane) : G_MAXUINT,
                           depth, FALSE);

      g_array_index (self->lane_rows, int, lane) = (int) row;
      child_depth = depth + 1;
    }
  for (int c = b->first_child[lane]; c >= 0; c = b->next_sibling[c])
    {
      int g = g_array_index (self->lane_groups, int, c);

      if (g < 0)
        visit (b, (guint) c, child_depth);
      else if (!b->group_done[g])
        visit_group (b, (guint) g, child_depth);
    }
}

static guint
current_shape (LsLaneLayout *self)
{
  guint shape = 0;

  for (guint i = 0; i < self->primitives->len; i++)
    {
      const LsTimelineLane *lane = lane_at (self, g_array_index (self->primitives, guint, i));

      shape += lane->waiter_rows[0] + lane->waiter_rows[1] + (lane->steps->len > 0) + lane->hidden;
    }
  return shape;
}

/* A group row's label, "queue.get() ×6", or NULL for a lane's row */
static char *
group_label (LsLaneLayout *self,
             guint         row)
{
  const LsLaneRow *r = &g_array_index (self->rows, LsLaneRow, row);
  const LsLaneGroup *group;
  g_autofree char *count = NULL;

  if (r->kind == LS_LANE_ROW_LANE)
    return NULL;
  group = g_ptr_array_index (self->groups, r->group);
  count = group->n_shown < group->members->len
          ? g_strdup_printf ("%u/%u", group->n_shown, group->members->len)
          : g_strdup_printf ("%u", group->members->len);
  /* "Task-… ×10000" for the numbered ones */
  if (g_array_index (self->lane_rows, int, group->parent) < 0)
    /* Translators: a folded group of tasks whose parent is not shown:
     * "queue.get() ×6 of Consumer 1" */
    return g_strdup_printf (_("%s%s ×%s of %s"), group->name, group->numbered ? "…" : "", count,
                            ls_lane_layout_get_name (self, group->parent));
  return g_strdup_printf ("%s%s ×%s", group->name, group->numbered ? "…" : "", count);
}

static void
make_rows (LsLaneLayout *self)
{
  guint n = self->n_synced;
  g_autofree gboolean *shown = g_new0 (gboolean, MAX (n, 1));
  g_autofree gboolean *related = NULL;
  g_autofree gboolean *group_done = g_new0 (gboolean, MAX (self->groups->len, 1));
  g_autofree int *first_child = g_new (int, MAX (n, 1));
  g_autofree int *last_child = g_new (int, MAX (n, 1));
  g_autofree int *next_sibling = g_new (int, MAX (n, 1));
  Build b = { self, shown, group_done, first_child, next_sibling, 0 };

  g_array_set_size (self->rows, 0);
  g_array_set_size (self->lane_rows, n);
  self->shape = current_shape (self);
  self->n_links = ls_interpreter_get_links (self->interpreter)->len
                  + ls_interpreter_get_cancels (self->interpreter)->len;
  if (self->related_to >= 0)
    {
      related = g_new0 (gboolean, MAX (n, 1));
      find_related (self, n, related);
    }
  for (guint i = 0; i < n; i++)
    {
      const LsTimelineLane *lane = lane_at (self, i);

      g_array_index (self->lane_rows, int, i) = -1;
      first_child[i] = last_child[i] = next_sibling[i] = -1;
      shown[i] = !lane->hidden && matches_text (self, i) && matches_state (self, i)
                 && (related == NULL || related[i]);
    }
  g_array_set_size (self->lane_shown, 0);
  g_array_append_vals (self->lane_shown, shown, n);
  for (guint i = 0; i < n; i++)
    {
      int parent = g_array_index (self->parents, int, i);

      if (parent < 0)
        continue;
      if (last_child[parent] < 0)
        first_child[parent] = (int) i;
      else
        next_sibling[last_child[parent]] = (int) i;
      last_child[parent] = (int) i;
    }

  /* the pinned lanes, shown whatever the filter says */
  for (guint k = 0; k < self->pins->len; k++)
    {
      guint lane = g_array_index (self->pins, guint, k);
      guint row;

      if (lane >= n || lane_at (self, lane)->hidden)
        continue;
      row = add_row (&b, LS_LANE_ROW_LANE, lane,
                     g_array_index (self->lane_groups, int, lane) >= 0
                     ? (guint) g_array_index (self->lane_groups, int, lane) : G_MAXUINT, 0, TRUE);
      g_array_index (self->lane_rows, int, lane) = (int) row;
      shown[lane] = FALSE;
    }
  self->n_pinned = self->rows->len;
  self->pinned_height = b.y;
  b.y = 0;

  /* the tasks, each followed by its children, then the primitives */
  for (guint i = 0; i < n; i++)
    if (lane_at (self, i)->kind == LS_TIMELINE_LANE_TASK
        && g_array_index (self->parents, int, i) < 0)
      visit (&b, i, 0);
  for (guint i = 0; i < n; i++)
    if (lane_at (self, i)->kind == LS_TIMELINE_LANE_PRIMITIVE && shown[i])
      {
        guint row = add_row (&b, LS_LANE_ROW_LANE, i, G_MAXUINT, 0, FALSE);

        g_array_index (self->lane_rows, int, i) = (int) row;
      }
  self->scrolled_height = b.y;

  g_ptr_array_set_size (self->row_labels, 0);
  for (guint r = 0; r < self->rows->len; r++)
    g_ptr_array_add (self->row_labels, group_label (self, r));
}

static void
rebuild (LsLaneLayout *self)
{
  sync_lanes (self);
  make_rows (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
on_interpreter_changed (LsLaneLayout *self)
{
  guint n_links = ls_interpreter_get_links (self->interpreter)->len
                  + ls_interpreter_get_cancels (self->interpreter)->len;

  /* the rows change with new lanes and taller ones; a state filter with
   * every record, the related lanes with new links */
  if (ls_interpreter_get_n_lanes (self->interpreter) != self->n_synced
      || current_shape (self) != self->shape
      || (self->states != 0 && self->filter_time < 0)
      || (self->related_to >= 0 && n_links != self->n_links))
    rebuild (self);
}

/* ---- the object --------------------------------------------------------------- */

/**
 * ls_lane_layout_new:
 * @interpreter: the run's interpreter
 *
 * Every lane of @interpreter, with the default folding, following it as
 * the run grows.
 */
LsLaneLayout *
ls_lane_layout_new (LsInterpreter *interpreter)
{
  LsLaneLayout *self;

  g_return_val_if_fail (LS_IS_INTERPRETER (interpreter), NULL);

  self = g_object_new (LS_TYPE_LANE_LAYOUT, NULL);
  self->interpreter = g_object_ref (interpreter);
  self->changed_id = g_signal_connect_swapped (interpreter, "changed",
                                               G_CALLBACK (on_interpreter_changed), self);
  sync_lanes (self);
  make_rows (self);
  return self;
}

LsInterpreter *
ls_lane_layout_get_interpreter (LsLaneLayout *self)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), NULL);
  return self->interpreter;
}

void
ls_lane_layout_set_grouping (LsLaneLayout *self,
                             gboolean      grouping)
{
  g_return_if_fail (LS_IS_LANE_LAYOUT (self));

  grouping = !!grouping;
  if (self->grouping == grouping)
    return;
  self->grouping = grouping;
  make_groups (self, self->n_synced);
  rebuild (self);
}

void
ls_lane_layout_set_filter_text (LsLaneLayout *self,
                                const char   *text)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (LS_IS_LANE_LAYOUT (self));

  if (text == NULL)
    text = "";
  if (g_strcmp0 (self->filter_text != NULL ? self->filter_text : "", text) == 0)
    return;
  g_free (self->filter_text);
  self->filter_text = g_strdup (text);
  g_strfreev (self->terms);
  folded = g_utf8_casefold (text, -1);
  self->terms = g_strsplit_set (g_strstrip (folded), " \t", -1);
  /* "a  b" splits into "a", "", "b": the empty words match anything */
  rebuild (self);
}

const char *
ls_lane_layout_get_filter_text (LsLaneLayout *self)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), NULL);
  return self->filter_text != NULL ? self->filter_text : "";
}

void
ls_lane_layout_set_filter_states (LsLaneLayout *self,
                                  guint         states)
{
  g_return_if_fail (LS_IS_LANE_LAYOUT (self));

  if (self->states == states)
    return;
  self->states = states;
  rebuild (self);
}

guint
ls_lane_layout_get_filter_states (LsLaneLayout *self)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), 0);
  return self->states;
}

void
ls_lane_layout_set_filter_time (LsLaneLayout *self,
                                gint64        time_ns)
{
  g_return_if_fail (LS_IS_LANE_LAYOUT (self));

  time_ns = MAX (time_ns, -1);
  if (self->filter_time == time_ns)
    return;
  self->filter_time = time_ns;
  if (self->states != 0)
    rebuild (self);
}

void
ls_lane_layout_set_related_to (LsLaneLayout *self,
                               int           lane)
{
  g_return_if_fail (LS_IS_LANE_LAYOUT (self));

  lane = MAX (lane, -1);
  if (self->related_to == lane)
    return;
  self->related_to = lane;
  rebuild (self);
}

int
ls_lane_layout_get_related_to (LsLaneLayout *self)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), -1);
  return self->related_to;
}

gboolean
ls_lane_layout_get_filtered (LsLaneLayout *self)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), FALSE);

  if (self->states != 0 || self->related_to >= 0)
    return TRUE;
  for (char **t = self->terms; t != NULL && *t != NULL; t++)
    if (**t != '\0')
      return TRUE;
  return FALSE;
}

void
ls_lane_layout_set_pinned (LsLaneLayout *self,
                           guint         lane,
                           gboolean      pinned)
{
  g_return_if_fail (LS_IS_LANE_LAYOUT (self));
  g_return_if_fail (lane < self->n_synced);

  if (!!pinned == ls_lane_layout_get_pinned (self, lane))
    return;
  if (pinned)
    g_array_append_val (self->pins, lane);
  else
    for (guint k = 0; k < self->pins->len; k++)
      if (g_array_index (self->pins, guint, k) == lane)
        {
          g_array_remove_index (self->pins, k);
          break;
        }
  rebuild (self);
}

gboolean
ls_lane_layout_get_pinned (LsLaneLayout *self,
                           guint         lane)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), FALSE);

  for (guint k = 0; k < self->pins->len; k++)
    if (g_array_index (self->pins, guint, k) == lane)
      return TRUE;
  return FALSE;
}

guint
ls_lane_layout_get_n_groups (LsLaneLayout *self)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), 0);
  return self->groups->len;
}

const LsLaneGroup *
ls_lane_layout_get_group (LsLaneLayout *self,
                          guint         group)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), NULL);
  g_return_val_if_fail (group < self->groups->len, NULL);
  return g_ptr_array_index (self->groups, group);
}

int
ls_lane_layout_get_lane_group (LsLaneLayout *self,
                               guint         lane)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), -1);
  return lane < self->lane_groups->len ? g_array_index (self->lane_groups, int, lane) : -1;
}

void
ls_lane_layout_set_group_expanded (LsLaneLayout *self,
                                   guint         group,
                                   gboolean      expanded)
{
  LsLaneGroup *g;

  g_return_if_fail (LS_IS_LANE_LAYOUT (self));
  g_return_if_fail (group < self->groups->len);

  g = g_ptr_array_index (self->groups, group);
  /* the choice is kept by the group's key: it outlives the group's index */
  g_hash_table_insert (self->expanded, g_strdup (g_ptr_array_index (self->group_keys, group)),
                       GUINT_TO_POINTER (expanded ? 1 : 2));
  if (!!expanded == g->expanded)
    return;
  g->expanded = !!expanded;
  rebuild (self);
}

guint
ls_lane_layout_get_n_rows (LsLaneLayout *self)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), 0);
  return self->rows->len;
}

const LsLaneRow *
ls_lane_layout_get_row (LsLaneLayout *self,
                        guint         row)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  return &g_array_index (self->rows, LsLaneRow, row);
}

guint
ls_lane_layout_get_n_pinned (LsLaneLayout *self)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), 0);
  return self->n_pinned;
}

double
ls_lane_layout_get_pinned_height (LsLaneLayout *self)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), 0);
  return self->pinned_height;
}

double
ls_lane_layout_get_scrolled_height (LsLaneLayout *self)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), 0);
  return self->scrolled_height;
}

int
ls_lane_layout_get_lane_row (LsLaneLayout *self,
                             guint         lane)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), -1);
  return lane < self->lane_rows->len ? g_array_index (self->lane_rows, int, lane) : -1;
}

gboolean
ls_lane_layout_get_lane_shown (LsLaneLayout *self,
                               guint         lane)
{
  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), FALSE);
  return lane < self->lane_shown->len && g_array_index (self->lane_shown, gboolean, lane);
}

int
ls_lane_layout_find_row (LsLaneLayout *self,
                         gboolean      pinned,
                         double        y)
{
  guint lo = pinned ? 0 : self->n_pinned;
  guint end = pinned ? self->n_pinned : self->rows->len;
  guint hi = end;

  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), -1);

  if (!(y >= 0))
    return -1;
  /* the last row starting at or above y */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->rows, LsLaneRow, mid).y <= y)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == (pinned ? 0 : self->n_pinned))
    return -1;
  {
    const LsLaneRow *row = &g_array_index (self->rows, LsLaneRow, lo - 1);

    return y < row->y + row->height ? (int) lo - 1 : -1;
  }
}

const char *
ls_lane_layout_get_name (LsLaneLayout *self,
                         guint         lane)
{
  const char *name;

  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), "");

  if (lane >= ls_interpreter_get_n_lanes (self->interpreter))
    return "";
  name = lane < self->names->len ? g_ptr_array_index (self->names, lane) : NULL;
  return name != NULL ? name : lane_at (self, lane)->label;
}

const char *
ls_lane_layout_get_row_label (LsLaneLayout *self,
                              guint         row)
{
  const char *label;

  g_return_val_if_fail (LS_IS_LANE_LAYOUT (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);

  label = g_ptr_array_index (self->row_labels, row);
  return label != NULL ? label
                       : ls_lane_layout_get_name (self, g_array_index (self->rows, LsLaneRow,
                                                                       row).lane);
}
