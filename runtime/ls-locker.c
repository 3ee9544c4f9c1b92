/* SPDX-License-Identifier: MIT
 *
 * `async with lock:` as a locker in the style of GMutexLocker: acquired
 * when made, released when freed, on every way out of the block.
 */
#include "config.h"

#include "ls-primitives-private.h"

/* ---- async with ------------------------------------------------------- */

/* A locker is the primitive itself (with a reference), as GMutexLocker is
 * the mutex: nothing to allocate. */
LsLocker *
ls_lock_locker_new (LsLock  *lock,
                    GError **error)
{
  if (!ls_lock_acquire (lock, error))
    return NULL;
  return (LsLocker *) ls_lock_ref (lock);
}

LsLocker *
ls_condition_locker_new (LsCondition *cond,
                         GError     **error)
{
  if (!ls_condition_acquire (cond, error))
    return NULL;
  return (LsLocker *) ls_condition_ref (cond);
}

LsLocker *
ls_semaphore_locker_new (LsSemaphore *sem,
                         GError     **error)
{
  if (!ls_semaphore_acquire (sem, error))
    return NULL;
  return (LsLocker *) ls_semaphore_ref (sem);
}

/* __aexit__. Python would raise from it if the body had already released
 * the lock; a cleanup function cannot, so that is reported as a critical. */
void
ls_locker_free (LsLocker *locker)
{
  LsPrimitive *p = (LsPrimitive *) locker;
  g_autoptr(GError) error = NULL;

  if (p == NULL)
    return;
  switch ((LsObjectKind) p->kind)
    {
    case LS_OBJECT_LOCK:
      ls_lock_release ((LsLock *) p, &error);
      break;
    case LS_OBJECT_CONDITION:
      ls_condition_release ((LsCondition *) p, &error);
      break;
    case LS_OBJECT_SEMAPHORE:
    case LS_OBJECT_BOUNDED_SEMAPHORE:
      ls_semaphore_release ((LsSemaphore *) p, &error);
      break;
    default:
      g_assert_not_reached ();
    }
  if (error != NULL)
    g_critical ("leaving `async with %s`: %s", ls_primitive_get_name (p), error->message);
  _ls_primitive_unref (p);
}
