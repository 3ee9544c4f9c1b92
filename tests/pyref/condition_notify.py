"""Condition: notify(n) wakes the first n waiters, notify_all() all of them,
in the order they began waiting; each woken waiter then has to get the lock
back, one at a time, after the notifier releases it.

wait() and notify() without the lock are RuntimeErrors.  wait_for(pred)
checks the predicate first (no wait if it is already true) and after every
wake-up.
"""
import asyncio
from vloop import run, logi

state = {"n": 0}


async def waiter(cond, name):
    async with cond:
        logi("%s: wait" % name)
        r = await cond.wait()
        logi("%s: wait -> %s, locked=%s" % (name, r, cond.locked()))


async def predicate_waiter(cond):
    async with cond:
        r = await cond.wait_for(lambda: state["n"] >= 3)
        logi("P: wait_for -> %s, n=%d" % (r, state["n"]))


async def main():
    cond = asyncio.Condition()
    try:
        await cond.wait()
    except RuntimeError as e:
        logi("main: wait without the lock: RuntimeError %r" % (e.args,))
    try:
        cond.notify()
    except RuntimeError as e:
        logi("main: notify without the lock: RuntimeError %r" % (e.args,))

    tasks = [asyncio.create_task(waiter(cond, n), name=n) for n in ("A", "B", "C", "D")]
    await asyncio.sleep(1)
    async with cond:
        logi("main: notify(1)")
        cond.notify()
        await asyncio.sleep(0.5)
        logi("main: leaving the block")
    await asyncio.sleep(1)
    async with cond:
        logi("main: notify(2)")
        cond.notify(2)
    await asyncio.sleep(1)
    async with cond:
        logi("main: notify_all")
        cond.notify_all()
        cond.notify_all()
    for t in tasks:
        await t

    p = asyncio.create_task(predicate_waiter(cond), name="P")
    for i in range(4):
        await asyncio.sleep(1)
        async with cond:
            state["n"] += 1
            logi("main: n=%d, notify_all" % state["n"])
            cond.notify_all()
    await p

    state["n"] = 5
    async with cond:
        r = await cond.wait_for(lambda: state["n"] >= 3)
        logi("main: wait_for on a true predicate -> %s (no suspension)" % r)


run(main)
