/* SPDX-License-Identifier: MIT
 *
 * I/O for the loop: an operation in flight holds the virtual clock back;
 * its completion (or progress) waits in a list until nothing unparked is in
 * flight and then enters the ready queue in the order the operations began,
 * so what finished together in scenario time enters together, whatever
 * order the network or the thread pool chose. Parks are a peer's waits in
 * scenario time (the local httpbin's /delay/N): an operation that is parked
 * lets the clock jump, to the earliest timer or park.
 */
#include "config.h"

#include "ls-loop-private.h"

/* ---- I/O -------------------------------------------------------------- */

guint32
ls_loop_io_begin (LsLoop     *self,
                  const char *description)
{
  guint32 id;

  g_return_val_if_fail (LS_IS_LOOP (self), 0);
  id = ls_trace_new_id (self->trace);
  self->io_in_flight++;
  g_hash_table_insert (self->io_parks, GUINT_TO_POINTER (id), GUINT_TO_POINTER (0));
  ls_trace_append (self->chunks, self->now, LS_TRACE_IO_BEGIN, 0,
                   _ls_loop_current_task_id (self), id,
                   ls_trace_intern (self->trace, description), 0);
  return id;
}

static void
io_done_append (LsLoop    *self,
                guint32    io_id,
                gboolean   completed,
                gboolean   success,
                LsCallback callback,
                gpointer   a,
                gpointer   b)
{
  IoDone done = { callback, a, b, io_id,
                  success ? LS_OUTCOME_RESULT : LS_OUTCOME_FAILED, completed };

  g_array_append_val (self->io_done, done);
  g_main_context_wakeup (self->context);
}

/* Removes a park from the list and from its operation's count. */
IoPark *
_ls_loop_park_take (LsLoop *self,
                    guint   index)
{
  IoPark *park = g_ptr_array_steal_index (self->parks, index);
  gpointer n;

  if (park->io_id != 0
      && g_hash_table_lookup_extended (self->io_parks, GUINT_TO_POINTER (park->io_id), NULL, &n))
    {
      guint left = GPOINTER_TO_UINT (n) - 1;

      g_hash_table_insert (self->io_parks, GUINT_TO_POINTER (park->io_id),
                           GUINT_TO_POINTER (left));
      if (left == 0)
        self->io_parked--;
    }
  return park;
}

void
ls_loop_io_complete (LsLoop    *self,
                     guint32    io_id,
                     gboolean   success,
                     LsCallback callback,
                     gpointer   a,
                     gpointer   b)
{
  GPtrArray *dropped = NULL;

  g_return_if_fail (LS_IS_LOOP (self));
  g_return_if_fail (self->io_in_flight > 0);

  /* Parks on it end here: whoever waited for this operation is gone. */
  for (guint i = self->parks->len; i-- > 0;)
    if (((IoPark *) g_ptr_array_index (self->parks, i))->io_id == io_id)
      {
        if (dropped == NULL)
          dropped = g_ptr_array_new_with_free_func (g_free);
        g_ptr_array_add (dropped, _ls_loop_park_take (self, i));
      }
  g_hash_table_remove (self->io_parks, GUINT_TO_POINTER (io_id));
  self->io_in_flight--;
  io_done_append (self, io_id, TRUE, success, callback, a, b);

  if (dropped != NULL)
    {
      for (guint i = dropped->len; i-- > 0;)
        {
          IoPark *park = g_ptr_array_index (dropped, i);

          park->func (park->data, FALSE);
        }
      g_ptr_array_unref (dropped);
    }
}

void
ls_loop_io_progress (LsLoop    *self,
                     guint32    io_id,
                     LsCallback callback,
                     gpointer   a,
                     gpointer   b)
{
  g_return_if_fail (LS_IS_LOOP (self));
  g_return_if_fail (g_hash_table_contains (self->io_parks, GUINT_TO_POINTER (io_id)));

  io_done_append (self, io_id, FALSE, TRUE, callback, a, b);
}

guint
ls_loop_get_io_in_flight (LsLoop *self)
{
  g_return_val_if_fail (LS_IS_LOOP (self), 0);
  return self->io_in_flight;
}

