/* SPDX-License-Identifier: MIT
 *
 * LsLoop: the event loop. A FIFO ready queue of callbacks, a timer heap
 * and I/O completions, run one iteration at a time the way CPython's
 * BaseEventLoop._run_once does, driven by one GSource on the thread-default
 * GMainContext, against a virtual scenario clock that jumps to the next
 * timer, paced against the wall clock at a chosen speed (or not at all).
 */
#pragma once

#include <glib-object.h>

#include "ls-trace.h"

G_BEGIN_DECLS

typedef struct _LsFuture LsFuture;
typedef struct _LsTask   LsTask;
typedef struct _LsTimer  LsTimer;

typedef void (*LsCallback) (gpointer a,
                            gpointer b);

#define LS_TYPE_LOOP (ls_loop_get_type ())
G_DECLARE_FINAL_TYPE (LsLoop, ls_loop, LS, LOOP, GObject)

LsLoop     *ls_loop_new                 (void);
LsTrace    *ls_loop_get_trace           (LsLoop     *self);

/* The scenario clock: virtual, in exact nanoseconds. The speed paces it
 * against the wall clock; Instant runs as fast as the machine can, which
 * records exactly the same times. */
#define LS_LOOP_INSTANT   0.0
#define LS_LOOP_MIN_SPEED 0.01
#define LS_LOOP_MAX_SPEED 1000.0

double      ls_loop_time                (LsLoop     *self);
gint64      ls_loop_time_ns             (LsLoop     *self);
gint64      ls_loop_get_paced_time_ns   (LsLoop     *self);
void        ls_loop_set_speed           (LsLoop     *self,
                                         double      speed);
double      ls_loop_get_speed           (LsLoop     *self);
void        ls_loop_set_paused          (LsLoop     *self,
                                         gboolean    paused);
gboolean    ls_loop_get_paused          (LsLoop     *self);
gboolean    ls_loop_step                (LsLoop     *self);
guint64     ls_loop_get_iteration       (LsLoop     *self);
gboolean    ls_loop_is_blocked          (LsLoop     *self);
gboolean    ls_loop_has_work            (LsLoop     *self);

/* Seeded randomness: the only source scenarios may use. */
void        ls_loop_set_seed            (LsLoop     *self,
                                         guint32     seed);
guint32     ls_loop_get_seed            (LsLoop     *self);
double      ls_loop_random_uniform      (LsLoop     *self,
                                         double      low,
                                         double      high);
gint32      ls_loop_random_int          (LsLoop     *self,
                                         gint32      low,
                                         gint32      high_inclusive);

/* Scheduling callbacks (loop.call_soon / loop.call_later). Both return
 * a handle (transfer full: unref it) that ls_timer_cancel turns into a
 * no-op, as Handle.cancel() and TimerHandle.cancel() do. */
LsTimer    *ls_loop_call_soon           (LsLoop     *self,
                                         LsCallback  callback,
                                         gpointer    a,
                                         gpointer    b);
LsTimer    *ls_loop_call_later          (LsLoop     *self,
                                         double      delay,
                                         LsCallback  callback,
                                         gpointer    a,
                                         gpointer    b);
LsTimer    *ls_loop_call_at_ns          (LsLoop     *self,
                                         gint64      when_ns,
                                         LsWaitReason purpose,
                                         guint32     related_id,
                                         LsCallback  callback,
                                         gpointer    a,
                                         GDestroyNotify a_destroy,
                                         gpointer    b);
void        ls_timer_cancel             (LsTimer    *timer);
gboolean    ls_timer_cancelled          (LsTimer    *timer);
LsTimer    *ls_timer_ref                (LsTimer    *timer);
void        ls_timer_unref              (LsTimer    *timer);
guint32     ls_timer_get_id             (LsTimer    *timer);
gint64      ls_timer_get_deadline_ns    (LsTimer    *timer);

/* I/O: an operation begins (the virtual clock will not jump past it) and
 * its completion callback is queued from a GIO callback; it runs in the
 * next loop iteration, before that iteration's timers. On the virtual
 * clock, completions wait until no unparked I/O is left in flight and are
 * then queued in the order their operations began, so the run does not
 * depend on which finished first in real time. */
guint32     ls_loop_io_begin            (LsLoop     *self,
                                         const char *description);
void        ls_loop_io_complete         (LsLoop     *self,
                                         guint32     io_id,
                                         gboolean    success,
                                         LsCallback  callback,
                                         gpointer    a,
                                         gpointer    b);
/* Data arrived for @io_id, which stays in flight (a response body being
 * streamed): @callback is queued exactly like a completion. */
void        ls_loop_io_progress         (LsLoop     *self,
                                         guint32     io_id,
                                         LsCallback  callback,
                                         gpointer    a,
                                         gpointer    b);
guint       ls_loop_get_io_in_flight    (LsLoop     *self);

/* Parking, for peers emulated inside the process (LsHttpServer): the peer
 * holds the in-flight I/O @io_id until scenario time @until_ns and does
 * nothing else meanwhile. While every operation in flight is parked, the
 * virtual clock may jump (to the earliest timer or park). At @until_ns the
 * park ends and @callback runs with @reached TRUE, outside any iteration
 * (like a GIO callback: it is the peer's code, not the scenario's). If
 * @io_id completes first (its waiter went away) or the loop goes away, it
 * runs with @reached FALSE instead. @io_id 0 parks nothing: a plain wake-up
 * on the scenario clock. Returns 0, and never calls @callback, when @io_id
 * is not in flight. */
typedef void (*LsIoParkFunc) (gpointer data,
                              gboolean reached);

guint       ls_loop_io_park             (LsLoop       *self,
                                         guint32       io_id,
                                         gint64        until_ns,
                                         LsIoParkFunc  callback,
                                         gpointer      data);
/* Ends a park early without calling its callback. */
void        ls_loop_io_unpark           (LsLoop       *self,
                                         guint         park_id);

/* Running. The loop stops by itself once the future set here is done,
 * from a done callback, as CPython's run_until_complete does: the
 * iteration after the one in which it completed still runs. */
void        ls_loop_set_stop_future     (LsLoop     *self,
                                         LsFuture   *future);
gboolean    ls_loop_get_stopped         (LsLoop     *self);
gboolean    ls_loop_run_until_complete  (LsLoop     *self,
                                         LsFuture   *future,
                                         GError    **error);
/* loop.stop(): the loop stops once the iteration in progress ends */
void        ls_loop_stop                (LsLoop     *self);
/* asyncio.all_tasks(): the tasks not done yet, in creation order (refs) */
GPtrArray  *ls_loop_all_tasks           (LsLoop     *self);
/* Ends the loop, as asyncio.run () does after its main coroutine: every
 * task still pending is cancelled and run to its end, so its cleanups run
 * and its stack goes back to the pool, none of it recorded (the trace is
 * sealed first: a run keeps exactly the records and times it had). A task
 * that goes on after a few cancellations is abandoned (ls_coro_abandon).
 * Nothing runs after it. Disposing the loop closes it; calling it again
 * does no harm. Not from inside one of the loop's tasks. */
void        ls_loop_close               (LsLoop     *self);

void        ls_print                    (const char *format,
                                         ...) G_GNUC_PRINTF (1, 2);
void        ls_print_text               (const char *text);
/* The line of the scenario's listing the current task has reached. */
void        ls_source_line              (int         line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsTimer, ls_timer_unref)

G_END_DECLS
