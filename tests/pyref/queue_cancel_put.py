"""Queue: a cancelled put() adds nothing.

A: a putter cancelled while the queue is full: its item never enters the
   queue; the other putter gets the next free slot.
B: get_nowait() wakes P1 (frees a slot) and P1 is cancelled in the same
   step: P1 adds nothing; in put()'s except clause it sees the queue not
   full and wakes the next putter, P2, which puts its item.
"""
import asyncio
from vloop import run, logi


async def putter(q, name, item):
    try:
        await q.put(item)
    except asyncio.CancelledError as e:
        logi("%s: CancelledError args=%r, qsize=%d" % (name, e.args, q.qsize()))
        raise
    logi("%s: put %r, qsize=%d" % (name, item, q.qsize()))


async def finish(tasks):
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            logi("main: %s cancelled=%s" % (t.get_name(), t.cancelled()))


def contents(q):
    items = []
    while not q.empty():
        items.append(q.get_nowait())
    return items


async def main():
    q = asyncio.Queue(maxsize=1)

    logi("-- A: cancelled while the queue is full")
    q.put_nowait("first")
    tasks = [asyncio.create_task(putter(q, n, n.lower()), name=n) for n in ("A1", "A2")]
    await asyncio.sleep(0.5)
    logi("main: A1.cancel('stop') -> %s" % tasks[0].cancel("stop"))
    await asyncio.sleep(0.5)
    logi("main: get_nowait -> %r" % q.get_nowait())
    await finish(tasks)
    logi("main: contents %r, unfinished=%d" % (contents(q), q._unfinished_tasks))

    logi("-- B: woken by get_nowait, then cancelled")
    q.put_nowait("second")
    tasks = [asyncio.create_task(putter(q, n, n.lower()), name=n) for n in ("P1", "P2")]
    await asyncio.sleep(0.5)
    logi("main: get_nowait -> %r; P1.cancel() -> %s" % (q.get_nowait(), tasks[0].cancel()))
    await finish(tasks)
    logi("main: contents %r, unfinished=%d" % (contents(q), q._unfinished_tasks))


run(main)
