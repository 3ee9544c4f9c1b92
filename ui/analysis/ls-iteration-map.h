/* SPDX-License-Identifier: MIT
 *
 * The iteration view's axis: the loop's iterations (ITERATION_BEGIN to
 * ITERATION_END) one column each, and within a column the callbacks it ran
 * (HANDLE_RUN) one slot each, in the order they ran. Everything that
 * happened at one instant of scenario time is spread out left to right in
 * the order it happened, and time between iterations in which the loop sat
 * idle is one narrow gap whatever its length.
 *
 * Positions on this axis are "steps" (LS_ITERATION_SLOT per callback). The
 * map keeps a copy of the run's trace with every record restamped with its
 * step, and an interpreter of that copy: the renderer draws it as it draws
 * any run, so spans, arrows, waiters and deadlines need no second drawing
 * code. Record indices are the same in both traces, which is how a step
 * and an instant of the run are converted (ls_iteration_map_record_at ()).
 * GLib only.
 */
#pragma once

#include <glib-object.h>

#include "ls-interpreter.h"

G_BEGIN_DECLS

#define LS_ITERATION_SLOT 1000 /* steps of one callback's slot, at least */
#define LS_ITERATION_RECORD 120 /* steps between two records of one callback */
#define LS_ITERATION_HEAD 400  /* steps before the first callback: timers, I/O */
#define LS_ITERATION_GAP  600  /* steps of an idle gap, however long it lasted */

/* One callback (HANDLE_RUN) of an iteration, or the iteration's head (what
 * the loop did before its first callback: timers firing, I/O completing). */
typedef struct
{
  guint64 record;     /* its HANDLE_RUN (the head: ITERATION_BEGIN) */
  gint64  x0;         /* its first step */
  gint64  x1;         /* where the next slot begins */
  guint   iteration;  /* index in ls_iteration_map_get_iterations () */
  guint32 handle_id;  /* 0 for the head */
  guint32 task_id;    /* the task it stepped, or 0 */
  guint16 kind;       /* LsHandleKind, 0 for the head */
  gboolean skipped;   /* a cancelled handle, skipped */
} LsIterationSlot;

typedef struct
{
  guint64 number;        /* the loop's count (ITERATION_BEGIN's arg) */
  guint64 first_record;  /* its ITERATION_BEGIN */
  guint64 end_record;    /* past its ITERATION_END (while open: the records so far) */
  gint64  start_ns;      /* scenario time */
  gint64  end_ns;
  gint64  x0;            /* steps */
  gint64  x1;
  gint64  idle_ns;       /* scenario time the loop waited before it (an idle gap), or 0 */
  guint   first_slot;    /* index in ls_iteration_map_get_slots (): its head */
  guint   n_slots;       /* the head and one per callback */
} LsIteration;

#define LS_TYPE_ITERATION_MAP (ls_iteration_map_get_type ())
G_DECLARE_FINAL_TYPE (LsIterationMap, ls_iteration_map, LS, ITERATION_MAP, GObject)

/* Follows @trace as it grows. */
LsIterationMap *ls_iteration_map_new              (LsTrace        *trace);
/* The run restamped in steps, to draw. */
LsInterpreter  *ls_iteration_map_get_interpreter  (LsIterationMap *self);
GArray         *ls_iteration_map_get_iterations   (LsIterationMap *self);
GArray         *ls_iteration_map_get_slots        (LsIterationMap *self);
/* The step of the last record so far (0 with none). */
gint64          ls_iteration_map_get_end          (LsIterationMap *self);

/* The step of record @index */
gint64          ls_iteration_map_record_step      (LsIterationMap *self,
                                                   guint64         index);
/* How many records happened at or before @step (0: none). */
guint64         ls_iteration_map_records_until    (LsIterationMap *self,
                                                   gint64          step);
/* The step just after every record stamped at or before @time_ns. */
gint64          ls_iteration_map_time_to_step     (LsIterationMap *self,
                                                   gint64          time_ns);
/* The scenario time at @step: that of the last record at or before it. */
gint64          ls_iteration_map_step_to_time     (LsIterationMap *self,
                                                   gint64          step);
/* The iteration and the slot at @step (FALSE in a gap or past the end). */
gboolean        ls_iteration_map_find             (LsIterationMap *self,
                                                   gint64          step,
                                                   guint          *iteration,
                                                   guint          *slot);

G_END_DECLS
