/* SPDX-License-Identifier: MIT
 *
 * The chapter's comparison with JavaScript: gather is Promise.all, and a
 * task starts only in the next loop iteration.
 *
 * Each function reads like the listing next to it (data/scenarios/ID.py);
 * ls_line() marks where each task is in it. Printed text goes through
 * gettext: English source strings, and under a Chinese locale exactly what
 * the chapter's print() calls write.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-scenarios-private.h"

#define SECTION_VS_JS     N_("Python vs JavaScript")

/* ---- python-vs-js ------------------------------------------------------- */

static GVariant *
js_fetch_data (gpointer data,
               GError **error)
{
  ls_line (6);
  if (!ls_sleep (1, error))
    return NULL;
  ls_line (7);
  return g_variant_new_take_string (g_strdup_printf (_("Data %d"), GPOINTER_TO_INT (data)));
}

static GVariant *
some_coroutine (GError **error)
{
  ls_line (21);
  ls_print (_("The coroutine starts running"));
  ls_line (22);
  if (!ls_sleep (0.5, error))
    return NULL;
  ls_line (23);
  return g_variant_new_string (_("Done"));
}

static GVariant *
some_coroutine_task (gpointer data,
                     GError **error)
{
  return some_coroutine (error);
}

static GVariant *
python_vs_js_main (gpointer data,
                   GError **error)
{
  LsFuture *tasks[3];
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GPtrArray) strings = g_ptr_array_new ();
  g_autofree char *list = NULL;
  g_autoptr(LsTask) task = NULL;
  g_autoptr(GVariant) r = NULL;
  g_autoptr(GVariant) r2 = NULL;

  /* gather, like Promise.all */
  for (int i = 0; i < 3; i++)
    {
      char name[32];

      g_snprintf (name, sizeof name, "fetch_data(%d)", i + 1);
      tasks[i] = LS_FUTURE (ls_task_create (name, js_fetch_data, GINT_TO_POINTER (i + 1), NULL));
    }
  ls_line (10);
  results = ls_gather (tasks, 3, FALSE, error);
  for (int i = 0; i < 3; i++)
    ls_future_unref (tasks[i]);
  if (results == NULL)
    return NULL;
  for (guint i = 0; i < results->len; i++)
    g_ptr_array_add (strings, (gpointer) ls_result_str (g_ptr_array_index (results, i)));
  list = ls_py_str_list_repr (strings);
  ls_line (15);
  ls_print_text (list);

  /* a created task starts at the next loop iteration; a bare coroutine
   * only when it is awaited */
  ls_line (27);
  task = ls_task_create ("some_coroutine()", some_coroutine_task, NULL, NULL);
  ls_line (28);
  ls_print (_("The task is created"));
  ls_line (31);
  ls_print (_("The coroutine object is created"));
  ls_line (33);
  if ((r = ls_task_await (task, error)) == NULL)
    return NULL;
  ls_line (34);
  if ((r2 = some_coroutine (error)) == NULL)
    return NULL;
  ls_print_text (g_variant_get_string (r2, NULL));
  return NULL;
}

/* ---- the scenario descriptions ------------------------------------------ */

const LsScenario ls_scenario_python_vs_js = {
  "python-vs-js", N_("Python vs JavaScript"), SECTION_VS_JS,
  N_("gather is Promise.all. Unlike a JavaScript promise, a created task only starts in the "
     "next loop iteration, and a bare coroutine object does nothing until it is awaited."),
  NULL, 0, FALSE, python_vs_js_main,
};
