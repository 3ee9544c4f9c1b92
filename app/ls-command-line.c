/* SPDX-License-Identifier: MIT
 *
 * The headless command line, which other tools parse (keep it exact):
 *
 *   loopscope --list
 *       one scenario per line, ID<TAB>TITLE; exit 0
 *   loopscope --list-knobs=ID
 *       one knob of the scenario per line, NAME<TAB>TYPE<TAB>MIN..MAX<TAB>DEFAULT<TAB>LABEL
 *       (TYPE: integer or seconds); exit 0
 *   loopscope --scenario=ID --console [--speed=FACTOR|--virtual-time] [--seed=N]
 *             [--set=NAME=VALUE…]
 *       runs the scenario with no window and prints each console line as
 *       "[%8.3f] text"; exit 0 when its main task completed, 1 after a last
 *       line naming the error when it ended with an uncaught one. Scenario
 *       time is virtual and exact: --speed (default 1) only paces it against
 *       the wall clock, --virtual-time (= --speed=instant) not at all, and
 *       both print the same bytes. Each --set gives a knob a value
 *       (--list-knobs says which there are); an unknown knob or a value
 *       that is not of its type or out of its range: one line, exit 2.
 *
 *   loopscope --scenario=ID --export-png=FILE [--export-svg=FILE] [--export-pdf=FILE]
 *             [--export-trace=FILE.json] [--width=W] [--height=H] [--scale=S]
 *             [--theme=light|dark] [--range=START:END] [--axis=time|iterations]
 *             [--seed=N] [--speed=FACTOR] [--set=NAME=VALUE…] [--compare=NAME=VALUE[,…]]
 *       runs the scenario (at Instant speed unless told) and writes the exports; exit 0.
 *       --axis=iterations draws the iteration view: the loop's iterations along
 *       the axis, each callback in the order it ran.
 *       The knobs are saved in the trace and named in the images' title. With
 *       --compare, a second run (B: the --set values, then these) is drawn below
 *       the first (A) on one time axis, with a summary of what differs; the
 *       trace export is A's.
 *   loopscope --open=FILE.json --export-…=FILE …
 *       the same from a saved trace
 *
 *   loopscope --python=FILE.py [--virtual-time|--speed=FACTOR] --console [-- ARGS…]
 *       runs a CPython program under Loopscope's tracer and prints its output
 *       as "[%8.3f] text" lines, like --scenario; in real time unless
 *       --virtual-time (the virtual clock, instant) or --speed (the virtual
 *       clock, paced) says otherwise. Exit 0 when it ended normally, 1 after
 *       a last line with its uncaught exception ("[   2.000] ValueError: boom")
 *       or when python3 failed while it ran; 2 when it could not start (no
 *       python3 or one older than 3.11, no such file, a syntax error), with
 *       one line on stderr.
 *   loopscope --python=FILE.py --export-…=FILE … [-- ARGS…]
 *       runs it (on the virtual clock unless --speed says otherwise) and
 *       writes the exports
 *   loopscope [--scenario=ID] [--seed=N] [--set=NAME=VALUE…] [--speed=FACTOR] [FILE.json…]
 *       the window: a scenario, or each trace file in a window of its own
 *       (in the running Loopscope, if there is one)
 *
 * A bad option or value, an unknown id, a file that cannot be read or
 * written: one line on stderr, exit 2, and no output file.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ls-atomic-file.h"
#include "ls-compare-renderer.h"
#include "ls-command-line.h"
#include "ls-export.h"
#include "ls-interpreter.h"
#include "ls-knobs.h"
#include "ls-python-run.h"
#include "ls-scenario.h"
#include "ls-sweep-renderer.h"
#include "ls-trace-json.h"

static const GOptionEntry option_entries[] = {
  { "list", 0, 0, G_OPTION_ARG_NONE, NULL, N_("List the scenarios (ID<TAB>TITLE) and exit"),
    NULL },
  { "scenario", 0, 0, G_OPTION_ARG_STRING, NULL, N_("The scenario to load"), N_("ID") },
  { "python", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Run a Python program under Loopscope's tracer (its arguments after --)"),
    N_("FILE.py") },
  { "console", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the scenario or program with no window and print its console"), NULL },
  { "speed", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Scenario seconds per second of wall-clock time (0.1 to 100), or “instant”"),
    N_("FACTOR") },
  { "virtual-time", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run as fast as possible (the same as --speed=instant)"), NULL },
  { "seed", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Seed for the scenario's randomness"), N_("N") },
  { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL,
    N_("Give one of the scenario's knobs a value (repeatable; see --list-knobs)"),
    N_("NAME=VALUE") },
  { "list-knobs", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("List a scenario's knobs (NAME<TAB>TYPE<TAB>MIN..MAX<TAB>DEFAULT<TAB>LABEL) and exit"),
    N_("ID") },
  { "compare", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("With an export: draw a second run with these knobs below the first"),
    N_("NAME=VALUE[,NAME=VALUE…]") },
  { "sweep", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Run one knob over a range and give each run's total duration (with --console or an "
       "--export-… image)"),
    N_("NAME=FROM..TO[:STEP]") },
  { "export-png", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the timeline as a PNG image and exit"), N_("FILE") },
  { "export-svg", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the timeline as an SVG image and exit"), N_("FILE") },
  { "export-pdf", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the timeline as a PDF document and exit"), N_("FILE") },
  { "export-trace", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write the trace (Chrome Trace Event Format, JSON) and exit"), N_("FILE") },
  { "open", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Export from a saved trace instead of running a scenario"), N_("FILE") },
  { "width", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Image width (default 1200)"), N_("W") },
  { "height", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Image height (default: as tall as the lanes need)"), N_("H") },
  { "scale", 0, 0, G_OPTION_ARG_STRING, NULL, N_("PNG pixels per unit, 2 for HiDPI"), N_("S") },
  { "theme", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Image colours: light or dark"), N_("THEME") },
  { "range", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Only this part of the run, in seconds"),
    N_("START:END") },
  { "axis", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Image axis: time, or iterations (each callback in the order it ran)"), N_("AXIS") },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL,
    N_("[FILE.json…] or, after --python=FILE.py --, its arguments") },
  { NULL }
};

void
ls_command_line_add_options (GApplication *app)
{
  g_application_add_main_option_entries (app, option_entries);
  g_application_set_option_context_summary (app,
                                            _("See how an asyncio event loop schedules your "
                                              "coroutines."));
}

/* GApplication answers a bad option with its own message and exit status
 * 1; Loopscope's command line promises one line and 2. So the arguments
 * are checked against the same entries first. */
