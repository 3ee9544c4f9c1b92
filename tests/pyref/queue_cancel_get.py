"""Queue: a cancelled get() loses no item.

A: a getter cancelled while waiting: the next put goes to the other getter.
B: put_nowait() wakes G1 (pops its future, sets its result) and G1 is
   cancelled in the same step: G1 gets CancelledError; in get()'s except
   clause it sees the queue not empty and its future not cancelled, and
   wakes the next getter, G2, which takes the item one iteration later.
C: the cancelled getter is first in line when an item is put: put_nowait()
   drops it (its future is done) and wakes the next one directly.
"""
import asyncio
from vloop import run, logi


async def getter(q, name):
    try:
        item = await q.get()
    except asyncio.CancelledError as e:
        logi("%s: CancelledError args=%r, qsize=%d" % (name, e.args, q.qsize()))
        raise
    logi("%s: got %r, qsize=%d" % (name, item, q.qsize()))


async def finish(tasks):
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            logi("main: %s cancelled=%s" % (t.get_name(), t.cancelled()))


async def main():
    q = asyncio.Queue()

    logi("-- A: cancelled while waiting")
    tasks = [asyncio.create_task(getter(q, n), name=n) for n in ("A1", "A2")]
    await asyncio.sleep(0.5)
    logi("main: A1.cancel('stop') -> %s" % tasks[0].cancel("stop"))
    await asyncio.sleep(0.5)
    q.put_nowait("one")
    logi("main: put one")
    await finish(tasks)

    logi("-- B: woken by put_nowait, then cancelled")
    tasks = [asyncio.create_task(getter(q, n), name=n) for n in ("G1", "G2")]
    await asyncio.sleep(0.5)
    q.put_nowait("two")
    logi("main: put two; G1.cancel() -> %s" % tasks[0].cancel())
    await finish(tasks)
    logi("main: qsize=%d" % q.qsize())

    logi("-- C: the cancelled getter is first when the item comes")
    tasks = [asyncio.create_task(getter(q, n), name=n) for n in ("H1", "H2")]
    await asyncio.sleep(0.5)
    logi("main: H1.cancel() -> %s" % tasks[0].cancel())
    q.put_nowait("three")
    logi("main: put three")
    await finish(tasks)
    logi("main: qsize=%d, empty=%s" % (q.qsize(), q.empty()))


run(main)
