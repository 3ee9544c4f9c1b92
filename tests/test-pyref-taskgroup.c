/* SPDX-License-Identifier: MIT
 *
 * asyncio.TaskGroup: each /pyref/ test is the C twin of tests/pyref/NAME.py
 * and must print exactly what CPython 3.11 printed (tests/expected/NAME.txt);
 * /task-group/trace checks what the trace records about a group.
 */
#include "config.h"

#include "ls-test-util.h"

typedef struct
{
  const char  *name;
  double       delay;
  gint         fail;      /* 0, or the LS_RUNTIME_ERROR code to raise */
  double       cleanup;
  gboolean     swallow;
  LsTaskGroup *tg;        /* taskgroup_basic: adds NAME+ to it */
} Child;

static Child *
child_new (const char *name,
           double      delay,
           gint        fail)
{
  Child *c = g_new0 (Child, 1);

  c->name = name;
  c->delay = delay;
  c->fail = fail;
  return c;
}

static void
child_free (gpointer data)
{
  Child *c = data;

  g_clear_pointer (&c->tg, ls_task_group_unref);
  g_free (c);
}

static GError *
child_error (const Child *c)
{
  return g_error_new (LS_RUNTIME_ERROR, c->fail, "%s failed", c->name);
}

static char *
exceptions_repr (const GError *group)
{
  GPtrArray *members = ls_exception_group_get_exceptions (group);
  g_autoptr(GVariantBuilder) b = g_variant_builder_new (G_VARIANT_TYPE ("as"));
  g_autoptr(GVariant) v = NULL;

  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      g_autofree char *exc = ls_test_fmt_exc (g_ptr_array_index (members, i));

      g_variant_builder_add (b, "s", exc);
    }
  v = g_variant_ref_sink (g_variant_builder_end (b));
  return ls_test_repr (v);
}

/* ---- taskgroup_basic ---- */

static GVariant *
basic_child (gpointer data, GError **error)
{
  Child *c = data;

  ls_test_logi ("%s: start", c->name);
  if (!ls_sleep (c->delay, error))
    return NULL;
  if (c->tg != NULL)
    {
      g_autofree char *name = g_strconcat (c->name, "+", NULL);
      g_autoptr(LsTask) t = NULL;
      Child *plus = child_new (g_intern_string (name), 0.5, 0);

      t = ls_task_group_create_task (c->tg, plus->name, basic_child, plus, child_free, error);
      if (t == NULL)
        return NULL;
      ls_test_logi ("%s: added %s", c->name, plus->name);
    }
  ls_test_logi ("%s: done", c->name);
  return g_variant_new_string (c->name);
}

