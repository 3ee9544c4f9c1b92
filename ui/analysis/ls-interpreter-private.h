/* SPDX-License-Identifier: MIT
 *
 * What ls-interpreter.c (the replays, the checkpoints, the object) and
 * ls-interpreter-history.c (the lanes and the other histories) share.
 */
#pragma once

#include "ls-interpreter.h"

G_BEGIN_DECLS

struct _LsInterpreter
{
  GObject     parent_instance;

  LsTrace    *trace;
  gulong      records_added_id;
  gint64      end_time;

  LsReplay   *head;          /* after every record read so far */
  LsReplay   *cursor;        /* at the instant last asked for */
  GPtrArray  *checkpoints;   /* LsReplayCheckpoint: i after (i + 1) * INTERVAL records */

  GArray     *lanes;         /* LsTimelineLane, creation order */
  GHashTable *lane_index;    /* object id -> lane + 1 */
  GArray     *rows;          /* guint lane, display order */
  GArray     *lane_rows;     /* int row per lane, -1 when hidden */
  gboolean    rows_dirty;

  GArray     *bands;         /* LsTimelineBand */
  GArray     *prints;        /* LsTimelinePrint */
  GArray     *cancels;       /* LsTimelineCancel */
  GArray     *deadlines;     /* LsTimelineDeadline */
  GArray     *links;         /* LsTimelineLink */
  GArray     *wakes;         /* LsTimelineWake */

  /* For the causal links: who completed each future (task id and time),
   * and what caused each queued callback, so a future completed from a
   * callback (gather's, a task's done callback) is traced to its task. */
  GHashTable *completers;    /* future id -> index + 1 in completions */
  GArray     *completions;   /* Completion */
  GHashTable *callback_causes; /* handle id -> cause id */
  guint32     current_cause; /* the running callback's cause, or 0 */

  /* For the timer and I/O links and the deadlines' ends: the timers and
   * I/O operations not yet over, and the deadline each timer or scope
   * stands for. */
  GHashTable *timers;        /* timer id -> Origin */
  GHashTable *ios;           /* I/O id -> Origin */
  GHashTable *deadline_of;   /* timer or scope id -> index + 1 in deadlines */
};

/* Who completed a future, and when: a task, or a timer or an I/O
 * operation (@wake: index + 1 in the wakes that one made, @task_id 0). */
typedef struct
{
  guint32 task_id;
  gint64  time;
  guint32 wake;
} Completion;

/* A timer set or an I/O operation begun, until it is over. */
typedef struct
{
  gint64      time;      /* set, or begun */
  gint64      done;      /* fired or completed, or -1 */
  gint64      deadline;  /* timers */
  guint32     task_id;   /* who set it or began it */
  guint16     reason;    /* timers: the LsWaitReason served; I/O: LsOutcome */
  const char *text;      /* I/O: its description */
} Origin;

void _ls_interpreter_record       (LsInterpreter        *self,
                                   const LsTraceRecord  *record,
                                   const LsReplayChange *change);
void _ls_interpreter_update_rows  (LsInterpreter        *self);

G_END_DECLS
