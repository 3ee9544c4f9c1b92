/* SPDX-License-Identifier: MIT
 *
 * The records a trace file may hold. Each record on its own: a known
 * kind, a reason within the kind's enum, strings that exist, times that
 * never go back. And in sequence: every id is declared once (OBJECT_NEW
 * with a non-zero id; a timer is added once), and what must be a task or
 * a primitive (see the field comments in ls-trace.h) is one declared
 * before. Only what no run of the runtime can write is rejected: every
 * scenario's trace passes (tests/test-trace-json.c checks them all).
 */
#include "config.h"

#include "ls-trace-check.h"

#include <glib/gi18n.h>

G_DEFINE_QUARK (ls-trace-check-error-quark, ls_trace_check_error)

struct _LsTraceChecker
{
  LsTrace             *trace;
  GHashTable          *objects;    /* declared id -> LsObjectKind */
  GHashTable          *timers;     /* timer ids added */
  gint64               last_time;
  guint64              index;
  const LsTraceRecord *r;          /* the record being checked */
  GError             **error;
};

typedef LsTraceChecker Checker;

G_GNUC_PRINTF (2, 3)
static gboolean
impossible (Checker    *c,
            const char *format,
            ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  /* TRANSLATORS: "record 12 (task-suspend): task 7 was never created" */
  g_set_error (c->error, LS_TRACE_CHECK_ERROR, LS_TRACE_CHECK_ERROR_IMPOSSIBLE,
               _("record %llu (%s): %s"), (unsigned long long) c->index,
               ls_trace_kind_name (c->r->kind), what);
  return FALSE;
}

/* The largest reason a kind takes, or -1 when its reason is no enum. */
static int
max_reason (guint kind,
            guint *min)
{
  *min = 0;
  switch (kind)
    {
    case LS_TRACE_OBJECT_NEW:
      *min = LS_OBJECT_TASK;
      return LS_OBJECT_TASK_GROUP;
    case LS_TRACE_READY_PUSH:
    case LS_TRACE_HANDLE_RUN:
      *min = LS_HANDLE_TASK_STEP;
      return LS_HANDLE_IO;
    case LS_TRACE_TASK_SUSPEND:
    case LS_TRACE_TIMER_ADD:
      return LS_N_WAIT_REASONS - 1;
    case LS_TRACE_TASK_DONE:
    case LS_TRACE_FUTURE_DONE:
    case LS_TRACE_IO_COMPLETE:
    case LS_TRACE_SCOPE_END:
    case LS_TRACE_THREAD_WORK_END:
    case LS_TRACE_TASK_GROUP_EXIT:
      return LS_OUTCOME_CANCELLED;
    case LS_TRACE_PRIMITIVE:
      *min = LS_PRIMITIVE_WAIT_BEGIN;
      return LS_PRIMITIVE_BARRIER_STATE;
    default:
      return -1;
    }
}

static gboolean
is_string_peer (guint kind)
{
  return kind == LS_TRACE_OBJECT_NEW || kind == LS_TRACE_TASK_DONE
         || kind == LS_TRACE_CANCEL_REQUEST || kind == LS_TRACE_PRINT
         || kind == LS_TRACE_IO_BEGIN || kind == LS_TRACE_THREAD_WORK_SUBMIT
         || kind == LS_TRACE_TASK_GROUP_EXIT;
}

/* 0 when @id was never declared */
static guint
object_kind (Checker *c,
             guint32  id)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (c->objects, GUINT_TO_POINTER (id)));
}

static gboolean
check_task (Checker    *c,
            const char *field,
            guint32     id,
            gboolean    may_be_none)
{
  guint kind;

  if (id == 0 && may_be_none)
    return TRUE;
  kind = object_kind (c, id);
  if (kind == 0)
    /* TRANSLATORS: "subject: task 7 was never created" */
    return impossible (c, _("%s: task %u was never created"), field, id);
  if (kind != LS_OBJECT_TASK)
    return impossible (c, _("%s: %u is a %s, not a task"), field, id,
                       ls_object_kind_name (kind));
  return TRUE;
}

static gboolean
check_primitive (Checker    *c,
                 const char *field,
                 guint32     id)
{
  guint kind = object_kind (c, id);

  if (kind == 0)
    return impossible (c, _("%s: primitive %u was never created"), field, id);
  if (!ls_object_kind_is_primitive (kind))
    return impossible (c, _("%s: %u is a %s, not a lock, event, condition, semaphore, "
                            "barrier or queue"), field, id, ls_object_kind_name (kind));
  return TRUE;
}

