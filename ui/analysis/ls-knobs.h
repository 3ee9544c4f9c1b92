/* SPDX-License-Identifier: MIT
 *
 * What-if knobs: the values a scenario's knobs take in one run, checked
 * against each knob's type and range, and how Loopscope presents a knob
 * (its type, what to look for when it changes, and where its value stands
 * in the chapter's listing, so the listing shown reads `Semaphore(4)` when
 * the run had four permits). Knob values are part of a run's identity:
 * the session, trace files, exports and the command line all carry an
 * LsKnobs. GLib only.
 */
#pragma once

#include <glib.h>

#include "ls-scenario.h"

G_BEGIN_DECLS

#define LS_KNOBS_ERROR (ls_knobs_error_quark ())

typedef enum
{
  LS_KNOBS_ERROR_SYNTAX,       /* not NAME=VALUE */
  LS_KNOBS_ERROR_UNKNOWN,      /* the scenario has no such knob */
  LS_KNOBS_ERROR_BAD_VALUE,    /* not a number, not whole, or out of range */
} LsKnobsError;

typedef enum
{
  LS_KNOB_INTEGER = 0,  /* a count: tasks, permits, a queue's size */
  LS_KNOB_SECONDS,      /* scenario seconds, to the nanosecond */
} LsKnobKind;

/* How Loopscope presents a scenario's knob. */
typedef struct
{
  LsKnobKind  kind;
  const char *hint;        /* translatable (N_): what to look for when it changes */
  const char *listing[4];  /* the listing's text around the value, "{}" where it stands,
                            * each found in the listing at the default; NULL-terminated */
} LsKnobInfo;

typedef struct _LsKnobs LsKnobs;

GQuark            ls_knobs_error_quark        (void);

/* The presentation of knob @index of @scenario (never NULL). */
const LsKnobInfo *ls_knob_get_info            (const LsScenario *scenario,
                                               guint             index);
/* "3", "0.5": how the listing and the command line write a value. */
char             *ls_knob_format_value        (const LsScenario *scenario,
                                               guint             index,
                                               double            value);
/* "a whole number from 1 to 10", "seconds from 0 to 60" */
char             *ls_knob_describe_range      (const LsScenario *scenario,
                                               guint             index);
/* A plain decimal number, as knob values are written: digits, one point,
 * an exponent; not hex, not "inf" or "nan" (which g_ascii_strtod takes). */
gboolean          ls_knob_parse_decimal       (const char       *text,
                                               double           *value);
/* "integer", "seconds" (untranslated, for --list-knobs) */
const char       *ls_knob_kind_name           (LsKnobKind        kind);

/* A scenario's knobs at their defaults. */
LsKnobs          *ls_knobs_new                (const LsScenario *scenario);
LsKnobs          *ls_knobs_copy               (const LsKnobs    *knobs);
void              ls_knobs_free               (LsKnobs          *knobs);
const LsScenario *ls_knobs_get_scenario       (const LsKnobs    *knobs);
double            ls_knobs_get_value          (const LsKnobs    *knobs,
                                               guint             index);
gboolean          ls_knobs_is_default         (const LsKnobs    *knobs,
                                               guint             index);
/* The knob's index, or -1. */
int               ls_knobs_find               (const LsKnobs    *knobs,
                                               const char       *name);
/* FALSE and LS_KNOBS_ERROR_BAD_VALUE for a value out of range, or not
 * whole for a count; seconds are kept to the nanosecond. */
gboolean          ls_knobs_set_value          (LsKnobs          *knobs,
                                               guint             index,
                                               double            value,
                                               GError          **error);
/* "NAME=VALUE", as --set and trace files give it: a plain decimal number
 * (no hex, no inf or nan). Errors say which knob and why, on one line. */
gboolean          ls_knobs_parse              (LsKnobs          *knobs,
                                               const char       *assignment,
                                               GError          **error);
gboolean          ls_knobs_equal              (const LsKnobs    *a,
                                               const LsKnobs    *b);
/* Sets every knob of @run. */
void              ls_knobs_apply              (const LsKnobs    *knobs,
                                               LsScenarioRun    *run);
/* The listing with each knob's value where the listing has the default. */
char             *ls_knobs_apply_to_listing   (const LsKnobs    *knobs,
                                               const char       *listing);
/* Every knob as "NAME=VALUE" (@changed_only: those off their default),
 * NULL-terminated. */
GStrv             ls_knobs_to_strv            (const LsKnobs    *knobs,
                                               gboolean          changed_only);
/* The knobs off their default, for people: "Downloads at once 1, Timeout
 * (s) 5" (translated labels), or "" when every knob is at its default. */
char             *ls_knobs_describe           (const LsKnobs    *knobs);

/* What tells this run from @other, for the label of one run of a
 * comparison: the knobs whose values differ ("Downloads at once 3"), and
 * the seed when it differs or the scenario is randomised. */
char             *ls_knobs_describe_against   (const LsKnobs    *knobs,
                                               guint32           seed,
                                               const LsKnobs    *other,
                                               guint32           other_seed);
/* A run's title line (exports): "Semaphore — seed 0 — DATE", with the
 * knobs off their default after the title when there are any. @knobs may
 * be NULL. */
char             *ls_knobs_run_title          (const char       *title,
                                               const LsKnobs    *knobs,
                                               guint32           seed,
                                               const char       *date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsKnobs, ls_knobs_free)

G_END_DECLS