static GVariant *
taskgroup_basic_main (gpointer data, GError **error)
{
  g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
  g_autoptr(LsTaskGroup) empty = ls_task_group_new ();
  g_autoptr(LsTask) a = NULL, b = NULL, late = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *repr = NULL, *repr_empty = NULL;
  Child *bc;

  if (!ls_task_group_enter (tg, error))
    return NULL;
  a = ls_task_group_create_task (tg, "a", basic_child, child_new ("a", 1, 0), child_free,
                                 &local_error);
  bc = child_new ("b", 2, 0);
  bc->tg = ls_task_group_ref (tg);
  if (a != NULL)
    b = ls_task_group_create_task (tg, "b", basic_child, bc, child_free, &local_error);
  else
    child_free (bc);
  repr = ls_task_group_to_string (tg);
  if (local_error == NULL)
    ls_test_logi ("main: body done, %s", repr);
  if (!ls_task_group_exit (tg, &local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  ls_test_logi ("main: after the block: %s %s",
                g_variant_get_string (ls_future_peek_result (LS_FUTURE (a)), NULL),
                g_variant_get_string (ls_future_peek_result (LS_FUTURE (b)), NULL));
  late = ls_task_group_create_task (tg, "late", basic_child, child_new ("late", 1, 0), child_free,
                                    &local_error);
  if (late == NULL)
    {
      g_autofree char *exc = ls_test_fmt_exc (local_error);

      ls_test_logi ("main: create_task after -> %s", exc);
      g_clear_error (&local_error);
    }
  if (!ls_task_group_enter (tg, &local_error))
    {
      g_autofree char *exc = ls_test_fmt_exc (local_error);

      ls_test_logi ("main: enter again -> %s", exc);
      g_clear_error (&local_error);
    }

  if (!ls_task_group_enter (empty, error))
    return NULL;
  repr_empty = ls_task_group_to_string (empty);
  ls_test_logi ("main: an empty group: %s", repr_empty);
  if (!ls_task_group_exit (empty, error))
    return NULL;
  ls_test_logi ("main: done");
  return NULL;
}

/* ---- taskgroup_error ---- */

static GVariant *
error_child (gpointer data, GError **error)
{
  Child *c = data;
  GError *local_error = NULL;

  if (!ls_sleep (c->delay, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        {
          ls_test_logi ("%s: cancelled", c->name);
          if (c->cleanup > 0)
            {
              if (!ls_sleep (c->cleanup, error))
                {
                  g_error_free (local_error);
                  return NULL;
                }
              ls_test_logi ("%s: cleanup done", c->name);
            }
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (c->fail)
    {
      ls_test_logi ("%s: raising", c->name);
      g_propagate_error (error, child_error (c));
      return NULL;
    }
  ls_test_logi ("%s: done", c->name);
  return g_variant_new_string (c->name);
}

static void
show (const char   *label,
      const GError *eg)
{
  g_autofree char *str = ls_error_to_string (eg);
  g_autofree char *excs = exceptions_repr (eg);
  g_autofree char *cause = ls_error_get_cause (eg) != NULL
                           ? ls_test_fmt_exc (ls_error_get_cause (eg)) : g_strdup ("None");

  ls_test_logi ("%s: %s: %s", label, ls_error_get_python_name (eg), str);
  ls_test_logi ("%s: exceptions %s", label, excs);
  ls_test_logi ("%s: cause=%s suppress=%s", label, cause,
                ls_test_bool (ls_error_get_suppress_context (eg)));
}

static LsTask *
add (LsTaskGroup *tg,
     Child       *c)
{
  g_autoptr(GError) error = NULL;
  LsTask *t = ls_task_group_create_task (tg, c->name, error_child, c, child_free, &error);

  g_assert_no_error (error);
  return t;
}

static gboolean
matches_code (const GError *e,
              gpointer      code)
{
  return e->domain == LS_RUNTIME_ERROR && e->code == GPOINTER_TO_INT (code);
}

static GVariant *
taskgroup_error_main (gpointer data, GError **error)
{
  LsTask *me = ls_task_current ();

  {
    g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
    g_autoptr(LsTask) a = NULL, b = NULL, c = NULL;
    g_autoptr(GError) e = NULL;
    Child *cc;

    if (!ls_task_group_enter (tg, error))
      return NULL;
    a = add (tg, child_new ("a", 2, 0));
    b = add (tg, child_new ("b", 1, LS_RUNTIME_ERROR_VALUE));
    cc = child_new ("c", 3, 0);
    cc->cleanup = 0.5;
    c = add (tg, cc);
    if (!ls_sleep (5, &e) && ls_error_is_cancelled (e))
      {
        g_autofree char *repr = ls_task_group_to_string (tg);

        ls_test_logi ("1: body cancelled, %s", repr);
      }
    if (ls_task_group_exit (tg, &e) || !ls_error_is_group (e))
      {
        g_propagate_error (error, g_steal_pointer (&e));
        return NULL;
      }
    show ("1", e);
    ls_test_logi ("1: is b's exception: %s",
                  ls_test_bool (ls_error_is (g_ptr_array_index (ls_exception_group_get_exceptions (e),
                                                                0),
                                             ls_future_get_exception (LS_FUTURE (b)))));
    ls_test_logi ("1: a/c cancelled=%s/%s, main cancelling=%u",
                  ls_test_bool (ls_future_is_cancelled (LS_FUTURE (a))),
                  ls_test_bool (ls_future_is_cancelled (LS_FUTURE (c))), ls_task_cancelling (me));
  }

  {
    g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
    g_autoptr(GError) e = NULL;

    if (!ls_task_group_enter (tg, error))
      return NULL;
    ls_task_unref (add (tg, child_new ("d", 1, LS_RUNTIME_ERROR_VALUE)));
    ls_task_unref (add (tg, child_new ("e", 1, LS_RUNTIME_ERROR_RUNTIME)));
    ls_task_unref (add (tg, child_new ("f", 2, 0)));
    if (!ls_sleep (5, &e) && ls_error_is_cancelled (e))
      {
        g_autoptr(GError) ce = NULL;
        g_autoptr(LsTask) g = ls_task_group_create_task (tg, "g", error_child,
                                                         child_new ("g", 1, 0), child_free, &ce);

        if (g == NULL)
          {
            g_autofree char *exc = ls_test_fmt_exc (ce);

            ls_test_logi ("2: create_task -> %s", exc);
          }
      }
    if (ls_task_group_exit (tg, &e) || !ls_error_is_group (e))
      {
        g_propagate_error (error, g_steal_pointer (&e));
        return NULL;
      }
    show ("2", e);
  }

  {
    g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
    g_autoptr(GError) e = NULL;

    if (!ls_task_group_enter (tg, error))
      return NULL;
    ls_task_unref (add (tg, child_new ("h", 1, LS_RUNTIME_ERROR_VALUE)));
    ls_task_unref (add (tg, child_new ("i", 2, 0)));
    if (ls_sleep (0, &e))
      e = g_error_new_literal (LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_RUNTIME, "body");
    if (ls_task_group_exit (tg, &e) || !ls_error_is_group (e))
      {
        g_propagate_error (error, g_steal_pointer (&e));
        return NULL;
      }
    show ("3", e);
  }

  {
    g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
    g_autoptr(GError) e = NULL;
    g_autoptr(GError) value = NULL, rest = NULL, runtime = NULL, rest2 = NULL;

    if (!ls_task_group_enter (tg, error))
      return NULL;
    ls_task_unref (add (tg, child_new ("j", 1, LS_RUNTIME_ERROR_VALUE)));
    ls_task_unref (add (tg, child_new ("k", 1, LS_RUNTIME_ERROR_RUNTIME)));
    if (ls_task_group_exit (tg, &e))
      return NULL;
    /* except* ValueError / except* RuntimeError */
    ls_exception_group_split (e, matches_code, GINT_TO_POINTER (LS_RUNTIME_ERROR_VALUE), &value,
                              &rest);
    if (value != NULL)
      show ("4 ValueError", value);
    if (rest != NULL)
      {
        ls_exception_group_split (rest, matches_code, GINT_TO_POINTER (LS_RUNTIME_ERROR_RUNTIME),
                                  &runtime, &rest2);
        if (runtime != NULL)
          show ("4 RuntimeError", runtime);
        if (rest2 != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&rest2));
            return NULL;
          }
      }
  }
  return NULL;
}

/* ---- taskgroup_cancel ---- */

static GVariant *
cancel_child (gpointer data, GError **error)
{
  Child *c = data;
  GError *local_error = NULL;

  if (!ls_sleep (c->delay, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        {
          ls_test_logi ("%s: cancelled", c->name);
          if (c->swallow)
            {
              g_error_free (local_error);
              if (!ls_sleep (0.5, error))
                return NULL;
              ls_test_logi ("%s: swallowed it", c->name);
              return g_variant_new_string (c->name);
            }
        }
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (c->fail)
    {
      ls_test_logi ("%s: raising", c->name);
      g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, c->name);
      return NULL;
    }
  ls_test_logi ("%s: done", c->name);
  return g_variant_new_string (c->name);
}

typedef struct
{
  const char *label;
  Child       children[2];
  double      body_delay;
} Parent;

static GVariant *
parent (gpointer data, GError **error)
{
  Parent *p = data;
  g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
  GError *e = NULL;

  if (!ls_task_group_enter (tg, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (p->children); i++)
    {
      Child *c = g_new0 (Child, 1);

      *c = p->children[i];
      ls_task_unref (ls_task_group_create_task (tg, c->name, cancel_child, c, child_free, NULL));
    }
  if (p->body_delay == 0 || ls_sleep (p->body_delay, &e))
    ls_test_logi ("%s: body done", p->label);
  if (!ls_task_group_exit (tg, &e))
    {
      if (ls_error_is_cancelled (e))
        {
          ls_test_logi ("%s: CancelledError out of the group", p->label);
          g_propagate_error (error, e);
          return NULL;
        }
      if (ls_error_is_group (e))
        {
          g_autofree char *exc = ls_test_fmt_exc (e);
          g_autofree char *excs = exceptions_repr (e);

          ls_test_logi ("%s: %s %s", p->label, exc, excs);
          g_error_free (e);
        }
      else
        {
          g_propagate_error (error, e);
          return NULL;
        }
    }
  return g_variant_new_string (p->label);
}

static gboolean
run_parent (Parent  *p,
            double   cancel_at,
            GError **error)
{
  g_autoptr(LsTask) t = ls_task_create (p->label, parent, p, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GVariant) r = NULL;

  if (cancel_at >= 0)
    {
      if (!ls_sleep (cancel_at, error))
        return FALSE;
      ls_test_logi ("main: cancel %s -> %s", p->label, ls_test_bool (ls_task_cancel (t, NULL)));
    }
  r = ls_task_await (t, &local_error);
  if (local_error == NULL)
    {
      g_autofree char *repr = ls_test_repr (r);

      ls_test_logi ("main: %s -> %s", p->label, repr);
    }
  else if (ls_error_is_cancelled (local_error))
    ls_test_logi ("main: %s cancelled=%s", p->label,
                  ls_test_bool (ls_future_is_cancelled (LS_FUTURE (t))));
  else
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static GVariant *
taskgroup_cancel_main (gpointer data, GError **error)
{
  static Parent p1 = { "1", { { "a", 2 }, { "b", 3 } }, 5 };
  static Parent p2 = { "2", { { "c", 2 }, { "d", 3 } }, 0 };
  static Parent p4 = { "4", { { "g", 1, TRUE }, { "h", 2, FALSE, 0, TRUE } }, 0 };
  static Parent p5 = { "5", { { "i", 1, TRUE }, { "j", 3 } }, 0 };

  if (!run_parent (&p1, 1, error) || !run_parent (&p2, 1, error))
    return NULL;

  {
    g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
    g_autoptr(LsTask) e = NULL, f = NULL;
    g_autoptr(GError) local_error = NULL;
    g_autofree char *rf = NULL;

    if (!ls_task_group_enter (tg, error))
      return NULL;
    e = ls_task_group_create_task (tg, "e", cancel_child, child_new ("e", 2, 0), child_free, NULL);
    f = ls_task_group_create_task (tg, "f", cancel_child, child_new ("f", 1, 0), child_free, NULL);
    if (ls_sleep (0.5, &local_error))
      ls_test_logi ("3: cancel e -> %s", ls_test_bool (ls_task_cancel (e, NULL)));
    if (!ls_task_group_exit (tg, &local_error))
      {
        g_propagate_error (error, g_steal_pointer (&local_error));
        return NULL;
      }
    rf = ls_test_result_repr (LS_FUTURE (f));
    ls_test_logi ("3: e cancelled=%s, f -> %s",
                  ls_test_bool (ls_future_is_cancelled (LS_FUTURE (e))), rf);
  }

  if (!run_parent (&p4, -1, error) || !run_parent (&p5, 1, error))
    return NULL;
  return NULL;
}

/* ---- the trace ---- */

static GVariant *
quiet_child (gpointer data, GError **error)
{
  Child *c = data;

  if (!ls_sleep (c->delay, error))
    return NULL;
  if (c->fail)
    g_set_error_literal (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, c->name);
  return NULL;
}

static GVariant *
trace_main (gpointer data, GError **error)
{
  g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
  g_autoptr(GError) e = NULL;

  if (!ls_task_group_enter (tg, error))
    return NULL;
  ls_task_unref (ls_task_group_create_task (tg, "ok", quiet_child, child_new ("ok", 2, 0),
                                            child_free, NULL));
  ls_task_unref (ls_task_group_create_task (tg, "bad", quiet_child, child_new ("bad", 1, TRUE),
                                            child_free, NULL));
  g_assert_false (ls_task_group_exit (tg, &e));
  g_assert_true (ls_error_is_group (e));
  return NULL;
}

static void
test_trace (void)
{
  g_autoptr(LsLoop) loop = ls_loop_new ();
  g_autoptr(LsTask) task = NULL;
  LsTrace *trace = ls_loop_get_trace (loop);
  g_autoptr(GPtrArray) news = NULL, adds = NULL, aborts = NULL, exits = NULL, dones = NULL;
  g_autoptr(GPtrArray) suspends = NULL;
  guint32 group = 0, bad = 0;
  gboolean waited = FALSE;

  task = ls_test_run_task (loop, trace_main, NULL);

  news = ls_test_find_records (trace, LS_TRACE_OBJECT_NEW);
  for (guint i = 0; i < news->len; i++)
    {
      const LsTraceRecord *r = g_ptr_array_index (news, i);

      if (r->reason == LS_OBJECT_TASK_GROUP)
        {
          g_assert_cmpuint (r->subject, ==, ls_task_get_id (task));
          group = r->object;
        }
      if (r->reason == LS_OBJECT_TASK && g_strcmp0 (ls_trace_get_string (trace, r->peer),
                                                    "bad") == 0)
        bad = r->object;
    }
  g_assert_cmpuint (group, !=, 0);
  adds = ls_test_find_records (trace, LS_TRACE_TASK_GROUP_ADD);
  g_assert_cmpuint (adds->len, ==, 2);
  g_assert_cmpuint (((const LsTraceRecord *) adds->pdata[1])->subject, ==, bad);
  g_assert_cmpuint (((const LsTraceRecord *) adds->pdata[1])->object, ==, group);

  aborts = ls_test_find_records (trace, LS_TRACE_TASK_GROUP_ABORT);
  g_assert_cmpuint (aborts->len, ==, 1);
  g_assert_cmpuint (((const LsTraceRecord *) aborts->pdata[0])->subject, ==, bad);
  g_assert_cmpint (((const LsTraceRecord *) aborts->pdata[0])->arg, ==, 1);
  g_assert_cmpint (((const LsTraceRecord *) aborts->pdata[0])->time, ==, 1000000000);

  exits = ls_test_find_records (trace, LS_TRACE_TASK_GROUP_EXIT);
  g_assert_cmpuint (exits->len, ==, 1);
  g_assert_cmpuint (((const LsTraceRecord *) exits->pdata[0])->reason, ==, LS_OUTCOME_FAILED);
  g_assert_cmpint (((const LsTraceRecord *) exits->pdata[0])->arg, ==, 1);
  g_assert_cmpstr (ls_trace_get_string (trace, ((const LsTraceRecord *) exits->pdata[0])->peer),
                   ==, "unhandled errors in a TaskGroup (1 sub-exception)");

  suspends = ls_test_find_records (trace, LS_TRACE_TASK_SUSPEND);
  for (guint i = 0; i < suspends->len; i++)
    {
      const LsTraceRecord *r = g_ptr_array_index (suspends, i);

      if (r->subject == ls_task_get_id (task) && r->reason == LS_WAIT_TASK_GROUP
          && r->object == group)
        waited = TRUE;
    }
  g_assert_true (waited);
  dones = ls_test_find_records (trace, LS_TRACE_TASK_DONE);
  g_assert_cmpuint (dones->len, ==, 3);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  LS_TEST_PYREF (taskgroup_basic);
  LS_TEST_PYREF (taskgroup_error);
  LS_TEST_PYREF (taskgroup_cancel);
  g_test_add_func ("/task-group/trace", test_trace);

  return g_test_run ();
}
