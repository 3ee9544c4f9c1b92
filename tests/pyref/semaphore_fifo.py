"""Semaphore(2): the first two acquire() calls take a permit at once, the
others wait in FIFO order.

release() hands the permit straight to the first waiter (_wake_up_next
decrements _value on its behalf), so the value stays 0 and locked() stays
True until that waiter has run: a task acquiring in between, even the one
that released, queues behind (no barging).  A waiter that gets its permit
and finds more left wakes the next one itself.
"""
import asyncio
from vloop import run, logi


async def worker(sem, name, hold):
    logi("%s: acquire, value=%d, locked=%s" % (name, sem._value, sem.locked()))
    await sem.acquire()
    logi("%s: acquired, value=%d" % (name, sem._value))
    await asyncio.sleep(hold)
    sem.release()
    logi("%s: released, value=%d" % (name, sem._value))


async def main():
    sem = asyncio.Semaphore(2)
    tasks = [asyncio.create_task(worker(sem, n, h), name=n)
             for n, h in (("A", 1), ("B", 2), ("C", 1), ("D", 1), ("E", 1))]
    await asyncio.sleep(0.5)
    logi("main: value=%d, locked=%s" % (sem._value, sem.locked()))
    for t in tasks:
        await t
    logi("main: value=%d, locked=%s" % (sem._value, sem.locked()))

    logi("-- release with waiters, then acquire at once")
    await sem.acquire()
    await sem.acquire()
    w = asyncio.create_task(worker(sem, "W", 0.5), name="W")
    await asyncio.sleep(0)
    sem.release()
    logi("main: released, value=%d, locked=%s; acquire" % (sem._value, sem.locked()))
    await sem.acquire()
    logi("main: acquired, value=%d" % sem._value)
    sem.release()
    sem.release()
    await w

    logi("-- two releases in one step: the first woken wakes nobody more")
    await sem.acquire()
    await sem.acquire()
    tasks = [asyncio.create_task(worker(sem, n, 0.5), name=n) for n in "XY"]
    await asyncio.sleep(0)
    sem.release()
    sem.release()
    logi("main: released twice, value=%d" % sem._value)
    for t in tasks:
        await t
    logi("main: value=%d" % sem._value)

    logi("-- a permit nobody waits for: the woken waiter passes it on")
    await sem.acquire()
    await sem.acquire()
    p = asyncio.create_task(worker(sem, "P", 0.5), name="P")
    await asyncio.sleep(0)
    q = asyncio.create_task(worker(sem, "Q", 0.5), name="Q")
    sem.release()
    sem.release()
    logi("main: released twice, value=%d, locked=%s" % (sem._value, sem.locked()))
    await p
    await q
    logi("main: value=%d" % sem._value)


run(main)
