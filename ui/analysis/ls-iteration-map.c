/* SPDX-License-Identifier: MIT
 *
 * The iteration view's axis: each record of the run gets a step, in the
 * order the records were written, so that what happened at one instant
 * reads left to right. A callback's records sit in its slot at steps that
 * come closer and closer to its end (never reaching it), so a task's
 * running bar starts where its callback starts and ends where it suspends.
 * Deadlines (a timer's, a scope's) lie in the future of the record that
 * sets them, where no step exists yet: they are moved beyond every step,
 * in their order, so a deadline's bracket runs to where its scope ends.
 */
#include "config.h"

#include "ls-iteration-map.h"

#define SEPARATOR  100  /* steps between two iterations at one instant */
#define BETWEEN    500  /* steps for what happens outside an iteration */
#define FUTURE     (G_GINT64_CONSTANT (1) << 52) /* a deadline: beyond every step */

struct _LsIterationMap
{
  GObject        parent_instance;

  LsTrace       *source;
  gulong         added_id;
  LsTrace       *trace;       /* the run in steps */
  LsInterpreter *interpreter;
  GArray        *iterations;  /* LsIteration */
  GArray        *slots;       /* LsIterationSlot */
  guint64        n_copied;
  guint32        n_strings;
  GArray        *string_ids;  /* guint32: the copy's id of each source string */

  /* where records are being placed: a slot, or outside any iteration */
  gint64         seg_x0;
  gint64         seg_width;
  gint64         seg_min;     /* its width with no record in it */
  guint          seg_count;
  gboolean       in_iteration;
  gint64         last_end_ns; /* the last iteration's end, or -1 */
};

G_DEFINE_FINAL_TYPE (LsIterationMap, ls_iteration_map, G_TYPE_OBJECT)

static gint64
segment_end (LsIterationMap *self)
{
  return self->seg_x0 + self->seg_width;
}

static void
start_segment (LsIterationMap *self,
               gint64          x0,
               gint64          width)
{
  self->seg_x0 = x0;
  self->seg_width = self->seg_min = width;
  self->seg_count = 0;
}

static LsIteration *current_iteration (LsIterationMap *self);
static LsIterationSlot *current_slot (LsIterationMap *self);

/* The next record inside the segment, which widens to hold it. */
static gint64
place (LsIterationMap *self)
{
  self->seg_count++;
  self->seg_width = MAX (self->seg_min, (gint64) (self->seg_count + 1) * LS_ITERATION_RECORD);
  if (self->in_iteration)
    {
      current_slot (self)->x1 = segment_end (self);
      current_iteration (self)->x1 = segment_end (self);
    }
  return self->seg_x0 + (gint64) self->seg_count * LS_ITERATION_RECORD;
}

static LsIteration *
current_iteration (LsIterationMap *self)
{
  g_assert (self->iterations->len > 0);
  return &g_array_index (self->iterations, LsIteration, self->iterations->len - 1);
}

static LsIterationSlot *
current_slot (LsIterationMap *self)
{
  g_assert (self->slots->len > 0);
  return &g_array_index (self->slots, LsIterationSlot, self->slots->len - 1);
}

static gint64
begin_iteration (LsIterationMap      *self,
                 guint64              index,
                 const LsTraceRecord *r)
{
  LsIteration it = { 0 };
  LsIterationSlot head = { 0 };
  gint64 x = self->seg_count > 0 ? segment_end (self) : self->seg_x0;

  if (self->in_iteration)
    x = segment_end (self); /* an iteration that never ended: close it here */
  if (self->iterations->len > 0)
    x += SEPARATOR;
  if (self->last_end_ns >= 0 && r->time > self->last_end_ns)
    {
      it.idle_ns = r->time - self->last_end_ns;
      x += LS_ITERATION_GAP;
    }
  it.number = (guint64) MAX (r->arg, 0);
  it.first_record = index;
  it.end_record = index + 1;
  it.start_ns = it.end_ns = r->time;
  it.x0 = x;
  it.x1 = x + LS_ITERATION_HEAD;
  it.first_slot = self->slots->len;
  it.n_slots = 1;
  g_array_append_val (self->iterations, it);

  head.record = index;
  head.x0 = x;
  head.x1 = x + LS_ITERATION_HEAD;
  head.iteration = self->iterations->len - 1;
  g_array_append_val (self->slots, head);

  self->in_iteration = TRUE;
  start_segment (self, x, LS_ITERATION_HEAD);
  return x;
}

