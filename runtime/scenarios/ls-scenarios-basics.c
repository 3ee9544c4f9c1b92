/* SPDX-License-Identifier: MIT
 *
 * The chapter's asyncio basics: hello world, the event loop, coroutine
 * objects.
 *
 * Each function reads like the listing next to it (data/scenarios/ID.py);
 * ls_line() marks where each task is in it. Printed text goes through
 * gettext: English source strings, and under a Chinese locale exactly what
 * the chapter's print() calls write.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "ls-scenarios-private.h"

#define SECTION_BASICS    N_("asyncio basics")

/* ---- hello-world -------------------------------------------------------- */

static GVariant *
hello_world_main (gpointer data,
                  GError **error)
{
  ls_line (15);
  ls_print_text ("Hello");
  ls_line (16);
  if (!ls_sleep (1, error))
    return NULL;
  ls_line (17);
  ls_print_text ("World");
  return NULL;
}

/* ---- event-loop --------------------------------------------------------- */

static GVariant *
event_loop_task (gpointer data,
                 GError **error)
{
  int n = GPOINTER_TO_INT (data);
  int base = n == 1 ? 6 : 13;
  g_autofree char *name = ls_task_label (n);

  ls_line (base);
  ls_print (_("%s started"), name);
  ls_line (base + 1);
  if (!ls_sleep (n, error))
    return NULL;
  ls_line (base + 2);
  ls_print (_("%s finished"), name);
  return g_variant_new_take_string (g_strdup_printf (_("Result %d"), n));
}

static GVariant *
event_loop_main (gpointer data,
                 GError **error)
{
  g_autoptr(LsTask) t1 = NULL;
  g_autoptr(LsTask) t2 = NULL;
  g_autoptr(GVariant) r1 = NULL;
  g_autoptr(GVariant) r2 = NULL;

  ls_line (22);
  ls_print (_("Event loop: %s"), "<_UnixSelectorEventLoop running=True closed=False debug=False>");
  ls_line (25);
  t1 = ls_task_create ("task1()", event_loop_task, GINT_TO_POINTER (1), NULL);
  t2 = ls_task_create ("task2()", event_loop_task, GINT_TO_POINTER (2), NULL);
  ls_line (29);
  if ((r1 = ls_task_await (t1, error)) == NULL)
    return NULL;
  ls_line (30);
  if ((r2 = ls_task_await (t2, error)) == NULL)
    return NULL;
  ls_line (32);
  ls_print (_("Result 1: %s, result 2: %s"), g_variant_get_string (r1, NULL),
            g_variant_get_string (r2, NULL));
  return NULL;
}

/* ---- coroutine-object --------------------------------------------------- */

static GVariant *
coroutine_function (GError **error)
{
  ls_line (8);
  ls_print (_("Coroutine started"));
  ls_line (9);
  if (!ls_sleep (1, error))
    return NULL;
  ls_line (10);
  ls_print (_("Coroutine finished"));
  return g_variant_new_string (_("Coroutine result"));
}

static GVariant *
coroutine_object_main (gpointer data,
                       GError **error)
{
  g_autoptr(GVariant) result = NULL;

  /* coro = coroutine_function(): nothing runs yet; printing it shows an
   * object, not a result. CPython shows the object's address; a run must
   * print the same bytes every time, so this one is made of the task's
   * trace id, the same in every run. */
  ls_line (15);
  ls_print ("<coroutine object coroutine_function at 0x7f%010x>",
            0x40000u + 0x40u * ls_task_get_id (ls_task_current ()));
  ls_line (16);
  ls_print_text ("<class 'coroutine'>");
  /* async def main(): result = await coro */
  ls_line (20);
  if ((result = coroutine_function (error)) == NULL)
    return NULL;
  ls_line (21);
  ls_print_text (g_variant_get_string (result, NULL));
  return NULL;
}

/* ---- the scenario descriptions ------------------------------------------ */

const LsScenario ls_scenario_hello_world = {
  "hello-world", N_("Hello, world"), SECTION_BASICS,
  N_("One task: it prints, waits one second on a timer (the loop has nothing else to do), "
     "and prints again."),
  NULL, 0, FALSE, hello_world_main,
};

const LsScenario ls_scenario_event_loop = {
  "event-loop", N_("The event loop"), SECTION_BASICS,
  N_("create_task only schedules: both tasks start in the next loop iteration, while main "
     "goes on to await the first. The second task's sleep runs meanwhile, so the whole run "
     "takes 2 s, not 3."),
  NULL, 0, FALSE, event_loop_main,
};

const LsScenario ls_scenario_coroutine_object = {
  "coroutine-object", N_("Coroutine objects"), SECTION_BASICS,
  N_("Calling a coroutine function runs nothing: it makes a coroutine object. Its body only "
     "runs when main awaits it, inside main's own task (no new lane appears)."),
  NULL, 0, FALSE, coroutine_object_main,
};
