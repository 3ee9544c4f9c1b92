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
 *   loopscope --scenario=ID --export-png=FILE [--export-svg=FILE] [--export-pdf=FILE]
 *             [--export-trace=FILE.json] [--width=W] [--height=H] [--scale=S]
 *             [--theme=light|dark] [--range=START:END] [--seed=N]
 *       runs the scenario on the virtual clock and writes the exports; exit 0
 *   loopscope --open=FILE.json --export-…=FILE …
 *       the same from a saved trace
 *   loopscope FILE.json
 *       opens the window with a saved trace (checked here first)
 *
 * A bad option or value, an unknown id, a file that cannot be read or
 * written: one line on stderr, exit 2, and no output file.
 * It is parsed here, before GtkApplication, so that none of it needs a
 * display.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "ls-command-line.h"
#include "ls-export.h"
#include "ls-scenario.h"
#include "ls-timeline-model.h"
#include "ls-trace-json.h"

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
  g_autoptr(LsScenarioRun) run = ls_scenario_run_new (scenario, seed);
  LsLoop *loop = ls_scenario_run_get_loop (run);
  LsTrace *trace = ls_loop_get_trace (loop);
  Console console = { g_string_new (NULL), 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  int status = 0;

  ls_loop_set_speed (loop, virtual_time ? LS_LOOP_INSTANT : 1.0);
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

typedef struct
{
  const char *png;
  const char *svg;
  const char *pdf;
  const char *trace;
  const char *open;
  const char *width;
  const char *height;
  const char *scale;
  const char *theme;
  const char *range;
} ExportArgs;

static gboolean
exporting (const ExportArgs *args)
{
  return args->png != NULL || args->svg != NULL || args->pdf != NULL || args->trace != NULL;
}

static char *
bad_value (const char *option,
           const char *value,
           const char *expected)
{
  return g_strdup_printf (_("bad %s value “%s”: %s"), option, value, expected);
}

/* Checks every image option before anything runs. */
static char *
parse_export_options (const ExportArgs *args,
                      LsExportOptions  *options)
{
  guint64 n;

  ls_export_options_init (options);
  if (args->width != NULL
      && !g_ascii_string_to_unsigned (args->width, 10, LS_EXPORT_MIN_WIDTH, LS_EXPORT_MAX_SIZE,
                                      &n, NULL))
    {
      g_autofree char *expected = g_strdup_printf (_("expected a width from %d to %d"),
                                                   LS_EXPORT_MIN_WIDTH, LS_EXPORT_MAX_SIZE);
      return bad_value ("--width", args->width, expected);
    }
  if (args->width != NULL)
    options->width = (int) n;
  if (args->height != NULL
      && !g_ascii_string_to_unsigned (args->height, 10, 100, LS_EXPORT_MAX_SIZE, &n, NULL))
    {
      g_autofree char *expected = g_strdup_printf (_("expected a height from %d to %d"), 100,
                                                   LS_EXPORT_MAX_SIZE);
      return bad_value ("--height", args->height, expected);
    }
  if (args->height != NULL)
    options->height = (int) n;
  if (args->scale != NULL)
    {
      char *end = NULL;
      double scale = g_ascii_strtod (args->scale, &end);

      if (end == args->scale || *end != '\0' || !(scale >= 0.25 && scale <= 8.0))
        return bad_value ("--scale", args->scale, _("expected a number from 0.25 to 8"));
      options->scale = scale;
    }
  if (args->theme != NULL)
    {
      if (g_str_equal (args->theme, "dark"))
        options->dark = TRUE;
      else if (!g_str_equal (args->theme, "light"))
        return bad_value ("--theme", args->theme, _("expected light or dark"));
    }
  if (args->range != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (args->range, ":", -1);
      double t[2];

      if (g_strv_length (parts) != 2)
        return bad_value ("--range", args->range, _("expected START:END in seconds"));
      for (guint i = 0; i < 2; i++)
        {
          char *end = NULL;

          t[i] = g_ascii_strtod (parts[i], &end);
          if (end == parts[i] || *end != '\0' || !(t[i] >= 0 && t[i] < 1e9))
            return bad_value ("--range", args->range, _("expected START:END in seconds"));
        }
      if (!(t[1] > t[0]))
        return bad_value ("--range", args->range, _("START must be before END"));
      options->t0 = (gint64) (t[0] * 1e9 + 0.5);
      options->t1 = (gint64) (t[1] * 1e9 + 0.5);
      if (options->t1 <= options->t0)
        return bad_value ("--range", args->range, _("START must be before END"));
    }
  return NULL;
}

static int
run_exports (const LsScenario *scenario,
             guint32           seed,
             const ExportArgs *args)
{
  g_autoptr(LsScenarioRun) run = NULL;
  g_autoptr(LsTrace) loaded = NULL;
  g_autoptr(LsTimelineModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *title = NULL;
  LsTraceInfo info = { 0 };
  LsExportOptions options;
  LsTrace *trace;
  struct { const char *path; LsExportFormat format; } images[] = {
    { args->png, LS_EXPORT_PNG },
    { args->svg, LS_EXPORT_SVG },
    { args->pdf, LS_EXPORT_PDF },
  };
  int status = 0;

  message = parse_export_options (args, &options);
  if (message != NULL)
    return usage_error (message);

  if (args->open != NULL)
    {
      loaded = ls_trace_load_json_full (args->open, &info, &error);
      if (loaded == NULL)
        return usage_error (error->message);
      trace = loaded;
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      run = ls_scenario_run_new (scenario, seed);
      if (!ls_scenario_run_to_end (run, &error))
        {
          g_printerr ("loopscope: %s: %s\n", scenario->id, error->message);
          return 1;
        }
      trace = ls_loop_get_trace (ls_scenario_run_get_loop (run));
      info.scenario_id = g_strdup (scenario->id);
      info.title = g_strdup (scenario->title);
      info.seed = seed;
      info.created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
    }

  if (info.scenario_id != NULL)
    {
      g_autofree char *date = g_strndup (info.created != NULL ? info.created : "", 10);

      /* TRANSLATORS: the title line of an exported image: scenario title, seed, date */
      title = g_strdup_printf (_("%s — seed %u — %s"), _(info.title), info.seed, date);
    }
  else
    title = g_strdup (info.title != NULL ? info.title : "");
  options.title = title;

  model = ls_timeline_model_new (trace);
  for (guint i = 0; i < G_N_ELEMENTS (images) && status == 0; i++)
    {
      if (images[i].path == NULL)
        continue;
      options.format = images[i].format;
      if (!ls_export_image (model, &options, images[i].path, &error))
        status = usage_error (error->message);
    }
  if (status == 0 && args->trace != NULL && !ls_trace_save_json (trace, &info, args->trace, &error))
    status = usage_error (error->message);
  ls_trace_info_clear (&info);
  return status;
}

int
ls_command_line_run_headless (int    *argc,
                              char ***argv,
                              char  **window_scenario,
                              char  **window_trace)
{
  ExportArgs ex = { 0 };
  g_autofree char *png = NULL, *svg = NULL, *pdf = NULL, *trace_out = NULL, *open = NULL;
  g_autofree char *width = NULL, *height = NULL, *scale = NULL, *theme = NULL, *range = NULL;
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
    { "export-png", 0, 0, G_OPTION_ARG_FILENAME, &png,
      N_("Write the timeline as a PNG image and exit"), N_("FILE") },
    { "export-svg", 0, 0, G_OPTION_ARG_FILENAME, &svg,
      N_("Write the timeline as an SVG image and exit"), N_("FILE") },
    { "export-pdf", 0, 0, G_OPTION_ARG_FILENAME, &pdf,
      N_("Write the timeline as a PDF document and exit"), N_("FILE") },
    { "export-trace", 0, 0, G_OPTION_ARG_FILENAME, &trace_out,
      N_("Write the trace (Chrome Trace Event Format, JSON) and exit"), N_("FILE") },
    { "open", 0, 0, G_OPTION_ARG_FILENAME, &open,
      N_("Export from a saved trace instead of running a scenario"), N_("FILE") },
    { "width", 0, 0, G_OPTION_ARG_STRING, &width, N_("Image width (default 1200)"), N_("W") },
    { "height", 0, 0, G_OPTION_ARG_STRING, &height,
      N_("Image height (default: as tall as the lanes need)"), N_("H") },
    { "scale", 0, 0, G_OPTION_ARG_STRING, &scale, N_("PNG pixels per unit, 2 for HiDPI"),
      N_("S") },
    { "theme", 0, 0, G_OPTION_ARG_STRING, &theme, N_("Image colours: light or dark"),
      N_("THEME") },
    { "range", 0, 0, G_OPTION_ARG_STRING, &range,
      N_("Only this part of the run, in seconds"), N_("START:END") },
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

  ex = (ExportArgs) { png, svg, pdf, trace_out, open, width, height, scale, theme, range };
  if (exporting (&ex))
    {
      if (open != NULL && scenario != NULL)
        return usage_error (_("--open and --scenario cannot be used together"));
      if (open == NULL && scenario == NULL)
        return usage_error (_("--export-… needs --scenario=ID or --open=FILE"));
      if (open != NULL && (virtual_time || seed_text != NULL))
        return usage_error (_("--virtual-time and --seed need --scenario=ID"));
      if (*argc > 1)
        {
          g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), (*argv)[1]);
          return usage_error (message);
        }
      return run_exports (scenario, (guint32) seed, &ex);
    }
  if (open != NULL || width != NULL || height != NULL || scale != NULL || theme != NULL
      || range != NULL)
    return usage_error (_("--open, --width, --height, --scale, --theme and --range need an "
                          "--export-… option"));
  if (virtual_time || seed_text != NULL)
    {
      if (scenario == NULL)
        return usage_error (_("--virtual-time and --seed need --scenario=ID"));
    }
  if (*argc == 2 && scenario == NULL && g_str_has_suffix ((*argv)[1], ".json"))
    {
      /* a saved trace for the window: refused here, with no display, when
       * it cannot be read */
      g_autoptr(LsTrace) trace = ls_trace_load_json ((*argv)[1], &error);

      if (trace == NULL)
        return usage_error (error->message);
      *window_trace = g_strdup ((*argv)[1]);
      *argc = 1;
      (*argv)[1] = NULL;
      return -1;
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
