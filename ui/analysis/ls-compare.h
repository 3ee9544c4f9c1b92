/* SPDX-License-Identifier: MIT
 *
 * Two runs side by side: their lanes matched by name, and what differs.
 * A run with other knobs (or another seed) against the one pinned before
 * it, or a scenario against its listing run in CPython: either way two
 * interpreters and labels, the lanes of both in A's order (B's lanes that
 * A does not have after them), each task's end and time spent waiting,
 * each run's total duration and waits per reason, each queue's maximum
 * depth and each semaphore's minimum permits, and whether the two are
 * identical. A snapshot: make a new one when either run has grown. GLib
 * only; the compare view and the image export draw it.
 */
#pragma once

#include <glib-object.h>

#include "ls-interpreter.h"

G_BEGIN_DECLS

typedef enum
{
  LS_COMPARE_NONE = 0,
  /* B is CPython running A's listing, and names things its own way: a
   * task it calls Task-N (the default name) matches A's task number N,
   * which A names after what the listing calls it; a primitive named
   * otherwise (the tracer's "lock" for the listing's self.lock) matches
   * A's next one of its kind */
  LS_COMPARE_CPYTHON_NAMES = 1 << 0,
} LsCompareFlags;

typedef enum
{
  LS_COMPARE_A = 0,
  LS_COMPARE_B = 1,
} LsCompareSide;

/* One lane of the comparison: a lane of A, of B, or of both. */
typedef struct
{
  const char         *label;       /* A's label, or B's for a lane A does not have */
  LsTimelineLaneKind  kind;
  int                 lane[2];     /* the lane in A and in B, or -1 */
  gboolean            differs;     /* states or instants differ, or one run lacks it */
  gint64              first_difference_ns; /* the first instant they differ, or -1 */
  /* tasks */
  gint64              end_ns[2];   /* when it ended, or -1 (still running, or absent) */
  guint16             end_state[2];
  gint64              waiting_ns[2]; /* time spent waiting, for any reason */
  /* primitives: a queue's maximum depth, a semaphore's minimum permits,
   * or -1 (another kind, or absent) */
  gint64              extreme[2];
} LsCompareLane;

#define LS_TYPE_COMPARE (ls_compare_get_type ())
G_DECLARE_FINAL_TYPE (LsCompare, ls_compare, LS, COMPARE, GObject)

LsCompare           *ls_compare_new               (LsInterpreter  *a,
                                                   const char     *label_a,
                                                   LsInterpreter  *b,
                                                   const char     *label_b,
                                                   LsCompareFlags  flags);
LsInterpreter       *ls_compare_get_interpreter   (LsCompare      *self,
                                                   LsCompareSide   side);
const char          *ls_compare_get_label        (LsCompare      *self,
                                                   LsCompareSide   side);
LsCompareFlags       ls_compare_get_flags         (LsCompare      *self);

guint                ls_compare_get_n_lanes       (LsCompare      *self);
const LsCompareLane *ls_compare_get_lane          (LsCompare      *self,
                                                   guint           index);
/* The comparison lane of lane @lane of @side's interpreter, or -1. */
int                  ls_compare_find              (LsCompare      *self,
                                                   LsCompareSide   side,
                                                   guint           lane);

/* The run's end: its last record. */
gint64               ls_compare_get_duration      (LsCompare      *self,
                                                   LsCompareSide   side);
/* Time its tasks spent waiting for @reason (LsWaitReason), summed. */
gint64               ls_compare_get_waiting       (LsCompare      *self,
                                                   LsCompareSide   side,
                                                   guint           reason);
/* How many lanes differ (those only one run has included). */
guint                ls_compare_get_n_differences (LsCompare      *self);
/* Every lane matched, the same states at the same instants, the same
 * owners, counts, blocked bands and deadlines, and the same duration. */
gboolean             ls_compare_is_identical      (LsCompare      *self);

G_END_DECLS