gboolean
ls_command_line_check (int      argc,
                       char   **argv,
                       GError **error)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree GOptionEntry *entries = g_memdup2 (option_entries, sizeof option_entries);
  g_autofree gpointer *storage = g_new0 (gpointer, G_N_ELEMENTS (option_entries));
  g_autofree char **copy = g_new0 (char *, argc + 1);
  g_auto(GStrv) owned = NULL;
  int n = 0;
  gboolean ok;

  for (int i = 0; i < argc; i++)
    {
      /* help and GApplication's own options are GApplication's business */
      if (i > 0 && (g_str_equal (argv[i], "-h") || g_str_equal (argv[i], "-?")
                    || g_str_has_prefix (argv[i], "--help")
                    || g_str_has_prefix (argv[i], "--gapplication-")))
        return TRUE;
      copy[n++] = argv[i];
    }
  for (guint i = 0; entries[i].long_name != NULL; i++)
    entries[i].arg_data = &storage[i];
  g_option_context_set_help_enabled (context, FALSE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  owned = g_strdupv (copy); /* parsing rearranges and frees what it consumes */
  {
    int owned_argc = n;
    char **owned_argv = g_memdup2 (owned, sizeof (char *) * (n + 1));

    ok = g_option_context_parse (context, &owned_argc, &owned_argv, error);
    g_free (owned_argv);
  }
  for (guint i = 0; entries[i].long_name != NULL; i++)
    if (storage[i] != NULL)
      {
        if (entries[i].arg == G_OPTION_ARG_FILENAME_ARRAY
            || entries[i].arg == G_OPTION_ARG_STRING_ARRAY)
          g_strfreev (storage[i]);
        else if (entries[i].arg != G_OPTION_ARG_NONE)
          g_free (storage[i]);
      }
  return ok;
}

