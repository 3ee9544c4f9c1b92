"""Lock: `async with lock` releases on every way out of the block, and
release() of an unlocked lock is a RuntimeError.

A: the body raises ValueError: the lock is released before the exception
   reaches the caller, and the next waiter gets it.
B: the task is cancelled while sleeping inside the block: released too.
C: release() on an unlocked lock.
"""
import asyncio
from vloop import run, logi


async def holder(lock, name, fail):
    async with lock:
        logi("%s: in the block" % name)
        await asyncio.sleep(1)
        if fail:
            logi("%s: raising ValueError" % name)
            raise ValueError("boom")
    logi("%s: after the block" % name)


async def waiter(lock, name):
    async with lock:
        logi("%s: in the block" % name)
    logi("%s: out, locked=%s" % (name, lock.locked()))


async def main():
    lock = asyncio.Lock()

    logi("-- A: the body raises")
    h = asyncio.create_task(holder(lock, "H", True), name="H")
    w = asyncio.create_task(waiter(lock, "W"), name="W")
    try:
        await h
    except ValueError as e:
        logi("main: H raised %r, locked=%s" % (e, lock.locked()))
    await w

    logi("-- B: the body is cancelled")
    h = asyncio.create_task(holder(lock, "H2", False), name="H2")
    w = asyncio.create_task(waiter(lock, "W2"), name="W2")
    await asyncio.sleep(0.5)
    logi("main: H2.cancel() -> %s" % h.cancel())
    try:
        await h
    except asyncio.CancelledError:
        logi("main: H2 cancelled, locked=%s" % lock.locked())
    await w

    logi("-- C: release an unlocked lock")
    try:
        lock.release()
    except RuntimeError as e:
        logi("main: RuntimeError %r" % (e.args,))


run(main)
