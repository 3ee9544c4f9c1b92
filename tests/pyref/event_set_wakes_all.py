"""Event: set() wakes every waiter, in the order they began waiting, all in
the next loop iteration.

wait() on a set event returns True without suspending (same iteration).
clear() makes wait() block again.  A waiter woken by set() returns True
even when clear() ran before it did: wait() does not look at the flag a
second time.
"""
import asyncio
from vloop import run, logi


async def waiter(ev, name):
    logi("%s: wait, is_set=%s" % (name, ev.is_set()))
    r = await ev.wait()
    logi("%s: wait -> %s, is_set=%s" % (name, r, ev.is_set()))


async def main():
    ev = asyncio.Event()
    logi("main: is_set=%s" % ev.is_set())
    tasks = [asyncio.create_task(waiter(ev, n), name=n) for n in ("W3", "W1", "W2")]
    await asyncio.sleep(1)
    logi("main: set")
    ev.set()
    logi("main: is_set=%s" % ev.is_set())
    for t in tasks:
        await t
    r = await ev.wait()
    logi("main: wait on a set event -> %s (no suspension)" % r)
    ev.set()
    logi("main: set again, is_set=%s" % ev.is_set())

    ev.clear()
    logi("main: clear, is_set=%s" % ev.is_set())
    tasks = [asyncio.create_task(waiter(ev, n), name=n) for n in ("X", "Y")]
    await asyncio.sleep(1)
    ev.set()
    ev.clear()
    logi("main: set then clear, is_set=%s" % ev.is_set())
    for t in tasks:
        await t
    logi("main: done")


run(main)
