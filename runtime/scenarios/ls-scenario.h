/* SPDX-License-Identifier: MIT
 *
 * Scenarios: the chapter's examples and exercises as C coroutines on the
 * runtime, each with its listing (the chapter's Python, in the GResource
 * under /io/github/loopscope/Loopscope/scenarios/ID.py), what to watch for,
 * and knobs with the chapter's values as defaults.
 */
#pragma once

#include "ls-runtime.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;         /* e.g. "semaphore-size" */
  const char *label;        /* translatable (N_) */
  double      default_value;
  double      min;
  double      max;
} LsScenarioKnob;

typedef struct
{
  const char           *id;
  const char           *title;    /* translatable (N_) */
  const char           *section;  /* translatable (N_): the chapter's section */
  const char           *notes;    /* translatable (N_): what to watch for */
  const LsScenarioKnob *knobs;
  guint                 n_knobs;
  gboolean              randomised;
  LsTaskFunc            main;
} LsScenario;

typedef struct _LsScenarioRun LsScenarioRun;

const LsScenario  *const *ls_scenarios_get_all    (guint           *n_scenarios);
const LsScenario  *ls_scenario_lookup             (const char      *id);
char              *ls_scenario_get_listing        (const LsScenario *scenario);
char              *ls_scenario_list_ids           (const char      *separator);

/* A run that has not started yet (its main task is scheduled), at Instant
 * speed: set the loop's speed to pace it. */
LsScenarioRun     *ls_scenario_run_new            (const LsScenario *scenario,
                                                   guint32          seed);
void               ls_scenario_run_free           (LsScenarioRun   *run);
LsLoop            *ls_scenario_run_get_loop       (LsScenarioRun   *run);
LsTask            *ls_scenario_run_get_main_task  (LsScenarioRun   *run);
void               ls_scenario_run_set_knob       (LsScenarioRun   *run,
                                                   const char      *name,
                                                   double           value);
/* asyncio.run: the main task, then the shutdown (the tasks left are
 * cancelled and run to the end, the default executor's works finish) */
gboolean           ls_scenario_run_to_end         (LsScenarioRun   *run,
                                                   GError         **error);
/* The main task is done and so is the shutdown after it: nothing of the
 * run is left to happen (the main task alone may be done earlier). */
gboolean           ls_scenario_run_is_finished    (LsScenarioRun   *run);

/* From scenario code, inside the run's tasks. */
double             ls_knob                        (const char      *name);
void               ls_line                        (int              line);
/* A path in the run's own temporary folder, which stands for the
 * chapter's current directory: its relative file names land there. The
 * folder is made on first use (g_dir_make_tmp) and removed, with what the
 * run put in it, once the run and its last file operation are gone. When
 * it cannot be made, NULL and an OSError (G_IO_ERROR) naming the folder,
 * like the one CPython raises for a file it cannot create there. */
char              *ls_scenario_path               (const char      *relative,
                                                   GError         **error);
/* The local server's URL standing in for an httpbin.org URL of the
 * chapter (the server starts on first use, on 127.0.0.1). */
char              *ls_scenario_url                (const char      *httpbin_url,
                                                   GError         **error);

/* The console: every print of the trace in [first, first + n) as
 * "[%8.3f] text" lines (a text with newlines gives several lines). */
void               ls_console_append              (GString         *out,
                                                   LsTrace         *trace,
                                                   guint64          first,
                                                   guint64          n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsScenarioRun, ls_scenario_run_free)

G_END_DECLS
