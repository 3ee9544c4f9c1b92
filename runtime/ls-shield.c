/* SPDX-License-Identifier: MIT
 *
 * asyncio.shield, transcribed from CPython 3.11's tasks.py: an outer
 * future that follows the inner one, so cancelling the outer one leaves the
 * inner one running.
 */
#include "config.h"

#include "ls-combinators.h"

#include "ls-runtime-private.h"

/* ---- shield ----------------------------------------------------------- */

static void shield_inner_done (LsFuture *inner, gpointer data);

static void
shield_outer_done (LsFuture *outer,
                   gpointer  data)
{
  LsFuture *inner = data;

  if (!ls_future_is_done (inner)
      && ls_future_remove_done_callback (inner, shield_inner_done, outer) > 0)
    ls_future_unref (outer);
  ls_future_unref (inner);
}

static void
shield_inner_done (LsFuture *inner,
                   gpointer  data)
{
  LsFuture *outer = data;

  if (!ls_future_is_cancelled (outer))
    {
      if (ls_future_is_cancelled (inner))
        ls_future_cancel (outer, NULL);
      else if (inner->error != NULL)
        ls_future_set_exception (outer, g_error_copy (inner->error), NULL);
      else
        ls_future_set_result (outer, inner->result, NULL); /* takes a reference of its own */
    }
  ls_future_unref (outer);
}

LsFuture *
ls_shield (LsFuture *inner)
{
  LsFuture *outer;

  g_return_val_if_fail (inner != NULL, NULL);

  if (ls_future_is_done (inner))
    return ls_future_ref (inner);
  outer = _ls_future_new_internal (inner->loop, LS_WAIT_SHIELD, inner->id, -1);
  ls_future_add_done_callback (inner, shield_inner_done, ls_future_ref (outer));
  ls_future_add_done_callback (outer, shield_outer_done, ls_future_ref (inner));
  return outer;
}