void
ls_window_request_clear (LsWindowRequest *request)
{
  g_clear_pointer (&request->scenario_id, g_free);
  g_clear_pointer (&request->files, g_strfreev);
  g_clear_pointer (&request->knobs, g_strfreev);
}

/* ---- the console ------------------------------------------------------------ */

typedef struct
{
  GString *out;
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
             const LsKnobs    *knobs,
             double            speed)
{
  g_autoptr(LsScenarioRun) run = ls_scenario_run_new (scenario, seed);
  LsLoop *loop = ls_scenario_run_get_loop (run);
  LsTrace *trace = ls_loop_get_trace (loop);
  Console console = { g_string_new (NULL) };
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) result = NULL;
  int status = 0;

  ls_knobs_apply (knobs, run);
  ls_loop_set_speed (loop, speed);
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

/* ---- CPython programs -------------------------------------------------------- */

static void
python_console_records_added (LsTrace *trace,
                              guint64  first,
                              guint64  n,
                              gpointer user_data)
{
  console_records_added (trace, first, n, user_data);
}

/* Exit status 2 for a run that could not start, 1 for one that failed on
 * the way, after one line on stderr. */
static int
python_run_failed (const GError *error)
{
  g_printerr ("loopscope: %s\n", error->message);
  if (g_error_matches (error, LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_NO_PYTHON)
      || g_error_matches (error, LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_NO_TRACER)
      || g_error_matches (error, LS_PYTHON_RUN_ERROR, LS_PYTHON_RUN_ERROR_NOT_STARTED))
    return 2;
  return 1;
}

static int
run_python_console (const char         *program,
                    const char * const *args,
                    double              speed)
{
  g_autoptr(LsPythonRun) run = ls_python_run_new (program, args, speed);
  LsTrace *trace = ls_python_run_get_trace (run);
  Console console = { g_string_new (NULL) };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_signal_connect (trace, "records-added", G_CALLBACK (python_console_records_added),
                    &console);
  if (!ls_python_run_run_to_end (run, &error))
    status = python_run_failed (error);
  else if (ls_python_run_get_exception (run) != NULL)
    {
      /* like Python's traceback, the last line names the exception */
      printf ("[%8.3f] %s\n", ls_python_run_get_end_time (run) / 1e9,
              ls_python_run_get_exception (run));
      status = 1;
    }
  else if (ls_python_run_get_exit_status (run) != 0)
    status = 1;
  fflush (stdout);
  g_signal_handlers_disconnect_by_data (trace, &console);
  g_string_free (console.out, TRUE);
  return status;
}

/* ---- values --------------------------------------------------------------------- */

static int
usage_error (const char *message)
{
  g_printerr ("loopscope: %s\n", message);
  return 2;
}

static char *
bad_value (const char *option,
           const char *value,
           const char *expected)
{
  return g_strdup_printf (_("bad %s value “%s”: %s"), option, value, expected);
}

/* A plain decimal number: digits, one point, an exponent. Not hex, not
 * "inf" or "nan", which g_ascii_strtod would take. */
static gboolean
parse_decimal (const char *text,
               double     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0' || strspn (text, "0123456789.eE+-") != strlen (text))
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*value);
}

static char *
parse_speed (const char *text,
             double     *speed)
{
  if (g_ascii_strcasecmp (text, "instant") == 0)
    {
      *speed = LS_LOOP_INSTANT;
      return NULL;
    }
  if (!parse_decimal (text, speed) || !(*speed >= 0.1 && *speed <= 100))
    return bad_value ("--speed", text, _("expected a number from 0.1 to 100, or instant"));
  return NULL;
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
  const char *axis;
} ExportArgs;

static gboolean
exporting (const ExportArgs *args)
{
  return args->png != NULL || args->svg != NULL || args->pdf != NULL || args->trace != NULL;
}

/* The images asked for, each a file of @group (written together or not at
 * all); FALSE when one cannot be made */
typedef struct
{
  const char     *path;
  LsExportFormat  format;
  LsAtomicFile   *file;
} ImageOut;

#define N_IMAGES 3

