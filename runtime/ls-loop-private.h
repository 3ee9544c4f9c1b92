/* SPDX-License-Identifier: MIT
 *
 * The loop's insides, shared by the files that make it up: ls-loop.c (the
 * object, its tasks, printing, closing), ls-loop-clock.c (the scenario
 * clock and its pacing), ls-loop-timers.c (the ready queue and the timer
 * heap), ls-loop-io.c (I/O completions and parks) and ls-loop-run.c
 * (iterations, blocking, the GSource, stopping). Nothing else includes it.
 * The struct itself is in ls-runtime-private.h, with what of the loop
 * tasks and primitives use inline.
 */
#pragma once

#include "ls-loop.h"
#include "ls-runtime-private.h"

G_BEGIN_DECLS

/* A finished operation (or data for one still in flight) waiting to enter
 * the ready queue. */
typedef struct
{
  LsCallback func;
  gpointer   a;
  gpointer   b;
  guint32    io_id;
  guint8     outcome;     /* LsOutcome, for completions */
  guint8     completed;   /* FALSE: progress of an operation still in flight */
} IoDone;

/* A peer holding an in-flight operation until a scenario time. */
typedef struct
{
  guint        id;
  guint32      io_id;
  gint64       until;
  LsIoParkFunc func;
  gpointer     data;
} IoPark;

typedef enum
{
  LS_LOOP_PROP_0,
  LS_LOOP_PROP_SPEED,
  LS_LOOP_PROP_PAUSED,
  LS_LOOP_PROP_STOPPED,
  LS_LOOP_N_PROPS
} LsLoopProperty;

void     _ls_loop_notify                (LsLoop        *self,
                                         LsLoopProperty prop);

/* ls-loop-clock.c */
gint64   _ls_loop_pace_limit            (LsLoop        *self);
void     _ls_loop_jump_clock_to         (LsLoop        *self,
                                         gint64         when);

/* ls-loop-timers.c */
void     _ls_loop_timer_handle_run      (gpointer       a,
                                         gpointer       b);
LsTimer *_ls_loop_heap_pop              (LsLoop        *self);
void     _ls_loop_heap_drop_cancelled   (LsLoop        *self);

/* ls-loop-io.c */
/* Nothing in flight makes progress in real time: every operation is parked
 * (or there are none), so only the scenario clock can move things on. */
static inline gboolean
_ls_loop_io_settled (LsLoop *self)
{
  return self->io_parked == self->io_in_flight;
}

IoPark  *_ls_loop_park_take             (LsLoop        *self,
                                         guint          index);
gint64   _ls_loop_next_deadline         (LsLoop        *self);
void     _ls_loop_fire_due_parks        (LsLoop        *self);
void     _ls_loop_io_deliver            (LsLoop        *self);

/* ls-loop-run.c */
void     _ls_loop_attach_source         (LsLoop        *self);
void     _ls_loop_run_handles           (LsLoop        *self,
                                         gint64         budget_end_us,
                                         gboolean       single_iteration);
void     _ls_loop_run_until_complete_cb (LsFuture      *future,
                                         gpointer       data);

G_END_DECLS
