"""Semaphore: cancelling tasks that wait in acquire(); async with.

A: a queued waiter (B) cancelled: the value is unchanged and the next
   release goes to C; B never holds a permit.
B: release() hands the permit to W1 (value stays 0) and W1 is cancelled in
   the same step: W1's acquire() sees its future was not cancelled, so it
   gives the permit back (value += 1) and wakes the next waiter, W2.
C: `async with sem` releases when the body raises.
"""
import asyncio
from vloop import run, logi


async def worker(sem, name):
    try:
        await sem.acquire()
    except asyncio.CancelledError as e:
        logi("%s: CancelledError args=%r, value=%d" % (name, e.args, sem._value))
        raise
    logi("%s: acquired, value=%d" % (name, sem._value))
    await asyncio.sleep(0.25)
    sem.release()
    logi("%s: released, value=%d" % (name, sem._value))


async def finish(tasks):
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            logi("main: %s cancelled=%s" % (t.get_name(), t.cancelled()))


async def failing(sem):
    async with sem:
        logi("F: in the block, value=%d" % sem._value)
        raise ValueError("boom")


async def main():
    sem = asyncio.Semaphore(1)

    logi("-- A: a queued waiter is cancelled")
    await sem.acquire()
    tasks = [asyncio.create_task(worker(sem, n), name=n) for n in "BC"]
    await asyncio.sleep(0)
    logi("main: B.cancel('stop') -> %s" % tasks[0].cancel("stop"))
    await asyncio.sleep(0)
    sem.release()
    logi("main: released, value=%d" % sem._value)
    await finish(tasks)

    logi("-- B: handed a permit, then cancelled")
    await sem.acquire()
    tasks = [asyncio.create_task(worker(sem, n), name=n) for n in ("W1", "W2")]
    await asyncio.sleep(0)
    sem.release()
    logi("main: released, value=%d; W1.cancel() -> %s" % (sem._value, tasks[0].cancel()))
    await finish(tasks)
    logi("main: value=%d, locked=%s" % (sem._value, sem.locked()))

    logi("-- C: async with, the body raises")
    try:
        await failing(sem)
    except ValueError as e:
        logi("main: %r, value=%d" % (e, sem._value))


run(main)