static gint64
run_handle (LsIterationMap      *self,
            guint64              index,
            const LsTraceRecord *r)
{
  LsIterationSlot slot = { 0 };
  gint64 x = segment_end (self);
  LsIteration *it = current_iteration (self);

  current_slot (self)->x1 = x;
  slot.record = index;
  slot.x0 = x;
  slot.x1 = x + LS_ITERATION_SLOT;
  slot.iteration = self->iterations->len - 1;
  slot.handle_id = r->object;
  slot.task_id = r->subject;
  slot.kind = r->reason;
  slot.skipped = r->arg != 0;
  g_array_append_val (self->slots, slot);
  it->n_slots++;
  it->x1 = slot.x1;
  start_segment (self, x, LS_ITERATION_SLOT);
  return x;
}

static gint64
end_iteration (LsIterationMap      *self,
               guint64              index,
               const LsTraceRecord *r)
{
  gint64 x = segment_end (self);
  LsIteration *it = current_iteration (self);

  current_slot (self)->x1 = x;
  it->x1 = x;
  it->end_ns = r->time;
  it->end_record = index + 1;
  self->last_end_ns = r->time;
  self->in_iteration = FALSE;
  start_segment (self, x, BETWEEN);
  return x;
}

static guint32
copy_string (LsIterationMap *self,
             guint32         id)
{
  return id < self->string_ids->len ? g_array_index (self->string_ids, guint32, id) : 0;
}

static gint64
future (gint64 deadline)
{
  return deadline < 0 ? deadline : FUTURE + MIN (deadline, G_MAXINT64 - FUTURE);
}

static void
copy_records (LsIterationMap *self)
{
  LsTraceChunks *chunks = _ls_trace_get_chunks (self->trace);
  guint64 n = ls_trace_get_n_records (self->source);
  guint32 n_strings = ls_trace_get_n_strings (self->source);

  /* the strings first: records name them by id, and a copy's ids are its own */
  for (guint32 id = self->n_strings; id < n_strings; id++)
    {
      guint32 copy = id == 0 ? 0 : ls_trace_intern (self->trace,
                                                    ls_trace_get_string (self->source, id));

      g_array_append_val (self->string_ids, copy);
    }
  self->n_strings = n_strings;

  for (guint64 i = self->n_copied; i < n; i++)
    {
      const LsTraceRecord *r = ls_trace_get_record (self->source, i);
      LsTraceRecord c = *r;

      switch (r->kind)
        {
        case LS_TRACE_LOOP_ITERATION_BEGIN:
          c.time = begin_iteration (self, i, r);
          break;
        case LS_TRACE_HANDLE_RUN:
          c.time = self->in_iteration ? run_handle (self, i, r) : place (self);
          break;
        case LS_TRACE_LOOP_ITERATION_END:
          c.time = self->in_iteration ? end_iteration (self, i, r) : place (self);
          break;
        default:
          c.time = place (self);
          break;
        }
      if (self->in_iteration && r->kind != LS_TRACE_LOOP_ITERATION_END)
        {
          current_iteration (self)->end_record = i + 1;
          current_iteration (self)->end_ns = r->time;
        }

      /* what names a string or an instant to come */
      switch (r->kind)
        {
        case LS_TRACE_OBJECT_NEW:
        case LS_TRACE_CANCEL_REQUEST:
        case LS_TRACE_PRINT:
        case LS_TRACE_IO_BEGIN:
        case LS_TRACE_THREAD_WORK_SUBMIT:
        case LS_TRACE_TASK_GROUP_EXIT:
          c.peer = copy_string (self, r->peer);
          break;
        case LS_TRACE_TASK_DONE:
          c.peer = copy_string (self, r->peer);
          c.arg = ls_trace_error_arg (ls_trace_error_code (r->arg),
                                      copy_string (self, ls_trace_error_name_id (r->arg)));
          break;
        case LS_TRACE_TASK_SUSPEND:
        case LS_TRACE_TIMER_ADD:
        case LS_TRACE_SCOPE_BEGIN:
        case LS_TRACE_LOOP_BLOCKED_BEGIN:
          c.arg = future (r->arg);
          break;
        default:
          break;
        }
      ls_trace_append (chunks, c.time, c.kind, c.reason, c.subject, c.object, c.peer, c.arg);
    }
  self->n_copied = n;
  ls_trace_flush (self->trace);
}

static void
on_records_added (LsTrace        *trace,
                  guint64         first,
                  guint64         n,
                  LsIterationMap *self)
{
  copy_records (self);
}

static void
ls_iteration_map_dispose (GObject *object)
{
  LsIterationMap *self = LS_ITERATION_MAP (object);

  if (self->source != NULL)
    g_clear_signal_handler (&self->added_id, self->source);
  g_clear_object (&self->source);
  g_clear_object (&self->interpreter);
  g_clear_object (&self->trace);

  G_OBJECT_CLASS (ls_iteration_map_parent_class)->dispose (object);
}

static void
ls_iteration_map_finalize (GObject *object)
{
  LsIterationMap *self = LS_ITERATION_MAP (object);

  g_array_unref (self->iterations);
  g_array_unref (self->slots);
  g_array_unref (self->string_ids);

  G_OBJECT_CLASS (ls_iteration_map_parent_class)->finalize (object);
}