static gboolean
add_images (LsAtomicGroup    *group,
            const ExportArgs *args,
            ImageOut          images[N_IMAGES],
            GError          **error)
{
  const char *paths[N_IMAGES] = { args->png, args->svg, args->pdf };
  const LsExportFormat formats[N_IMAGES] = { LS_EXPORT_PNG, LS_EXPORT_SVG, LS_EXPORT_PDF };

  for (guint i = 0; i < N_IMAGES; i++)
    {
      images[i] = (ImageOut) { paths[i], formats[i], NULL };
      if (paths[i] != NULL && (images[i].file = ls_atomic_group_add (group, paths[i], error)) == NULL)
        return FALSE;
    }
  return TRUE;
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
      double scale;

      if (!parse_decimal (args->scale, &scale) || !(scale >= 0.25 && scale <= 8.0))
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
        if (!parse_decimal (parts[i], &t[i]) || !(t[i] >= 0 && t[i] < 1e9))
          return bad_value ("--range", args->range, _("expected START:END in seconds"));
      if (!(t[1] > t[0]))
        return bad_value ("--range", args->range, _("START must be before END"));
      options->t0 = (gint64) (t[0] * 1e9 + 0.5);
      options->t1 = (gint64) (t[1] * 1e9 + 0.5);
      if (options->t1 <= options->t0)
        return bad_value ("--range", args->range, _("START must be before END"));
    }
  if (args->axis != NULL)
    {
      if (g_str_equal (args->axis, "iterations"))
        options->iterations = TRUE;
      else if (!g_str_equal (args->axis, "time"))
        return bad_value ("--axis", args->axis, _("expected time or iterations"));
    }
  return NULL;
}

/* Every output of one command is written all or nothing (an LsAtomicGroup):
 * the destinations are checked, and their temporary files made, before the
 * scenario runs; nothing is renamed into place until every output is
 * written; an output that is the command's input is refused. */
