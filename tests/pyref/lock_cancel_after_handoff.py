"""Lock: the lock is handed to a waiter that is cancelled before it runs.

A: release() wakes waiter A (its future gets a result), and A is cancelled
   in the same step.  A's task still gets CancelledError at its await (the
   task was marked _must_cancel, since its future was already done); in
   acquire()'s except clause A sees the lock unlocked and wakes the next
   waiter, B.  A never holds the lock.
B: when every waiter is cancelled, acquire() takes a free lock at once,
   even though the cancelled futures are still in _waiters.
"""
import asyncio
from vloop import run, logi


async def worker(lock, name):
    try:
        await lock.acquire()
    except asyncio.CancelledError as e:
        logi("%s: CancelledError args=%r, locked=%s" % (name, e.args, lock.locked()))
        raise
    logi("%s: acquired" % name)
    lock.release()
    logi("%s: released" % name)


async def finish(tasks):
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            logi("main: %s cancelled=%s" % (t.get_name(), t.cancelled()))


async def main():
    lock = asyncio.Lock()

    logi("-- A: handed over, then cancelled")
    await lock.acquire()
    tasks = [asyncio.create_task(worker(lock, n), name=n) for n in "AB"]
    await asyncio.sleep(0)
    lock.release()
    logi("main: released; A.cancel('late') -> %s" % tasks[0].cancel("late"))
    await finish(tasks)

    logi("-- B: only cancelled waiters: no wait")
    await lock.acquire()
    t = asyncio.create_task(worker(lock, "C"), name="C")
    await asyncio.sleep(0)
    logi("main: C.cancel() -> %s" % t.cancel())
    lock.release()
    await lock.acquire()
    logi("main: acquired at once, locked=%s" % lock.locked())
    lock.release()
    await finish([t])


run(main)
