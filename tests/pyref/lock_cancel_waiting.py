"""Lock: cancelling tasks that wait in acquire().

A: a waiter in the middle of the queue (B) is cancelled while the lock is
   held: it leaves with CancelledError, and the lock goes A -> C; B never
   holds it.
B: the FIRST waiter is cancelled and the lock released in the same step.
   release() only looks at the first waiter (_wake_up_first); its future is
   already cancelled, so release() wakes nobody.  The cancelled task, when
   it runs one iteration later, sees the lock free and wakes the next
   waiter, which gets the lock one iteration after that: one iteration later
   than if it had been first.
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
    await asyncio.sleep(0.25)
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

    logi("-- A: cancel a waiter in the middle")
    await lock.acquire()
    tasks = [asyncio.create_task(worker(lock, n), name=n) for n in "ABC"]
    await asyncio.sleep(0)
    logi("main: B.cancel('stop') -> %s" % tasks[1].cancel("stop"))
    await asyncio.sleep(0)
    logi("main: release")
    lock.release()
    await finish(tasks)

    logi("-- B: cancel the first waiter, then release")
    await lock.acquire()
    tasks = [asyncio.create_task(worker(lock, n), name=n) for n in "DEF"]
    await asyncio.sleep(0)
    logi("main: D.cancel() -> %s" % tasks[0].cancel())
    lock.release()
    logi("main: released, locked=%s" % lock.locked())
    await finish(tasks)
    logi("main: locked=%s" % lock.locked())


run(main)