static int
run_exports (const LsScenario   *scenario,
             const char         *program,
             const char * const *program_args,
             guint32             seed,
             const LsKnobs      *knobs,
             const LsKnobs      *compare,
             double              speed,
             const ExportArgs   *args)
{
  g_autoptr(LsScenarioRun) run = NULL;
  g_autoptr(LsScenarioRun) run_b = NULL;
  g_autoptr(LsInterpreter) interpreter_b = NULL;
  g_autoptr(LsCompare) comparison = NULL;
  g_autoptr(LsPythonRun) python_run = NULL;
  g_autoptr(LsTrace) loaded = NULL;
  g_autoptr(LsInterpreter) interpreter = NULL;
  g_autoptr(LsAtomicGroup) group = ls_atomic_group_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *title = NULL;
  g_auto(LsTraceInfo) info = { 0 };
  LsExportOptions options;
  LsTrace *trace;
  ImageOut images[N_IMAGES] = { { 0 } };
  LsAtomicFile *trace_file = NULL;

  message = parse_export_options (args, &options);
  if (message != NULL)
    return usage_error (message);

  if (args->open != NULL)
    ls_atomic_group_add_input (group, args->open);
  if (!add_images (group, args, images, &error))
    return usage_error (error->message);
  if (args->trace != NULL && (trace_file = ls_atomic_group_add (group, args->trace, &error)) == NULL)
    return usage_error (error->message);

  if (args->open != NULL)
    {
      loaded = ls_trace_load_json_full (args->open, &info, &error);
      if (loaded == NULL)
        return usage_error (error->message);
      trace = loaded;
    }
  else if (program != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      python_run = ls_python_run_new (program, program_args, speed);
      if (!ls_python_run_run_to_end (python_run, &error))
        return python_run_failed (error);
      trace = ls_python_run_get_trace (python_run);
      info.title = g_path_get_basename (program);
      info.created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      run = ls_scenario_run_new (scenario, seed);
      ls_knobs_apply (knobs, run);
      ls_loop_set_speed (ls_scenario_run_get_loop (run), speed);
      if (!ls_scenario_run_to_end (run, &error))
        {
          g_printerr ("loopscope: %s: %s\n", scenario->id, error->message);
          return 1;
        }
      trace = ls_loop_get_trace (ls_scenario_run_get_loop (run));
      if (compare != NULL)
        {
          run_b = ls_scenario_run_new (scenario, seed);
          ls_knobs_apply (compare, run_b);
          ls_loop_set_speed (ls_scenario_run_get_loop (run_b), speed);
          if (!ls_scenario_run_to_end (run_b, &error))
            {
              g_printerr ("loopscope: %s: %s\n", scenario->id, error->message);
              return 1;
            }
          interpreter_b = ls_interpreter_new (ls_loop_get_trace (ls_scenario_run_get_loop (run_b)));
        }
      info.scenario_id = g_strdup (scenario->id);
      info.title = g_strdup (scenario->title);
      info.seed = seed;
      info.created = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
      info.knobs = ls_knobs_to_strv (knobs, FALSE);
    }

  if (info.scenario_id != NULL)
    {
      g_autofree char *date = g_strndup (info.created != NULL ? info.created : "", 10);
      const LsScenario *known = ls_scenario_lookup (info.scenario_id);
      g_autoptr(LsKnobs) saved = NULL;

      /* a trace's knobs were checked when it was read */
      if (known != NULL && info.knobs != NULL)
        {
          saved = ls_knobs_new (known);
          for (guint i = 0; info.knobs[i] != NULL; i++)
            ls_knobs_parse (saved, info.knobs[i], NULL);
        }
      title = ls_knobs_run_title (_(info.title), saved, info.seed, date);
    }
  else if (python_run != NULL)
    {
      g_autofree char *date = g_strndup (info.created, 10);
      const char *version = ls_python_run_get_python_version (python_run);

      /* TRANSLATORS: the title line of an exported image of a Python program's run:
       * file name, Python version, date */
      title = g_strdup_printf (_("%s — %s — %s"), info.title, version != NULL ? version : "Python",
                               date);
    }
  else
    title = g_strdup (info.title != NULL ? info.title : "");
  options.title = title;

  interpreter = ls_interpreter_new (trace);
  if (interpreter_b != NULL)
    {
      g_autofree char *label_a = ls_knobs_describe_against (knobs, seed, compare, seed);
      g_autofree char *label_b = ls_knobs_describe_against (compare, seed, knobs, seed);
      g_autofree char *date = g_strndup (info.created, 10);

      comparison = ls_compare_new (interpreter, label_a, interpreter_b, label_b, LS_COMPARE_NONE);
      g_free (title);
      /* TRANSLATORS: the title line of an exported comparison: scenario title, date */
      title = g_strdup_printf (_("%s — comparison — %s"), _(info.title), date);
      options.title = title;
    }
  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      gboolean ok;

      if (images[i].file == NULL)
        continue;
      options.format = images[i].format;
      if (comparison != NULL)
        ok = ls_compare_export_to_stream (comparison, &options,
                                          ls_atomic_file_get_stream (images[i].file),
                                          images[i].path, &error);
      else
        ok = ls_export_image_to_stream (interpreter, &options,
                                        ls_atomic_file_get_stream (images[i].file),
                                        images[i].path, &error);
      if (!ok)
        return usage_error (error->message);
    }
  if (trace_file != NULL
      && !ls_trace_write_json (trace, &info, ls_atomic_file_get_stream (trace_file), &error))
    {
      g_autofree char *line = g_strdup_printf (_("%s: cannot write: %s"), args->trace,
                                               error->message);

      return usage_error (line);
    }
  if (!ls_atomic_group_commit (group, &error))
    return usage_error (error->message);
  return 0;
}

/* ---- sweeps ---------------------------------------------------------------------- */

/* Seconds to the nanosecond, without the zeros after the last digit */
static char *
format_seconds (gint64 ns)
{
  char *text = g_strdup_printf ("%" G_GINT64_FORMAT ".%09" G_GINT64_FORMAT, ns / 1000000000,
                                ns % 1000000000);
  char *end = text + strlen (text) - 1;

  while (*end == '0')
    *end-- = '\0';
  if (*end == '.')
    *end = '\0';
  return text;
}

/* --sweep: each value's run to its end on the virtual clock, then a line
 * per run (--console: NAME=VALUE<TAB>SECONDS<TAB>returned or the
 * exception) or the chart in each image */