static void
ls_iteration_map_class_init (LsIterationMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ls_iteration_map_dispose;
  object_class->finalize = ls_iteration_map_finalize;
}

static void
ls_iteration_map_init (LsIterationMap *self)
{
  self->iterations = g_array_new (FALSE, TRUE, sizeof (LsIteration));
  self->slots = g_array_new (FALSE, TRUE, sizeof (LsIterationSlot));
  self->string_ids = g_array_new (FALSE, TRUE, sizeof (guint32));
  self->last_end_ns = -1;
  start_segment (self, 0, BETWEEN);
}

LsIterationMap *
ls_iteration_map_new (LsTrace *trace)
{
  LsIterationMap *self;

  g_return_val_if_fail (LS_IS_TRACE (trace), NULL);

  self = g_object_new (LS_TYPE_ITERATION_MAP, NULL);
  self->source = g_object_ref (trace);
  self->trace = ls_trace_new ();
  self->interpreter = ls_interpreter_new (self->trace);
  copy_records (self);
  self->added_id = g_signal_connect (trace, "records-added", G_CALLBACK (on_records_added), self);
  return self;
}

LsInterpreter *
ls_iteration_map_get_interpreter (LsIterationMap *self)
{
  g_return_val_if_fail (LS_IS_ITERATION_MAP (self), NULL);
  return self->interpreter;
}

GArray *
ls_iteration_map_get_iterations (LsIterationMap *self)
{
  g_return_val_if_fail (LS_IS_ITERATION_MAP (self), NULL);
  return self->iterations;
}

GArray *
ls_iteration_map_get_slots (LsIterationMap *self)
{
  g_return_val_if_fail (LS_IS_ITERATION_MAP (self), NULL);
  return self->slots;
}

gint64
ls_iteration_map_get_end (LsIterationMap *self)
{
  g_return_val_if_fail (LS_IS_ITERATION_MAP (self), 0);
  return ls_trace_get_end_time (self->trace);
}

gint64
ls_iteration_map_record_step (LsIterationMap *self,
                              guint64         index)
{
  g_return_val_if_fail (LS_IS_ITERATION_MAP (self), 0);
  if (index >= ls_trace_get_n_records (self->trace))
    return ls_iteration_map_get_end (self);
  return ls_trace_get_record (self->trace, index)->time;
}

guint64
ls_iteration_map_records_until (LsIterationMap *self,
                                gint64          step)
{
  g_return_val_if_fail (LS_IS_ITERATION_MAP (self), 0);
  if (step < 0)
    return 0;
  if (step == G_MAXINT64)
    return ls_trace_get_n_records (self->trace);
  return ls_trace_find_time (self->trace, step + 1);
}

gint64
ls_iteration_map_time_to_step (LsIterationMap *self,
                               gint64          time_ns)
{
  guint64 n;

  g_return_val_if_fail (LS_IS_ITERATION_MAP (self), 0);
  if (time_ns < 0)
    return time_ns;
  n = time_ns == G_MAXINT64 ? ls_trace_get_n_records (self->source)
                            : ls_trace_find_time (self->source, time_ns + 1);
  n = MIN (n, ls_trace_get_n_records (self->trace));
  return n > 0 ? ls_trace_get_record (self->trace, n - 1)->time : 0;
}

gint64
ls_iteration_map_step_to_time (LsIterationMap *self,
                               gint64          step)
{
  guint64 n;

  g_return_val_if_fail (LS_IS_ITERATION_MAP (self), 0);
  n = ls_iteration_map_records_until (self, step);
  return n > 0 ? ls_trace_get_record (self->source, n - 1)->time : 0;
}

/* g_array_binary_search () passes the element first: how it compares
 * with the step looked for */
static int
compare_iteration (gconstpointer element,
                   gconstpointer key)
{
  gint64 step = *(const gint64 *) key;
  const LsIteration *it = element;

  if (step < it->x0)
    return 1;
  return step >= it->x1 ? -1 : 0;
}

gboolean
ls_iteration_map_find (LsIterationMap *self,
                       gint64          step,
                       guint          *iteration,
                       guint          *slot)
{
  guint index;
  const LsIteration *it;

  g_return_val_if_fail (LS_IS_ITERATION_MAP (self), FALSE);

  if (!g_array_binary_search (self->iterations, &step, compare_iteration, &index))
    return FALSE;
  it = &g_array_index (self->iterations, LsIteration, index);
  if (iteration != NULL)
    *iteration = index;
  if (slot != NULL)
    {
      guint s = it->first_slot;

      while (s + 1 < it->first_slot + it->n_slots
             && g_array_index (self->slots, LsIterationSlot, s + 1).x0 <= step)
        s++;
      *slot = s;
    }
  return TRUE;
}
