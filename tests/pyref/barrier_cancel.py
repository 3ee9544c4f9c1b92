"""Barrier: cancelling wait() at each of its suspension points.

A: a party cancelled while waiting for the others leaves the barrier (it
   takes the Condition's lock back, the count goes down) and no longer
   counts: two more parties are needed to trip it.  The count is also the
   next arrival's index, so B and C both get index 1: after a cancellation
   CPython 3.11 hands out an index twice.
B: main trips the barrier (it returns without suspending) and at once
   cancels E, which had been notified but had not run: E gets
   CancelledError anyway, the barrier having tripped, while F passes.
C: G arrives while the barrier drains and waits in _block(); cancelled
   there, it never entered the barrier (the count is untouched).
"""
import asyncio
from vloop import run, logi


async def party(barrier, name):
    try:
        i = await barrier.wait()
    except asyncio.CancelledError as e:
        logi("%s: CancelledError args=%r, n_waiting=%d" % (name, e.args, barrier.n_waiting))
        raise
    logi("%s: index %d" % (name, i))


async def finish(tasks):
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            logi("main: %s cancelled=%s" % (t.get_name(), t.cancelled()))


async def main():
    barrier = asyncio.Barrier(3)

    logi("-- A: cancelled while waiting for the others")
    a = asyncio.create_task(party(barrier, "A"), name="A")
    b = asyncio.create_task(party(barrier, "B"), name="B")
    await asyncio.sleep(0.5)
    logi("main: n_waiting=%d; A.cancel('bye') -> %s" % (barrier.n_waiting, a.cancel("bye")))
    await finish([a])
    logi("main: n_waiting=%d" % barrier.n_waiting)
    c = asyncio.create_task(party(barrier, "C"), name="C")
    await asyncio.sleep(0.5)
    logi("main: n_waiting=%d" % barrier.n_waiting)
    d = asyncio.create_task(party(barrier, "D"), name="D")
    await finish([b, c, d])
    logi("main: n_waiting=%d, broken=%s" % (barrier.n_waiting, barrier.broken))

    logi("-- B: the barrier trips, then a notified party is cancelled")
    tasks = [asyncio.create_task(party(barrier, n), name=n) for n in "EF"]
    await asyncio.sleep(0.5)
    i = await barrier.wait()
    logi("main: index %d; E.cancel('late') -> %s" % (i, tasks[0].cancel("late")))
    await finish(tasks)
    logi("main: n_waiting=%d" % barrier.n_waiting)

    logi("-- C: cancelled while waiting for the drain")
    tasks = [asyncio.create_task(party(barrier, n), name=n) for n in "HIJG"]
    await asyncio.sleep(0)
    logi("main: G.cancel() -> %s" % tasks[3].cancel())
    await finish(tasks)
    logi("main: n_waiting=%d, broken=%s" % (barrier.n_waiting, barrier.broken))


run(main)
