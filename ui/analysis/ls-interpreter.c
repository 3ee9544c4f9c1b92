/* SPDX-License-Identifier: MIT
 *
 * The interpreter: one replay (ls-replay.c) runs ahead with the records as
 * they arrive and reports what each changed; the lanes are the history of
 * those changes. Task spans, owners, permits and depths are therefore
 * exactly what the replayed state says at every instant. A copy of that
 * state is kept every LS_INTERPRETER_CHECKPOINT_INTERVAL records, so a
 * second replay (the cursor) reaches any instant from the nearest copy.
 */
#include "config.h"

#include "ls-interpreter-private.h"

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (LsInterpreter, ls_interpreter, G_TYPE_OBJECT)

static void
lane_clear (gpointer data)
{
  LsTimelineLane *lane = data;

  g_clear_pointer (&lane->label, g_free);
  g_clear_pointer (&lane->spans, g_array_unref);
  g_clear_pointer (&lane->holds, g_array_unref);
  g_clear_pointer (&lane->steps, g_array_unref);
  g_clear_pointer (&lane->marks, g_array_unref);
  g_clear_pointer (&lane->waiters, g_array_unref);
  g_clear_pointer (&lane->wakes, g_array_unref);
}

static void
ls_interpreter_dispose (GObject *object)
{
  LsInterpreter *self = LS_INTERPRETER (object);

  if (self->trace != NULL)
    g_clear_signal_handler (&self->records_added_id, self->trace);
  g_clear_object (&self->trace);

  G_OBJECT_CLASS (ls_interpreter_parent_class)->dispose (object);
}

static void
ls_interpreter_finalize (GObject *object)
{
  LsInterpreter *self = LS_INTERPRETER (object);

  g_array_unref (self->lanes);
  g_hash_table_unref (self->lane_index);
  g_array_unref (self->rows);
  g_array_unref (self->lane_rows);
  g_array_unref (self->bands);
  g_array_unref (self->prints);
  g_array_unref (self->cancels);
  g_array_unref (self->deadlines);
  g_array_unref (self->links);
  g_array_unref (self->wakes);
  g_hash_table_unref (self->timers);
  g_hash_table_unref (self->ios);
  g_hash_table_unref (self->deadline_of);
  g_hash_table_unref (self->completers);
  g_array_unref (self->completions);
  g_hash_table_unref (self->callback_causes);
  ls_replay_free (self->head);
  ls_replay_free (self->cursor);
  g_ptr_array_unref (self->checkpoints);

  G_OBJECT_CLASS (ls_interpreter_parent_class)->finalize (object);
}

