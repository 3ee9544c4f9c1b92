"""Lock: waiters get the lock in the order they asked for it.

release() wakes only the first waiter; that waiter takes the lock one loop
iteration later, when its task runs.  In between, locked() is False, but
the lock is not up for grabs: the woken waiter's future is done and still
in _waiters, so acquire()'s fast path (`not locked and all waiters
cancelled`) does not apply and even the releasing task, asking again at
once, queues behind everyone (no barging).
"""
import asyncio
from vloop import run, logi


async def worker(lock, name):
    logi("%s: acquire, locked=%s" % (name, lock.locked()))
    await lock.acquire()
    logi("%s: acquired" % name)
    await asyncio.sleep(0.5)
    lock.release()
    logi("%s: released, locked=%s" % (name, lock.locked()))


async def main():
    lock = asyncio.Lock()
    r = await lock.acquire()
    logi("main: acquire -> %s, locked=%s" % (r, lock.locked()))
    tasks = [asyncio.create_task(worker(lock, n), name=n) for n in "ABC"]
    await asyncio.sleep(1)
    lock.release()
    logi("main: released, locked=%s; acquire again" % lock.locked())
    await lock.acquire()
    logi("main: acquired again, locked=%s" % lock.locked())
    lock.release()
    for t in tasks:
        await t
    logi("main: done, locked=%s" % lock.locked())


run(main)
