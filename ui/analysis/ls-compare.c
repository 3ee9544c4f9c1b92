/* SPDX-License-Identifier: MIT
 *
 * The comparison of two runs, computed once from their interpreters'
 * lanes. Lanes are matched by kind and label, in order of appearance (a
 * second lane with the same label matches the other run's second one);
 * with LS_COMPARE_CPYTHON_NAMES a task CPython left with its default name
 * (Task-N) matches the task of the other run whose number is N, and a
 * primitive left unmatched the next unmatched one of its kind. Two
 * matched lanes are the same when their spans (state, wait reason, start
 * and end), owners and counts are; where they part is the first
 * difference, which the views mark.
 */
#include "config.h"

#include "ls-compare.h"

struct _LsCompare
{
  GObject         parent_instance;

  LsInterpreter  *run[2];
  char           *label[2];
  LsCompareFlags  flags;
  GArray         *lanes;         /* LsCompareLane */
  GArray         *lane_index[2]; /* int per lane of each run: its comparison lane, or -1 */
  gint64          duration[2];
  gint64          waiting[2][LS_N_WAIT_REASONS];
  guint           n_differences;
  gboolean        identical;
};

G_DEFINE_FINAL_TYPE (LsCompare, ls_compare, G_TYPE_OBJECT)

static gint64
lane_end (LsInterpreter *model,
          const LsTimelineLane *lane,
          guint16       *state)
{
  const LsTimelineSpan *last;

  *state = 0;
  if (lane->spans == NULL || lane->spans->len == 0)
    return -1;
  last = &g_array_index (lane->spans, LsTimelineSpan, lane->spans->len - 1);
  if (last->state < LS_TASK_STATE_DONE)
    return -1;
  *state = last->state;
  return last->start_ns;
}

/* Time waiting, for @reason or (reason LS_N_WAIT_REASONS) any, up to the
 * run's end for a wait still open. */
static gint64
lane_waiting (const LsTimelineLane *lane,
              gint64                end,
              gint64               *per_reason)
{
  gint64 total = 0;

  for (guint i = 0; lane->spans != NULL && i < lane->spans->len; i++)
    {
      const LsTimelineSpan *s = &g_array_index (lane->spans, LsTimelineSpan, i);
      gint64 stop = s->end_ns == LS_TIMELINE_OPEN ? end : s->end_ns;

      if (s->state != LS_TASK_STATE_WAITING || stop <= s->start_ns)
        continue;
      total += stop - s->start_ns;
      if (per_reason != NULL && s->wait_reason < LS_N_WAIT_REASONS)
        per_reason[s->wait_reason] += stop - s->start_ns;
    }
  return total;
}

static gint64
lane_extreme (const LsTimelineLane *lane)
{
  gint64 extreme = -1;

  if (lane->kind != LS_TIMELINE_LANE_PRIMITIVE || lane->steps == NULL)
    return -1;
  if (ls_object_kind_is_queue (lane->object_kind))
    {
      extreme = 0;
      for (guint i = 0; i < lane->steps->len; i++)
        extreme = MAX (extreme, g_array_index (lane->steps, LsTimelineStep, i).value);
    }
  else if (ls_object_kind_is_semaphore (lane->object_kind))
    {
      extreme = lane->capacity;
      for (guint i = 0; i < lane->steps->len; i++)
        extreme = MIN (extreme, g_array_index (lane->steps, LsTimelineStep, i).value);
    }
  return extreme;
}

static gint64
min_time (gint64 a,
          gint64 b)
{
  if (a < 0)
    return b;
  if (b < 0)
    return a;
  return MIN (a, b);
}

