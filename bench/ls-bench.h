/* SPDX-License-Identifier: MIT
 *
 * Targets and verdicts for the benchmarks: each figure with a target prints
 * "target NAME: MEASURED, at most|at least TARGET UNIT: met|not met (RATIO
 * of the target)", and the benchmark ends with one line, "verdict BENCH:
 * met|not met (...)", that CI collects. A benchmark's exit status says
 * whether it ran, never whether it met its targets: timings on a shared
 * machine are noisy, and a verdict is for a reader to weigh.
 */
#pragma once

#include <glib.h>
#include <stdio.h>

typedef struct
{
  GString *ratios;
  guint    n_targets;
  guint    n_missed;
} LsBenchVerdict;

/* @at_most: the target is a limit (time, memory); otherwise a floor. */
static inline void
ls_bench_target (LsBenchVerdict *v,
                 const char     *name,
                 double          measured,
                 double          target,
                 gboolean        at_most,
                 const char     *unit)
{
  gboolean met = at_most ? measured <= target : measured >= target;
  double ratio = measured / target;

  if (v->ratios == NULL)
    v->ratios = g_string_new (NULL);
  v->n_targets++;
  v->n_missed += !met;
  printf ("target %s: %.4g %s, %s %g %s: %s (%.2f of the target)\n", name, measured, unit,
          at_most ? "at most" : "at least", target, unit, met ? "met" : "NOT MET", ratio);
  g_string_append_printf (v->ratios, "%s%s %.2f", v->ratios->len > 0 ? ", " : "", name, ratio);
}

static inline void
ls_bench_verdict (LsBenchVerdict *v,
                  const char     *bench)
{
  printf ("verdict %s: %s (%u of %u targets met; measured/target: %s)\n", bench,
          v->n_missed == 0 ? "met" : "NOT MET", v->n_targets - v->n_missed, v->n_targets,
          v->ratios != NULL ? v->ratios->str : "-");
  fflush (stdout);
  if (v->ratios != NULL)
    g_string_free (v->ratios, TRUE);
  v->ratios = NULL;
}