/* Which fields must name a task or a primitive. */
static gboolean
check_references (Checker *c)
{
  const LsTraceRecord *r = c->r;

  switch (r->kind)
    {
    case LS_TRACE_OBJECT_NEW:
      if (r->object == 0)
        return impossible (c, _("object id 0"));
      if (object_kind (c, r->object) != 0)
        return impossible (c, _("object %u is created a second time"), r->object);
      if (!check_task (c, "subject", r->subject, TRUE))
        return FALSE;
      g_hash_table_insert (c->objects, GUINT_TO_POINTER (r->object),
                           GUINT_TO_POINTER ((guint) r->reason));
      return TRUE;

    case LS_TRACE_TIMER_ADD:
      if (r->object == 0)
        return impossible (c, _("timer id 0"));
      if (!g_hash_table_add (c->timers, GUINT_TO_POINTER (r->object)))
        return impossible (c, _("timer %u is added a second time"), r->object);
      return check_task (c, "subject", r->subject, TRUE);

    case LS_TRACE_TASK_DONE:
      if (r->arg < 0 || ls_trace_error_name_id (r->arg) >= ls_trace_get_n_strings (c->trace))
        return impossible (c, _("error name %llu does not exist (there are %u strings)"),
                           (unsigned long long) ls_trace_error_name_id (r->arg),
                           ls_trace_get_n_strings (c->trace));
      return check_task (c, "subject", r->subject, FALSE);

    case LS_TRACE_TASK_SUSPEND:
    case LS_TRACE_SCOPE_BEGIN:
      return check_task (c, "subject", r->subject, FALSE);

    case LS_TRACE_READY_PUSH:
    case LS_TRACE_HANDLE_RUN:
      return check_task (c, "subject", r->subject,
                         r->reason != LS_HANDLE_TASK_STEP && r->reason != LS_HANDLE_TASK_WAKEUP);

    case LS_TRACE_PRIMITIVE:
      if (!check_task (c, "subject", r->subject, TRUE) || !check_primitive (c, "object", r->object))
        return FALSE;
      if (r->reason == LS_PRIMITIVE_PART_OF)
        return check_primitive (c, "peer", r->peer);
      if (r->reason == LS_PRIMITIVE_HANDOFF)
        return check_task (c, "peer", r->peer, TRUE);
      return TRUE;

    case LS_TRACE_LOOP_BLOCKED_BEGIN:
    case LS_TRACE_LOOP_BLOCKED_END:
    case LS_TRACE_FUTURE_DONE:
    case LS_TRACE_CANCEL_REQUEST:
    case LS_TRACE_PRINT:
    case LS_TRACE_IO_BEGIN:
    case LS_TRACE_SOURCE_LINE:
    case LS_TRACE_THREAD_WORK_SUBMIT:
    case LS_TRACE_TASK_GROUP_ABORT:
      return check_task (c, "subject", r->subject, TRUE);

    case LS_TRACE_THREAD_WORK_BEGIN:
    case LS_TRACE_THREAD_WORK_END:
      /* a work cancelled before a thread took it has no thread */
      if (r->object != 0 && object_kind (c, r->object) != LS_OBJECT_THREAD)
        return impossible (c, _("object %u is no thread"), r->object);
      return check_task (c, "subject", r->subject, TRUE);

    case LS_TRACE_TASK_GROUP_ADD:
    case LS_TRACE_TASK_GROUP_EXIT:
      if (object_kind (c, r->object) != LS_OBJECT_TASK_GROUP)
        return impossible (c, _("object %u is no task group"), r->object);
      return check_task (c, "subject", r->subject, r->kind == LS_TRACE_TASK_GROUP_EXIT);

    default:
      return TRUE;
    }
}

static gboolean
check_record (Checker *c,
              gint64   last_time)
{
  const LsTraceRecord *r = c->r;
  guint min;
  int max;

  if (!ls_trace_kind_is_known (r->kind))
    return impossible (c, _("unknown kind %u"), r->kind);
  if (r->time < 0)
    return impossible (c, _("a negative time"));
  /* searching by time relies on it */
  if (r->time < last_time)
    return impossible (c, _("earlier than the record before"));
  max = max_reason (r->kind, &min);
  if (max >= 0 && (r->reason < min || r->reason > (guint) max))
    return impossible (c, _("reason %u is out of range"), r->reason);
  if (is_string_peer (r->kind) && r->peer >= ls_trace_get_n_strings (c->trace))
    return impossible (c, _("string %u does not exist (there are %u)"), r->peer,
                       ls_trace_get_n_strings (c->trace));
  return check_references (c);
}

LsTraceChecker *
ls_trace_checker_new (LsTrace *trace)
{
  LsTraceChecker *c;

  g_return_val_if_fail (LS_IS_TRACE (trace), NULL);

  c = g_new0 (LsTraceChecker, 1);
  c->trace = g_object_ref (trace);
  c->objects = g_hash_table_new (NULL, NULL);
  c->timers = g_hash_table_new (NULL, NULL);
  return c;
}

void
ls_trace_checker_free (LsTraceChecker *c)
{
  if (c == NULL)
    return;
  g_object_unref (c->trace);
  g_hash_table_unref (c->objects);
  g_hash_table_unref (c->timers);
  g_free (c);
}

gboolean
ls_trace_checker_check (LsTraceChecker       *c,
                        const LsTraceRecord  *r,
                        GError              **error)
{
  gboolean ok;

  g_return_val_if_fail (c != NULL, FALSE);
  g_return_val_if_fail (r != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  c->r = r;
  c->error = error;
  ok = check_record (c, c->last_time);
  c->r = NULL;
  c->error = NULL;
  if (!ok)
    return FALSE;
  c->last_time = r->time;
  c->index++;
  return TRUE;
}

gboolean
ls_trace_check_records (LsTrace  *trace,
                        GError  **error)
{
  g_autoptr(LsTraceChecker) c = NULL;
  guint64 n;

  g_return_val_if_fail (LS_IS_TRACE (trace), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  c = ls_trace_checker_new (trace);
  n = ls_trace_get_n_records (trace);
  for (guint64 i = 0; i < n; i++)
    if (!ls_trace_checker_check (c, ls_trace_get_record (trace, i), error))
      return FALSE;
  return TRUE;
}