/* The first instant two lanes part, or -1 when they do not. */
static gint64
first_difference (LsCompare            *self,
                  const LsTimelineLane *a,
                  const LsTimelineLane *b)
{
  gint64 at = -1;

  if (a->kind == LS_TIMELINE_LANE_TASK)
    {
      guint n = MIN (a->spans->len, b->spans->len);

      for (guint i = 0; i < n; i++)
        {
          const LsTimelineSpan *x = &g_array_index (a->spans, LsTimelineSpan, i);
          const LsTimelineSpan *y = &g_array_index (b->spans, LsTimelineSpan, i);

          if (x->start_ns != y->start_ns || x->state != y->state
              || (x->state == LS_TASK_STATE_WAITING && x->wait_reason != y->wait_reason))
            return MIN (x->start_ns, y->start_ns);
          if (x->end_ns != y->end_ns)
            return MIN (x->end_ns, y->end_ns);
        }
      if (a->spans->len != b->spans->len)
        {
          const GArray *longer = a->spans->len > b->spans->len ? a->spans : b->spans;

          return g_array_index (longer, LsTimelineSpan, n).start_ns;
        }
      return -1;
    }

  if (a->capacity != b->capacity || a->object_kind != b->object_kind)
    return 0;
  {
    guint n = MIN (a->steps->len, b->steps->len);

    for (guint i = 0; i < n && at < 0; i++)
      {
        const LsTimelineStep *x = &g_array_index (a->steps, LsTimelineStep, i);
        const LsTimelineStep *y = &g_array_index (b->steps, LsTimelineStep, i);

        if (x->time_ns != y->time_ns || x->value != y->value)
          at = MIN (x->time_ns, y->time_ns);
      }
    if (at < 0 && a->steps->len != b->steps->len)
      at = g_array_index (a->steps->len > b->steps->len ? a->steps : b->steps, LsTimelineStep,
                          n).time_ns;
  }
  {
    guint n = MIN (a->holds->len, b->holds->len);
    gint64 hold_at = -1;

    for (guint i = 0; i < n && hold_at < 0; i++)
      {
        const LsTimelineHold *x = &g_array_index (a->holds, LsTimelineHold, i);
        const LsTimelineHold *y = &g_array_index (b->holds, LsTimelineHold, i);
        int owner_a = ls_interpreter_find_lane (self->run[0], x->task_id);
        int owner_b = ls_interpreter_find_lane (self->run[1], y->task_id);
        gboolean same_owner = owner_a < 0 || owner_b < 0
                              ? owner_a == owner_b
                              : ls_compare_find (self, LS_COMPARE_A, owner_a)
                                == ls_compare_find (self, LS_COMPARE_B, owner_b);

        if (x->start_ns != y->start_ns || !same_owner)
          hold_at = MIN (x->start_ns, y->start_ns);
        else if (x->end_ns != y->end_ns)
          hold_at = MIN (x->end_ns, y->end_ns);
      }
    if (hold_at < 0 && a->holds->len != b->holds->len)
      hold_at = g_array_index (a->holds->len > b->holds->len ? a->holds : b->holds,
                               LsTimelineHold, n).start_ns;
    at = min_time (at, hold_at);
  }
  return at;
}

/* A task's key for LS_COMPARE_CPYTHON_NAMES: its number, when the run
 * left it with its default name (0 otherwise). */
static guint32
default_named_number (LsInterpreter        *model,
                      const LsTimelineLane *lane)
{
  const LsTaskEntry *task;

  if (lane->kind != LS_TIMELINE_LANE_TASK)
    return 0;
  task = ls_trace_state_get_task ((LsTraceState *) ls_interpreter_get_state (model),
                                  lane->object_id);
  return task != NULL && task->name_id == 0 ? task->number : 0;
}

static guint32
task_number (LsInterpreter        *model,
             const LsTimelineLane *lane)
{
  const LsTaskEntry *task;

  if (lane->kind != LS_TIMELINE_LANE_TASK)
    return 0;
  task = ls_trace_state_get_task ((LsTraceState *) ls_interpreter_get_state (model),
                                  lane->object_id);
  return task != NULL ? task->number : 0;
}

static char *
lane_key (const LsTimelineLane *lane,
          guint                 occurrence)
{
  return g_strdup_printf ("%d\x1f%s\x1f%u", lane->kind, lane->label != NULL ? lane->label : "",
                          occurrence);
}