static int
run_sweep (const LsScenario *scenario,
           guint32           seed,
           const LsKnobs    *knobs,
           const char       *spec,
           gboolean          console,
           const ExportArgs *args)
{
  g_autoptr(LsSweep) sweep = NULL;
  g_autoptr(LsAtomicGroup) group = ls_atomic_group_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *title = NULL;
  g_autofree char *others = NULL;
  LsExportOptions options;
  guint knob;
  ImageOut images[N_IMAGES] = { { 0 } };

  sweep = ls_sweep_new (knobs, spec, &error);
  if (sweep == NULL)
    {
      message = g_strdup_printf (_("--sweep: %s"), error->message);
      return usage_error (message);
    }
  knob = ls_sweep_get_knob (sweep);
  if (!console)
    {
      message = parse_export_options (args, &options);
      if (message != NULL)
        return usage_error (message);
      if (!add_images (group, args, images, &error))
        return usage_error (error->message);
    }
  if (!ls_sweep_run (sweep, seed, &error))
    {
      g_printerr ("loopscope: %s: %s\n", scenario->id, error->message);
      return 1;
    }

  if (console)
    {
      for (guint i = 0; i < ls_sweep_get_n_points (sweep); i++)
        {
          const LsSweepPoint *p = ls_sweep_get_point (sweep, i);
          g_autofree char *value = ls_knob_format_value (scenario, knob, p->value);
          g_autofree char *seconds = format_seconds (p->duration_ns);

          printf ("%s=%s\t%s\t%s\n", scenario->knobs[knob].name, value, seconds,
                  p->exception != NULL ? p->exception : "returned");
        }
      return 0;
    }

  others = ls_sweep_describe_others (sweep);
  /* TRANSLATORS: the title line of an exported sweep: scenario title, the
   * knob swept ("Downloads at once"), then the other knobs off their
   * default and the seed */
  title = g_strdup_printf (_("%s — total duration by %s — %s%sseed %u"), _(scenario->title),
                           _(scenario->knobs[knob].label), others, *others != '\0' ? ", " : "",
                           seed);
  options.title = title;
  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      if (images[i].file == NULL)
        continue;
      options.format = images[i].format;
      if (!ls_sweep_export_to_stream (sweep, &options, ls_atomic_file_get_stream (images[i].file),
                                      images[i].path, &error))
        return usage_error (error->message);
    }
  if (!ls_atomic_group_commit (group, &error))
    return usage_error (error->message);
  return 0;
}

/* ---- the options ------------------------------------------------------------------ */

/* --list-knobs=ID */
static int
print_knobs (const char *id)
{
  const LsScenario *scenario = ls_scenario_lookup (id);

  if (scenario == NULL)
    {
      g_autofree char *ids = ls_scenario_list_ids (", ");
      g_autofree char *message = g_strdup_printf (_("unknown scenario “%s”; valid ids: %s"), id,
                                                  ids);
      return usage_error (message);
    }
  for (guint i = 0; i < scenario->n_knobs; i++)
    {
      const LsScenarioKnob *knob = &scenario->knobs[i];
      g_autofree char *min = ls_knob_format_value (scenario, i, knob->min);
      g_autofree char *max = ls_knob_format_value (scenario, i, knob->max);
      g_autofree char *value = ls_knob_format_value (scenario, i, knob->default_value);

      printf ("%s\t%s\t%s..%s\t%s\t%s\n", knob->name,
              ls_knob_kind_name (ls_knob_get_info (scenario, i)->kind), min, max, value,
              _(knob->label));
    }
  return 0;
}

static const char *
lookup_string (GVariantDict *options,
               const char   *name)
{
  const char *value = NULL;

  if (!g_variant_dict_lookup (options, name, "&s", &value))
    return NULL;
  return value;
}

static const char *
lookup_filename (GVariantDict *options,
                 const char   *name)
{
  const char *value = NULL;

  if (!g_variant_dict_lookup (options, name, "^&ay", &value))
    return NULL;
  return value;
}

