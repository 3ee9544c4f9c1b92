/* SPDX-License-Identifier: MIT
 *
 * The scenario clock. Time is always virtual, in integer nanoseconds: when
 * nothing is ready the loop jumps to the next deadline exactly, so no
 * machine, renderer or frame rate can change a recorded time. The speed
 * only paces those jumps against the wall clock (a jump to D waits until
 * the paced clock has reached D); Instant does not wait at all. Pause,
 * resume and a change of speed rebase the pacing where the clock shows.
 */
#include "config.h"

#include "ls-loop-private.h"

/* When the machine falls this far behind the paced clock (a breakpoint, a
 * suspended laptop, a heavy frame), pacing starts again from where the run
 * is instead of rushing to catch up: recorded times are virtual either way. */
#define MAX_LAG_US 50000

/* How far the paced clock has got: scenario time may reach this instant
 * now. Instant: anything. Paused, or before the first iteration: where it
 * was left. */
gint64
_ls_loop_pace_limit (LsLoop *self)
{
  if (self->speed <= 0)
    return G_MAXINT64;
  if (self->paused || !self->clock_started)
    return self->pace_base;
  return self->pace_base
         + (gint64) ((double) (g_get_monotonic_time () - self->pace_base_us) * 1000.0 * self->speed);
}

/* The next instant at which something is due by itself: the end of a
 * blocking time.sleep, a timer or a park; the current instant when work
 * is ready; G_MAXINT64 when only I/O or nothing can move the run on. */
static gint64
next_due (LsLoop *self)
{
  if (self->blocked_task != NULL)
    return self->blocked_until;
  if (self->in_iteration || self->ready_len > 0 || self->io_done->len > 0)
    return self->now;
  return _ls_loop_next_deadline (self);
}

/* The paced clock, never behind the run and never past what is due next:
 * what a live view shows as "now" between two records. */
static gint64
paced_now (LsLoop *self)
{
  gint64 limit = _ls_loop_pace_limit (self);

  return MAX (self->now, MIN (limit, next_due (self)));
}

/* Starts pacing again from the instant the clock shows, e.g. on pause,
 * resume or a change of speed, so the view never jumps back. */
static void
rebase_pace (LsLoop *self)
{
  if (self->speed > 0)
    self->pace_base = paced_now (self);
  self->pace_base_us = g_get_monotonic_time ();
}

/* Virtual time jumps to @when exactly; the paced clock only decided when. */
void
_ls_loop_jump_clock_to (LsLoop *self,
                        gint64  when)
{
  if (when <= self->now)
    return;
  self->now = when;
  if (self->speed > 0
      && _ls_loop_pace_limit (self) - when > (gint64) (MAX_LAG_US * 1000.0 * self->speed))
    {
      self->pace_base = when;
      self->pace_base_us = g_get_monotonic_time ();
    }
}

gint64
ls_loop_time_ns (LsLoop *self)
{
  g_return_val_if_fail (LS_IS_LOOP (self), 0);
  return self->now;
}

double
ls_loop_time (LsLoop *self)
{
  return (double) ls_loop_time_ns (self) / 1e9;
}

/**
 * ls_loop_get_paced_time_ns:
 *
 * Where the paced clock is: the last record's time while the run is busy,
 * and between records the instant the wall clock has paced the run to (at
 * most the next deadline). A live view draws "now" here, so waits grow
 * smoothly instead of jumping from record to record.
 */
gint64
ls_loop_get_paced_time_ns (LsLoop *self)
{
  g_return_val_if_fail (LS_IS_LOOP (self), 0);
  if (self->speed <= 0)
    return self->now;
  return paced_now (self);
}

void
ls_loop_set_speed (LsLoop *self,
                   double  speed)
{
  g_return_if_fail (LS_IS_LOOP (self));
  speed = speed <= 0 ? LS_LOOP_INSTANT : CLAMP (speed, LS_LOOP_MIN_SPEED, LS_LOOP_MAX_SPEED);
  if (speed == self->speed)
    return;
  if (self->speed <= 0)
    self->pace_base = self->now;
  else
    rebase_pace (self);
  self->speed = speed;
  self->pace_base_us = g_get_monotonic_time ();
  g_main_context_wakeup (self->context);
  _ls_loop_notify (self, LS_LOOP_PROP_SPEED);
}

double
ls_loop_get_speed (LsLoop *self)
{
  return self->speed;
}

void
ls_loop_set_paused (LsLoop  *self,
                    gboolean paused)
{
  g_return_if_fail (LS_IS_LOOP (self));
  paused = !!paused;
  if (self->paused == paused)
    return;
  rebase_pace (self);
  self->paused = paused;
  g_main_context_wakeup (self->context);
  _ls_loop_notify (self, LS_LOOP_PROP_PAUSED);
}

gboolean
ls_loop_get_paused (LsLoop *self)
{
  return self->paused;
}

guint64
ls_loop_get_iteration (LsLoop *self)
{
  return self->iteration;
}

gboolean
ls_loop_is_blocked (LsLoop *self)
{
  return self->blocked_task != NULL;
}