static void
add_lane (LsCompare     *self,
          LsCompareSide  side,
          guint          lane_index,
          int            other_lane)
{
  LsCompareLane entry = { 0 };
  const LsTimelineLane *lane = ls_interpreter_get_lane (self->run[side], lane_index);

  entry.label = lane->label;
  entry.kind = lane->kind;
  entry.lane[side] = (int) lane_index;
  entry.lane[!side] = other_lane;
  entry.first_difference_ns = -1;
  g_array_append_val (self->lanes, entry);
  g_array_index (self->lane_index[side], int, lane_index) = (int) self->lanes->len - 1;
  if (other_lane >= 0)
    g_array_index (self->lane_index[!side], int, other_lane) = (int) self->lanes->len - 1;
}

/* B's first primitive lane of @kind not matched yet, plus one (0: none),
 * among those A has no lane of the same label for */
static guint
next_primitive_of_kind (LsCompare *self,
                        guint16    kind)
{
  LsInterpreter *b = self->run[1];

  for (guint row = 0; row < ls_interpreter_get_n_rows (b); row++)
    {
      guint l = ls_interpreter_get_row_lane (b, row);
      const LsTimelineLane *lane = ls_interpreter_get_lane (b, l);
      gboolean named_in_a = FALSE;

      if (lane->kind != LS_TIMELINE_LANE_PRIMITIVE || lane->object_kind != kind
          || g_array_index (self->lane_index[1], int, l) >= 0)
        continue;
      for (guint ra = 0; ra < ls_interpreter_get_n_rows (self->run[0]) && !named_in_a; ra++)
        {
          const LsTimelineLane *other =
            ls_interpreter_get_lane (self->run[0], ls_interpreter_get_row_lane (self->run[0], ra));

          named_in_a = other->kind == LS_TIMELINE_LANE_PRIMITIVE
                       && g_strcmp0 (other->label, lane->label) == 0;
        }
      if (!named_in_a)
        return l + 1;
    }
  return 0;
}

static void
match_lanes (LsCompare *self)
{
  g_autoptr(GHashTable) by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) by_number = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GHashTable) occurrences = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                             NULL);
  LsInterpreter *a = self->run[0], *b = self->run[1];

  for (guint side = 0; side < 2; side++)
    {
      guint n = ls_interpreter_get_n_lanes (self->run[side]);

      g_array_set_size (self->lane_index[side], n);
      for (guint i = 0; i < n; i++)
        g_array_index (self->lane_index[side], int, i) = -1;
    }

  /* B's lanes by label (and occurrence), and by default-named number */
  for (guint row = 0; row < ls_interpreter_get_n_rows (b); row++)
    {
      guint l = ls_interpreter_get_row_lane (b, row);
      const LsTimelineLane *lane = ls_interpreter_get_lane (b, l);
      g_autofree char *base = lane_key (lane, 0);
      guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (occurrences, base));
      guint32 number;

      g_hash_table_replace (occurrences, g_strdup (base), GUINT_TO_POINTER (seen + 1));
      g_hash_table_insert (by_key, lane_key (lane, seen), GUINT_TO_POINTER (l + 1));
      if ((self->flags & LS_COMPARE_CPYTHON_NAMES) && (number = default_named_number (b, lane)) != 0)
        g_hash_table_insert (by_number, GUINT_TO_POINTER (number), GUINT_TO_POINTER (l + 1));
    }
  g_hash_table_remove_all (occurrences);

  /* A's lanes in its order, each with its match in B */
  for (guint row = 0; row < ls_interpreter_get_n_rows (a); row++)
    {
      guint l = ls_interpreter_get_row_lane (a, row);
      const LsTimelineLane *lane = ls_interpreter_get_lane (a, l);
      g_autofree char *base = lane_key (lane, 0);
      guint seen = GPOINTER_TO_UINT (g_hash_table_lookup (occurrences, base));
      g_autofree char *key = lane_key (lane, seen);
      guint match = GPOINTER_TO_UINT (g_hash_table_lookup (by_key, key));

      g_hash_table_replace (occurrences, g_strdup (base), GUINT_TO_POINTER (seen + 1));
      if (match != 0 && g_array_index (self->lane_index[1], int, match - 1) >= 0)
        match = 0;
      if (match == 0 && (self->flags & LS_COMPARE_CPYTHON_NAMES))
        {
          match = GPOINTER_TO_UINT (g_hash_table_lookup (by_number,
                                                         GUINT_TO_POINTER (task_number (a, lane))));
          if (match != 0 && g_array_index (self->lane_index[1], int, match - 1) >= 0)
            match = 0;
        }
      if (match == 0 && (self->flags & LS_COMPARE_CPYTHON_NAMES)
          && lane->kind == LS_TIMELINE_LANE_PRIMITIVE)
        match = next_primitive_of_kind (self, lane->object_kind);
      add_lane (self, LS_COMPARE_A, l, (int) match - 1);
    }
  /* then what only B has, in B's order */
  for (guint row = 0; row < ls_interpreter_get_n_rows (b); row++)
    {
      guint l = ls_interpreter_get_row_lane (b, row);

      if (g_array_index (self->lane_index[1], int, l) < 0)
        add_lane (self, LS_COMPARE_B, l, -1);
    }
}

