"""Condition(lock): a condition over a lock that is also used on its own.

cond.wait() releases the shared lock, so a task blocked in lock.acquire()
gets it; the notified waiter then queues for the lock behind it like any
other acquirer.  Two conditions over one lock share that lock's waiters.
"""
import asyncio
from vloop import run, logi


async def cond_waiter(cond, name):
    async with cond:
        logi("%s: wait" % name)
        await cond.wait()
        logi("%s: notified, locked=%s" % (name, cond.locked()))


async def plain(lock, name):
    async with lock:
        logi("%s: has the lock" % name)
        await asyncio.sleep(0.5)
    logi("%s: released" % name)


async def main():
    lock = asyncio.Lock()
    c1 = asyncio.Condition(lock)
    c2 = asyncio.Condition(lock)
    w1 = asyncio.create_task(cond_waiter(c1, "W1"), name="W1")
    w2 = asyncio.create_task(cond_waiter(c2, "W2"), name="W2")
    await asyncio.sleep(0.5)
    logi("main: locked=%s" % lock.locked())
    await lock.acquire()
    p = asyncio.create_task(plain(lock, "P"), name="P")
    await asyncio.sleep(0)
    c1.notify()
    logi("main: c1.notify(); c2.locked()=%s" % c2.locked())
    c2.notify()
    lock.release()
    logi("main: released")
    for t in (w1, w2, p):
        await t
    logi("main: locked=%s" % lock.locked())


run(main)