guint
ls_loop_io_park (LsLoop       *self,
                 guint32       io_id,
                 gint64        until_ns,
                 LsIoParkFunc  callback,
                 gpointer      data)
{
  IoPark *park;

  g_return_val_if_fail (LS_IS_LOOP (self), 0);
  g_return_val_if_fail (callback != NULL, 0);

  if (io_id != 0)
    {
      gpointer n;

      if (!g_hash_table_lookup_extended (self->io_parks, GUINT_TO_POINTER (io_id), NULL, &n))
        return 0;
      if (GPOINTER_TO_UINT (n) == 0)
        self->io_parked++;
      g_hash_table_insert (self->io_parks, GUINT_TO_POINTER (io_id),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (n) + 1));
    }
  park = g_new0 (IoPark, 1);
  park->id = ++self->next_park_id;
  park->io_id = io_id;
  park->until = until_ns;
  park->func = callback;
  park->data = data;
  g_ptr_array_add (self->parks, park);
  g_main_context_wakeup (self->context);
  return park->id;
}

void
ls_loop_io_unpark (LsLoop *self,
                   guint   park_id)
{
  g_return_if_fail (LS_IS_LOOP (self));

  for (guint i = 0; i < self->parks->len; i++)
    if (((IoPark *) g_ptr_array_index (self->parks, i))->id == park_id)
      {
        g_free (_ls_loop_park_take (self, i));
        return;
      }
}

/* The earliest park: by time, then by the operation it holds (ids follow
 * the scenario's order, creation order follows the network's). */
static gint
parks_earliest (LsLoop *self)
{
  gint best = -1;

  for (guint i = 0; i < self->parks->len; i++)
    {
      const IoPark *p = g_ptr_array_index (self->parks, i);
      const IoPark *b = best >= 0 ? g_ptr_array_index (self->parks, best) : NULL;

      if (b == NULL || p->until < b->until
          || (p->until == b->until
              && (p->io_id < b->io_id || (p->io_id == b->io_id && p->id < b->id))))
        best = (gint) i;
    }
  return best;
}

/* The next scenario time something is due: a timer or a park. */
gint64
_ls_loop_next_deadline (LsLoop *self)
{
  gint64 next = self->heap_len > 0 ? self->heap[0]->deadline : G_MAXINT64;
  gint p = parks_earliest (self);

  if (p >= 0)
    next = MIN (next, ((IoPark *) g_ptr_array_index (self->parks, p))->until);
  return next;
}

void
_ls_loop_fire_due_parks (LsLoop *self)
{
  gint i;

  while ((i = parks_earliest (self)) >= 0
         && ((IoPark *) g_ptr_array_index (self->parks, i))->until <= self->now)
    {
      IoPark *park = _ls_loop_park_take (self, (guint) i);

      park->func (park->data, TRUE);
      g_free (park);
    }
}

static gint
io_done_compare (gconstpointer a,
                 gconstpointer b)
{
  const IoDone *da = a, *db = b;

  return da->io_id < db->io_id ? -1 : da->io_id > db->io_id;
}

/* Finished I/O enters the ready queue in the order the operations began
 * (g_array_sort is stable: one operation's progress stays before its
 * completion). On the virtual clock only once nothing unparked is in
 * flight: what finished together in scenario time then enters together,
 * whatever order the network chose. */
void
_ls_loop_io_deliver (LsLoop *self)
{
  if (self->io_done->len == 0 || !_ls_loop_io_settled (self))
    return;
  g_array_sort (self->io_done, io_done_compare);
  for (guint i = 0; i < self->io_done->len; i++)
    {
      IoDone *io = &g_array_index (self->io_done, IoDone, i);

      if (io->completed)
        ls_trace_append (self->chunks, self->now, LS_TRACE_IO_COMPLETE, io->outcome, 0,
                         io->io_id, 0, 0);
      _ls_loop_push_ready (self, LS_HANDLE_IO, io->func, io->a, io->b, NULL, 0, io->io_id);
    }
  g_array_set_size (self->io_done, 0);
}
