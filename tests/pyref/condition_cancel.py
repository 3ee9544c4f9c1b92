"""Condition: cancelling wait().

wait() must hold the lock again before it returns or raises, even when it
is cancelled (a `finally` that loops on acquire()):

A: cancelled while waiting for a notification, lock free: it takes the
   lock back, then raises the CancelledError, with its message.
B: cancelled while waiting for a notification, lock held by main: the
   CancelledError only comes out once main releases the lock.
C: notified, then cancelled before it runs: in CPython 3.11 the
   notification is lost, the other waiter is not woken (gh-112202, fixed
   in 3.13, passes it on).
D: cancelled while taking the lock back (after a notify): acquire() is
   retried until it succeeds, then wait() raises a NEW CancelledError(),
   without the message.
"""
import asyncio
from vloop import run, logi


async def waiter(cond, name):
    async with cond:
        try:
            await cond.wait()
        except asyncio.CancelledError as e:
            logi("%s: CancelledError args=%r, locked=%s" % (name, e.args, cond.locked()))
            raise
        logi("%s: notified" % name)


async def finish(tasks):
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            logi("main: %s cancelled=%s" % (t.get_name(), t.cancelled()))


async def main():
    cond = asyncio.Condition()

    logi("-- A: cancelled while waiting, lock free")
    a = asyncio.create_task(waiter(cond, "A"), name="A")
    await asyncio.sleep(0.5)
    logi("main: A.cancel('stop') -> %s" % a.cancel("stop"))
    await finish([a])

    logi("-- B: cancelled while waiting, lock held by main")
    b = asyncio.create_task(waiter(cond, "B"), name="B")
    await asyncio.sleep(0.5)
    async with cond:
        logi("main: B.cancel('stop') -> %s" % b.cancel("stop"))
        await asyncio.sleep(0.5)
        logi("main: releasing")
    await finish([b])

    logi("-- C: notified, then cancelled")
    tasks = [asyncio.create_task(waiter(cond, n), name=n) for n in ("C1", "C2")]
    await asyncio.sleep(0.5)
    async with cond:
        cond.notify(1)
        logi("main: notify(1); C1.cancel() -> %s" % tasks[0].cancel())
    await asyncio.sleep(0.5)
    logi("main: C2 done=%s" % tasks[1].done())
    async with cond:
        cond.notify(1)
        logi("main: notify(1) again")
    await finish(tasks)

    logi("-- D: cancelled while taking the lock back")
    d = asyncio.create_task(waiter(cond, "D"), name="D")
    await asyncio.sleep(0.5)
    async with cond:
        cond.notify()
        await asyncio.sleep(0)
        logi("main: D.cancel('late') -> %s" % d.cancel("late"))
        await asyncio.sleep(0.5)
        logi("main: releasing")
    await finish([d])


run(main)
