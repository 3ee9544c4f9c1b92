/* SPDX-License-Identifier: MIT
 *
 * The chapter's gather() example (section 并行执行) written with
 * asyncio.TaskGroup, which the chapter predates: one task fails, the group
 * cancels the others, and `except*` takes the ValueError out of the
 * ExceptionGroup. The listing is Loopscope's (data/scenarios/task-group.py).
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-scenarios-private.h"

#define SECTION_FUNCTIONS N_("Async functions")

typedef struct
{
  const char *name;
  double      delay;
  gboolean    fail;
} GroupTask;

static GVariant *
group_task (gpointer data,
            GError **error)
{
  const GroupTask *t = data;
  GError *local_error = NULL;

  ls_line (9);
  ls_print (_("%s started"), t->name);
  ls_line (11);
  if (!ls_sleep (t->delay, &local_error))
    {
      if (ls_error_is_cancelled (local_error))
        {
          ls_line (13);
          ls_print (_("%s was cancelled"), t->name);
        }
      ls_line (14);
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (t->fail)
    {
      ls_line (16);
      g_set_error (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE, _("%s failed"), t->name);
      return NULL;
    }
  ls_line (17);
  ls_print (_("%s finished"), t->name);
  ls_line (18);
  return g_variant_new_take_string (g_strdup_printf (_("%s result"), t->name));
}

/* except* ValueError */
static gboolean
is_value_error (const GError *error,
                gpointer      unused)
{
  return g_error_matches (error, LS_RUNTIME_ERROR, LS_RUNTIME_ERROR_VALUE);
}

/* repr(e) of an exception with one string argument */
static char *
exception_repr (const GError *e)
{
  return g_strdup_printf ("%s('%s')", ls_error_get_python_name (e), e->message);
}

static GVariant *
task_group_main (gpointer data,
                 GError **error)
{
  static const GroupTask specs[] = { { "A", 1, FALSE }, { "B", 2, FALSE }, { "C", 1.5, TRUE } };
  static const char *names[] = { "a", "b", "c" };
  g_autoptr(LsTaskGroup) tg = ls_task_group_new ();
  LsTask *tasks[G_N_ELEMENTS (specs)] = { NULL };
  GError *local_error = NULL;

  ls_line (22);
  ls_print_text ("=== TaskGroup ===");
  ls_line (24);
  if (!ls_task_group_enter (tg, error))
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (specs); i++)
    {
      ls_line (25 + i);
      tasks[i] = ls_task_group_create_task (tg, names[i], group_task, (gpointer) &specs[i], NULL,
                                            &local_error);
    }
  ls_line (24);
  if (ls_task_group_exit (tg, &local_error))
    {
      g_autoptr(GPtrArray) results = g_ptr_array_new ();
      g_autofree char *list = NULL;

      for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
        g_ptr_array_add (results, (gpointer) g_variant_get_string (
                                    ls_future_peek_result (LS_FUTURE (tasks[i])), NULL));
      list = ls_py_str_list_repr (results);
      ls_line (28);
      ls_print (_("Results: %s"), list);
    }
  else
    {
      g_autoptr(GError) match = NULL;
      g_autoptr(GError) rest = NULL;

      ls_line (29);
      ls_exception_group_split (local_error, is_value_error, NULL, &match, &rest);
      g_clear_error (&local_error);
      if (match != NULL)
        {
          GPtrArray *exceptions = ls_exception_group_get_exceptions (match);

          for (guint i = 0; exceptions != NULL && i < exceptions->len; i++)
            {
              g_autofree char *repr = exception_repr (g_ptr_array_index (exceptions, i));

              ls_line (31);
              ls_print (_("Error: %s"), repr);
            }
        }
      if (rest != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&rest));
          goto out;
        }
    }
  ls_line (32);
  ls_print ("A: %s", g_variant_get_string (ls_future_peek_result (LS_FUTURE (tasks[0])), NULL));
  ls_line (33);
  ls_print (_("B cancelled: %s"),
            ls_future_is_cancelled (LS_FUTURE (tasks[1])) ? "True" : "False");

out:
  for (guint i = 0; i < G_N_ELEMENTS (tasks); i++)
    g_clear_pointer (&tasks[i], ls_task_unref);
  return NULL;
}

const LsScenario ls_scenario_task_group = {
  "task-group", N_("TaskGroup: one task fails"), SECTION_FUNCTIONS,
  N_("The gather example with asyncio.TaskGroup (Python 3.11). A finishes at 1 s; C fails at "
     "1.5 s, so the group cancels B (the cancel mark on its lane) and main's wait at the end of "
     "`async with` ends with an ExceptionGroup, which `except* ValueError` unpacks. With "
     "gather, B would have run on to the end."),
  NULL, 0, FALSE, task_group_main,
};
