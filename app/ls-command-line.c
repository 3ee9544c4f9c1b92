/* SPDX-License-Identifier: MIT
 *
 * The headless command line, which other tools parse (keep it exact):
 *
 *   loopscope --list
 *       one scenario per line, ID<TAB>TITLE; exit 0
 *   loopscope --scenario=ID --virtual-time --console [--seed=N]
 *       runs the scenario with no window and prints each console line as
 *       "[%8.3f] text"; exit 0 when its main task completed, 1 after a last
 *       line naming the error when it ended with an uncaught one
 *
 * A bad option or value, or an unknown id: one line on stderr, exit 2.
 * It is parsed here, before GtkApplication, so that none of it needs a
 * display.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ls-command-line.h"
#include "ls-scenario.h"

typedef struct
{
  GString *out;
  guint64  printed;
} Console;

static void
console_records_added (LsTrace *trace,
                       guint64  first,
                       guint64  n,
                       gpointer user_data)
{
  Console *console = user_data;

  g_string_truncate (console->out, 0);
  ls_console_append (console->out, trace, first, n);
  fputs (console->out->str, stdout);
  fflush (stdout);
}

static int
run_console (const LsScenario *scenario,
             guint32           seed,
             gboolean          virtual_time)
{
  g_autoptr(LsScenarioRun) run = ls_scenario_run_new (scenario, seed, virtual_time);
  LsLoop *loop = ls_scenario_run_get_loop (run);
  LsTrace *trace = ls_loop_get_trace (loop);
  Console console = { g_string_new (NULL), 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  int status = 0;

  g_signal_connect (trace, "records-added", G_CALLBACK (console_records_added), &console);
  if (!ls_scenario_run_to_end (run, &error))
    {
      g_printerr ("loopscope: %s: %s\n", scenario->id, error->message);
      status = 1;
    }
  else
    {
      result = ls_future_get_result (LS_FUTURE (ls_scenario_run_get_main_task (run)), &error);
      if (error != NULL)
        {
          /* like Python's traceback, the last line names the exception */
          printf ("[%8.3f] %s\n", ls_loop_time (loop), ls_error_get_python_name (error));
          status = 1;
        }
    }
  g_signal_handlers_disconnect_by_data (trace, &console);
  g_string_free (console.out, TRUE);
  return status;
}

static int
usage_error (const char *message)
{
  g_printerr ("loopscope: %s\n", message);
  return 2;
}

int
ls_command_line_run_headless (int    *argc,
                              char ***argv,
                              char  **window_scenario)
{
  gboolean list = FALSE, console = FALSE, virtual_time = FALSE;
  g_autofree char *scenario_id = NULL;
  g_autofree char *seed_text = NULL;
  guint64 seed = 0;
  const LsScenario *scenario;
  GOptionEntry entries[] = {
    { "list", 0, 0, G_OPTION_ARG_NONE, &list, N_("List the scenarios (ID<TAB>TITLE) and exit"),
      NULL },
    { "scenario", 0, 0, G_OPTION_ARG_STRING, &scenario_id, N_("The scenario to load"),
      N_("ID") },
    { "console", 0, 0, G_OPTION_ARG_NONE, &console,
      N_("Run the scenario with no window and print its console"), NULL },
    { "virtual-time", 0, 0, G_OPTION_ARG_NONE, &virtual_time,
      N_("Run on the virtual clock (as fast as possible, same result every time)"), NULL },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, N_("Seed for the scenario's randomness"),
      N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("See how an asyncio event loop schedules your coroutines."));
  if (!g_option_context_parse (context, argc, argv, &error))
    return usage_error (error->message);

  if (seed_text != NULL
      && !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT32, &seed, &error))
    {
      g_autofree char *message = g_strdup_printf (_("bad --seed value “%s”: %s"), seed_text,
                                                  error->message);
      return usage_error (message);
    }

  if (list)
    {
      guint n;
      const LsScenario *const *all = ls_scenarios_get_all (&n);

      for (guint i = 0; i < n; i++)
        printf ("%s\t%s\n", all[i]->id, _(all[i]->title));
      return 0;
    }

  scenario = NULL;
  if (scenario_id != NULL && (scenario = ls_scenario_lookup (scenario_id)) == NULL)
    {
      g_autofree char *ids = ls_scenario_list_ids (", ");
      g_autofree char *message = g_strdup_printf (_("unknown scenario “%s”; valid ids: %s"),
                                                  scenario_id, ids);
      return usage_error (message);
    }

  if (console)
    {
      if (scenario == NULL)
        return usage_error (_("--console needs --scenario=ID"));
      return run_console (scenario, (guint32) seed, virtual_time);
    }
  if (virtual_time || seed_text != NULL)
    {
      if (scenario == NULL)
        return usage_error (_("--virtual-time and --seed need --scenario=ID"));
    }
  if (*argc > 1)
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), (*argv)[1]);
      return usage_error (message);
    }
  /* the window opens with this scenario */
  *window_scenario = g_steal_pointer (&scenario_id);
  return -1;
}
