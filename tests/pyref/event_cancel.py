"""Event: cancelling waiters.

A: a waiter cancelled before set() leaves with CancelledError; set() then
   wakes only the others.
B: set() wakes W3, and W3 is cancelled in the same step: its task still
   gets CancelledError (the task was marked _must_cancel because its future
   was already done); W4 returns True.
"""
import asyncio
from vloop import run, logi


async def waiter(ev, name):
    try:
        r = await ev.wait()
    except asyncio.CancelledError as e:
        logi("%s: CancelledError args=%r, is_set=%s" % (name, e.args, ev.is_set()))
        raise
    logi("%s: wait -> %s" % (name, r))


async def finish(tasks):
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            logi("main: %s cancelled=%s" % (t.get_name(), t.cancelled()))


async def main():
    logi("-- A: cancelled before set")
    ev = asyncio.Event()
    tasks = [asyncio.create_task(waiter(ev, n), name=n) for n in ("W1", "W2")]
    await asyncio.sleep(0.5)
    logi("main: W1.cancel('no') -> %s" % tasks[0].cancel("no"))
    await asyncio.sleep(0.5)
    ev.set()
    logi("main: set")
    await finish(tasks)

    logi("-- B: set, then cancelled before it runs")
    ev = asyncio.Event()
    tasks = [asyncio.create_task(waiter(ev, n), name=n) for n in ("W3", "W4")]
    await asyncio.sleep(0.5)
    ev.set()
    logi("main: set; W3.cancel() -> %s" % tasks[0].cancel())
    await finish(tasks)


run(main)