static void
ls_interpreter_class_init (LsInterpreterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_interpreter_dispose;
  object_class->finalize = ls_interpreter_finalize;

  /**
   * LsInterpreter::changed:
   *
   * Emitted once per batch of new records (LsTrace::records-added), so a
   * view redraws once per dispatch of the loop, never per record.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
}

static void
ls_interpreter_init (LsInterpreter *self)
{
  self->lanes = g_array_new (FALSE, TRUE, sizeof (LsTimelineLane));
  g_array_set_clear_func (self->lanes, lane_clear);
  self->lane_index = g_hash_table_new (NULL, NULL);
  self->rows = g_array_new (FALSE, FALSE, sizeof (guint));
  self->lane_rows = g_array_new (FALSE, FALSE, sizeof (int));
  self->bands = g_array_new (FALSE, FALSE, sizeof (LsTimelineBand));
  self->prints = g_array_new (FALSE, FALSE, sizeof (LsTimelinePrint));
  self->cancels = g_array_new (FALSE, FALSE, sizeof (LsTimelineCancel));
  self->deadlines = g_array_new (FALSE, FALSE, sizeof (LsTimelineDeadline));
  self->links = g_array_new (FALSE, FALSE, sizeof (LsTimelineLink));
  self->wakes = g_array_new (FALSE, FALSE, sizeof (LsTimelineWake));
  self->timers = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->ios = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->deadline_of = g_hash_table_new (NULL, NULL);
  self->completers = g_hash_table_new (NULL, NULL);
  self->completions = g_array_new (FALSE, FALSE, sizeof (Completion));
  self->callback_causes = g_hash_table_new (NULL, NULL);
  self->head = ls_replay_new ();
  self->cursor = ls_replay_new ();
  self->checkpoints = g_ptr_array_new_with_free_func ((GDestroyNotify) ls_replay_checkpoint_free);
}

/* One record: the replay says what it changed, the history keeps it, and
 * every CHECKPOINT_INTERVAL records the state is copied. */
static void
apply (LsInterpreter       *self,
       const LsTraceRecord *r)
{
  LsReplayChange change;

  ls_replay_apply (self->head, r, &change);
  self->end_time = MAX (self->end_time, r->time);
  _ls_interpreter_record (self, r, &change);
  if (ls_replay_get_n_records (self->head) % LS_INTERPRETER_CHECKPOINT_INTERVAL == 0)
    g_ptr_array_add (self->checkpoints, ls_replay_save (self->head));
}

static void
consume (LsInterpreter *self,
         guint64        n_records)
{
  n_records = MIN (n_records, ls_trace_get_n_records (self->trace));
  for (guint64 i = ls_replay_get_n_records (self->head); i < n_records; i++)
    apply (self, ls_trace_get_record (self->trace, i));
  if (self->rows_dirty)
    _ls_interpreter_update_rows (self);
}

static void
on_records_added (LsTrace       *trace,
                  guint64        first,
                  guint64        n,
                  LsInterpreter *self)
{
  if (first + n <= ls_replay_get_n_records (self->head))
    return;
  consume (self, first + n);
  g_signal_emit (self, signals[CHANGED], 0);
}

/**
 * ls_interpreter_new:
 * @trace: the trace to follow
 *
 * Reads every record already in @trace, then each batch as it is added.
 */
LsInterpreter *
ls_interpreter_new (LsTrace *trace)
{
  LsInterpreter *self;

  g_return_val_if_fail (LS_IS_TRACE (trace), NULL);

  self = g_object_new (LS_TYPE_INTERPRETER, NULL);
  self->trace = g_object_ref (trace);
  consume (self, ls_trace_get_n_records (trace));
  self->records_added_id = g_signal_connect (trace, "records-added",
                                             G_CALLBACK (on_records_added), self);
  return self;
}

LsTrace *
ls_interpreter_get_trace (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);
  return self->trace;
}

gint64
ls_interpreter_get_end_time (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), 0);
  return self->end_time;
}

/* ---- the loop at an instant ----------------------------------------------- */

const LsTraceState *
ls_interpreter_get_state (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);
  return ls_replay_get_state (self->head);
}

const LsTraceState *
ls_interpreter_state_at_record (LsInterpreter *self,
                                guint64        n_records)
{
  guint64 at;

  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);

  n_records = MIN (n_records, ls_replay_get_n_records (self->head));
  at = ls_replay_get_n_records (self->cursor);
  /* from where the cursor is, when that is closer than a checkpoint */
  if (n_records < at || n_records - at > LS_INTERPRETER_CHECKPOINT_INTERVAL)
    {
      guint k = (guint) MIN (n_records / LS_INTERPRETER_CHECKPOINT_INTERVAL,
                             self->checkpoints->len);

      if (k > 0)
        ls_replay_restore (self->cursor, g_ptr_array_index (self->checkpoints, k - 1));
      else
        ls_replay_reset (self->cursor);
    }
  ls_replay_run (self->cursor, self->trace, n_records);
  return ls_replay_get_state (self->cursor);
}

const LsTraceState *
ls_interpreter_state_at (LsInterpreter *self,
                         gint64         time_ns)
{
  guint64 n;

  g_return_val_if_fail (LS_IS_INTERPRETER (self), NULL);

  if (time_ns < 0)
    return ls_interpreter_get_state (self);
  n = ls_trace_find_time (self->trace, time_ns == G_MAXINT64 ? time_ns : time_ns + 1);
  if (n >= ls_replay_get_n_records (self->head))
    return ls_interpreter_get_state (self);
  return ls_interpreter_state_at_record (self, n);
}

guint
ls_interpreter_get_n_checkpoints (LsInterpreter *self)
{
  g_return_val_if_fail (LS_IS_INTERPRETER (self), 0);
  return self->checkpoints->len;
}

gsize
ls_interpreter_get_checkpoint_bytes (LsInterpreter *self)
{
  gsize bytes = 0;

  g_return_val_if_fail (LS_IS_INTERPRETER (self), 0);
  for (guint i = 0; i < self->checkpoints->len; i++)
    bytes += ls_replay_checkpoint_get_size (g_ptr_array_index (self->checkpoints, i));
  return bytes;
}