static gboolean
same_bands_and_deadlines (LsCompare *self)
{
  GArray *bands[2] = { ls_interpreter_get_bands (self->run[0]),
                       ls_interpreter_get_bands (self->run[1]) };
  GArray *deadlines[2] = { ls_interpreter_get_deadlines (self->run[0]),
                           ls_interpreter_get_deadlines (self->run[1]) };

  if (bands[0]->len != bands[1]->len || deadlines[0]->len != deadlines[1]->len)
    return FALSE;
  for (guint i = 0; i < bands[0]->len; i++)
    {
      const LsTimelineBand *x = &g_array_index (bands[0], LsTimelineBand, i);
      const LsTimelineBand *y = &g_array_index (bands[1], LsTimelineBand, i);

      if (x->start_ns != y->start_ns || x->end_ns != y->end_ns)
        return FALSE;
    }
  for (guint i = 0; i < deadlines[0]->len; i++)
    {
      const LsTimelineDeadline *x = &g_array_index (deadlines[0], LsTimelineDeadline, i);
      const LsTimelineDeadline *y = &g_array_index (deadlines[1], LsTimelineDeadline, i);

      if (x->start_ns != y->start_ns || x->deadline_ns != y->deadline_ns
          || x->reason != y->reason)
        return FALSE;
    }
  return TRUE;
}

static void
compute (LsCompare *self)
{
  match_lanes (self);
  for (guint side = 0; side < 2; side++)
    self->duration[side] = ls_interpreter_get_end_time (self->run[side]);

  for (guint i = 0; i < self->lanes->len; i++)
    {
      LsCompareLane *entry = &g_array_index (self->lanes, LsCompareLane, i);
      const LsTimelineLane *lanes[2] = { NULL, NULL };

      for (guint side = 0; side < 2; side++)
        {
          entry->end_ns[side] = -1;
          entry->extreme[side] = -1;
          if (entry->lane[side] < 0)
            continue;
          lanes[side] = ls_interpreter_get_lane (self->run[side], entry->lane[side]);
          if (lanes[side]->kind == LS_TIMELINE_LANE_TASK)
            {
              entry->end_ns[side] = lane_end (self->run[side], lanes[side],
                                              &entry->end_state[side]);
              entry->waiting_ns[side] = lane_waiting (lanes[side], self->duration[side],
                                                      self->waiting[side]);
            }
          else
            entry->extreme[side] = lane_extreme (lanes[side]);
        }
      if (lanes[0] == NULL || lanes[1] == NULL)
        {
          const LsTimelineLane *only = lanes[0] != NULL ? lanes[0] : lanes[1];

          /* one run has it, the other does not */
          entry->differs = TRUE;
          entry->first_difference_ns =
            only->spans != NULL && only->spans->len > 0
            ? g_array_index (only->spans, LsTimelineSpan, 0).start_ns : 0;
        }
      else
        {
          entry->first_difference_ns = first_difference (self, lanes[0], lanes[1]);
          entry->differs = entry->first_difference_ns >= 0;
        }
      if (entry->differs)
        self->n_differences++;
    }
  self->identical = self->n_differences == 0 && self->duration[0] == self->duration[1]
                    && same_bands_and_deadlines (self);
}