int
ls_command_line_handle (GVariantDict    *options,
                        LsWindowRequest *request)
{
  g_autofree char **files = NULL;
  const char *scenario_id = lookup_string (options, "scenario");
  const char *program = lookup_filename (options, "python");
  const char *seed_text = lookup_string (options, "seed");
  const char *list_knobs = lookup_string (options, "list-knobs");
  const char *compare_text = lookup_string (options, "compare");
  const char *sweep_text = lookup_string (options, "sweep");
  g_autofree const char **sets = NULL;
  g_autoptr(LsKnobs) knobs = NULL;
  g_autoptr(LsKnobs) compare = NULL;
  const char *speed_text = lookup_string (options, "speed");
  gboolean virtual_time = g_variant_dict_contains (options, "virtual-time");
  gboolean console = g_variant_dict_contains (options, "console");
  const LsScenario *scenario = NULL;
  ExportArgs ex;
  guint64 seed = 0;
  double speed = 1.0;
  g_autoptr(GError) error = NULL;

  memset (request, 0, sizeof *request);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files);
  g_variant_dict_lookup (options, "set", "^a&s", &sets);

  if (seed_text != NULL
      && !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT32, &seed, &error))
    {
      g_autofree char *message = g_strdup_printf (_("bad --seed value “%s”: %s"), seed_text,
                                                  error->message);
      return usage_error (message);
    }
  if (speed_text != NULL && virtual_time)
    return usage_error (_("--speed and --virtual-time cannot be used together"));
  if (speed_text != NULL)
    {
      g_autofree char *message = parse_speed (speed_text, &speed);

      if (message != NULL)
        return usage_error (message);
    }
  if (virtual_time)
    speed = LS_LOOP_INSTANT;

  if (g_variant_dict_contains (options, "list"))
    {
      guint n;
      const LsScenario *const *all = ls_scenarios_get_all (&n);

      for (guint i = 0; i < n; i++)
        printf ("%s\t%s\n", all[i]->id, _(all[i]->title));
      return 0;
    }

  if (list_knobs != NULL)
    return print_knobs (list_knobs);

  if (scenario_id != NULL && (scenario = ls_scenario_lookup (scenario_id)) == NULL)
    {
      g_autofree char *ids = ls_scenario_list_ids (", ");
      g_autofree char *message = g_strdup_printf (_("unknown scenario “%s”; valid ids: %s"),
                                                  scenario_id, ids);
      return usage_error (message);
    }
  if ((sets != NULL || compare_text != NULL || sweep_text != NULL) && scenario == NULL)
    return usage_error (_("--set, --compare and --sweep need --scenario=ID"));
  if (scenario != NULL)
    {
      knobs = ls_knobs_new (scenario);
      for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
        if (!ls_knobs_parse (knobs, sets[i], &error))
          {
            g_autofree char *message = g_strdup_printf (_("--set: %s"), error->message);
            return usage_error (message);
          }
    }
  if (compare_text != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (compare_text, ",", -1);

      compare = ls_knobs_copy (knobs);
      for (guint i = 0; pairs[i] != NULL; i++)
        if (!ls_knobs_parse (compare, pairs[i], &error))
          {
            g_autofree char *message = g_strdup_printf (_("--compare: %s"), error->message);
            return usage_error (message);
          }
    }

  ex = (ExportArgs) {
    lookup_filename (options, "export-png"), lookup_filename (options, "export-svg"),
    lookup_filename (options, "export-pdf"), lookup_filename (options, "export-trace"),
    lookup_filename (options, "open"), lookup_string (options, "width"),
    lookup_string (options, "height"), lookup_string (options, "scale"),
    lookup_string (options, "theme"), lookup_string (options, "range"),
    lookup_string (options, "axis"),
  };

  if (sweep_text != NULL)
    {
      if (compare != NULL)
        return usage_error (_("--sweep and --compare cannot be used together"));
      if (ex.trace != NULL || ex.open != NULL || ex.range != NULL || ex.axis != NULL)
        return usage_error (_("--sweep draws a chart: --export-trace, --open, --range and "
                              "--axis do not apply"));
      if (speed_text != NULL && speed != LS_LOOP_INSTANT)
        return usage_error (_("--sweep runs on the virtual clock: --speed does not apply"));
      if (files != NULL && files[0] != NULL)
        {
          g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), files[0]);
          return usage_error (message);
        }
      if (console == exporting (&ex))
        return usage_error (_("--sweep needs --console or an --export-… image (not both)"));
      return run_sweep (scenario, (guint32) seed, knobs, sweep_text, console, &ex);
    }

  if (program != NULL)
    {
      const char * const *program_args = (const char * const *) files;

      if (scenario != NULL)
        return usage_error (_("--python and --scenario cannot be used together"));
      if (ex.open != NULL)
        return usage_error (_("--python and --open cannot be used together"));
      if (seed_text != NULL)
        return usage_error (_("--seed needs --scenario=ID"));
      if (console && exporting (&ex))
        return usage_error (_("--console and --export-… cannot be used together"));
      if (!g_file_test (program, G_FILE_TEST_EXISTS))
        {
          g_autofree char *message = g_strdup_printf (_("%s: no such file"), program);

          return usage_error (message);
        }
      if (console)
        return run_python_console (program, program_args,
                                   speed_text != NULL || virtual_time
                                   ? speed : LS_PYTHON_RUN_REAL_TIME);
      if (exporting (&ex))
        return run_exports (NULL, program, program_args, 0, NULL, NULL,
                            speed_text != NULL ? speed : LS_LOOP_INSTANT, &ex);
      return usage_error (_("--python needs --console or an --export-… option"));
    }

  if (files != NULL && files[0] != NULL && (console || exporting (&ex)))
    {
      g_autofree char *message = g_strdup_printf (_("unexpected argument “%s”"), files[0]);
      return usage_error (message);
    }

  if (console)
    {
      if (scenario == NULL)
        return usage_error (_("--console needs --scenario=ID (or --python=FILE.py)"));
      if (exporting (&ex))
        return usage_error (_("--console and --export-… cannot be used together"));
      if (compare != NULL)
        return usage_error (_("--compare needs an --export-… image"));
      return run_console (scenario, (guint32) seed, knobs, speed);
    }

  if (exporting (&ex))
    {
      if (ex.open != NULL && scenario != NULL)
        return usage_error (_("--open and --scenario cannot be used together"));
      if (ex.open == NULL && scenario == NULL)
        return usage_error (_("--export-… needs --scenario=ID or --open=FILE (or --python=FILE.py)"));
      if (ex.open != NULL && (virtual_time || speed_text != NULL || seed_text != NULL))
        return usage_error (_("--virtual-time, --speed and --seed need --scenario=ID"));
      if (compare != NULL && ex.png == NULL && ex.svg == NULL && ex.pdf == NULL)
        return usage_error (_("--compare needs an --export-… image"));
      /* exports run at Instant speed unless told otherwise */
      return run_exports (scenario, NULL, NULL, (guint32) seed, knobs, compare,
                          speed_text != NULL ? speed : LS_LOOP_INSTANT, &ex);
    }
  if (ex.open != NULL || ex.width != NULL || ex.height != NULL || ex.scale != NULL
      || ex.theme != NULL || ex.range != NULL || ex.axis != NULL)
    return usage_error (_("--open, --width, --height, --scale, --theme, --range and --axis need "
                          "an --export-… option"));
  if (seed_text != NULL && scenario == NULL)
    return usage_error (_("--seed needs --scenario=ID"));
  if (compare != NULL)
    return usage_error (_("--compare needs an --export-… image"));
  if (scenario != NULL && files != NULL && files[0] != NULL)
    return usage_error (_("--scenario and a trace file cannot be used together"));

  /* the window: refuse what cannot be opened here, with no display (each
   * file is read once, by the window) */
  for (guint i = 0; files != NULL && files[i] != NULL; i++)
    if (!g_file_test (files[i], G_FILE_TEST_IS_REGULAR))
      {
        g_autofree char *message =
          g_strdup_printf (g_file_test (files[i], G_FILE_TEST_EXISTS)
                           ? _("%s: not a trace file") : _("%s: no such file"), files[i]);
        return usage_error (message);
      }

  request->scenario_id = g_strdup (scenario_id);
  request->seed = (guint32) seed;
  request->has_speed = speed_text != NULL || virtual_time;
  request->speed = speed;
  request->files = files != NULL && files[0] != NULL ? g_strdupv (files) : NULL;
  request->knobs = knobs != NULL ? ls_knobs_to_strv (knobs, TRUE) : NULL;
  return -1;
}