LsCompare *
ls_compare_new (LsInterpreter  *a,
                const char     *label_a,
                LsInterpreter  *b,
                const char     *label_b,
                LsCompareFlags  flags)
{
  LsCompare *self;

  g_return_val_if_fail (LS_IS_INTERPRETER (a), NULL);
  g_return_val_if_fail (LS_IS_INTERPRETER (b), NULL);

  self = g_object_new (LS_TYPE_COMPARE, NULL);
  self->run[0] = g_object_ref (a);
  self->run[1] = g_object_ref (b);
  self->label[0] = g_strdup (label_a != NULL ? label_a : "A");
  self->label[1] = g_strdup (label_b != NULL ? label_b : "B");
  self->flags = flags;
  compute (self);
  return self;
}

LsInterpreter *
ls_compare_get_interpreter (LsCompare     *self,
                            LsCompareSide  side)
{
  g_return_val_if_fail (LS_IS_COMPARE (self), NULL);
  return self->run[side != LS_COMPARE_A];
}

const char *
ls_compare_get_label (LsCompare     *self,
                      LsCompareSide  side)
{
  g_return_val_if_fail (LS_IS_COMPARE (self), NULL);
  return self->label[side != LS_COMPARE_A];
}

LsCompareFlags
ls_compare_get_flags (LsCompare *self)
{
  g_return_val_if_fail (LS_IS_COMPARE (self), 0);
  return self->flags;
}

guint
ls_compare_get_n_lanes (LsCompare *self)
{
  g_return_val_if_fail (LS_IS_COMPARE (self), 0);
  return self->lanes->len;
}

const LsCompareLane *
ls_compare_get_lane (LsCompare *self,
                     guint      index)
{
  g_return_val_if_fail (LS_IS_COMPARE (self), NULL);
  g_return_val_if_fail (index < self->lanes->len, NULL);
  return &g_array_index (self->lanes, LsCompareLane, index);
}

int
ls_compare_find (LsCompare     *self,
                 LsCompareSide  side,
                 guint          lane)
{
  GArray *index;

  g_return_val_if_fail (LS_IS_COMPARE (self), -1);
  index = self->lane_index[side != LS_COMPARE_A];
  return lane < index->len ? g_array_index (index, int, lane) : -1;
}

gint64
ls_compare_get_duration (LsCompare     *self,
                         LsCompareSide  side)
{
  g_return_val_if_fail (LS_IS_COMPARE (self), 0);
  return self->duration[side != LS_COMPARE_A];
}

gint64
ls_compare_get_waiting (LsCompare     *self,
                        LsCompareSide  side,
                        guint          reason)
{
  g_return_val_if_fail (LS_IS_COMPARE (self), 0);
  g_return_val_if_fail (reason < LS_N_WAIT_REASONS, 0);
  return self->waiting[side != LS_COMPARE_A][reason];
}

guint
ls_compare_get_n_differences (LsCompare *self)
{
  g_return_val_if_fail (LS_IS_COMPARE (self), 0);
  return self->n_differences;
}

gboolean
ls_compare_is_identical (LsCompare *self)
{
  g_return_val_if_fail (LS_IS_COMPARE (self), FALSE);
  return self->identical;
}

static void
ls_compare_dispose (GObject *object)
{
  LsCompare *self = LS_COMPARE (object);

  g_clear_object (&self->run[0]);
  g_clear_object (&self->run[1]);

  G_OBJECT_CLASS (ls_compare_parent_class)->dispose (object);
}

static void
ls_compare_finalize (GObject *object)
{
  LsCompare *self = LS_COMPARE (object);

  g_free (self->label[0]);
  g_free (self->label[1]);
  g_array_unref (self->lanes);
  g_array_unref (self->lane_index[0]);
  g_array_unref (self->lane_index[1]);

  G_OBJECT_CLASS (ls_compare_parent_class)->finalize (object);
}

static void
ls_compare_class_init (LsCompareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_compare_dispose;
  object_class->finalize = ls_compare_finalize;
}

static void
ls_compare_init (LsCompare *self)
{
  self->lanes = g_array_new (FALSE, TRUE, sizeof (LsCompareLane));
  self->lane_index[0] = g_array_new (FALSE, TRUE, sizeof (int));
  self->lane_index[1] = g_array_new (FALSE, TRUE, sizeof (int));
}
