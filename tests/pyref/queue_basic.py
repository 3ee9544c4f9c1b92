"""Queue(maxsize=2): FIFO order, put() blocks while full, get() while empty,
and the _nowait forms raise QueueFull / QueueEmpty instead.

put_nowait() wakes the first getter (popped from _getters); get_nowait()
the first putter.  The woken task finishes its put/get in the next
iteration.
"""
import asyncio
from vloop import run, logi


async def producer(q):
    for i in range(5):
        logi("P: put %d, qsize=%d, full=%s" % (i, q.qsize(), q.full()))
        await q.put(i)
    logi("P: done, qsize=%d" % q.qsize())


async def consumer(q):
    await asyncio.sleep(1)
    for _ in range(5):
        item = await q.get()
        logi("C: got %r, qsize=%d" % (item, q.qsize()))
        await asyncio.sleep(0.25)


async def main():
    q = asyncio.Queue(maxsize=2)
    logi("main: maxsize=%d, qsize=%d, empty=%s, full=%s"
         % (q.maxsize, q.qsize(), q.empty(), q.full()))
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        logi("main: get_nowait -> QueueEmpty %r" % (e.args,))
    q.put_nowait("a")
    q.put_nowait("b")
    try:
        q.put_nowait("c")
    except asyncio.QueueFull as e:
        logi("main: put_nowait -> QueueFull %r" % (e.args,))
    logi("main: qsize=%d, full=%s" % (q.qsize(), q.full()))
    logi("main: get_nowait -> %r, %r" % (q.get_nowait(), q.get_nowait()))

    p = asyncio.create_task(producer(q), name="P")
    c = asyncio.create_task(consumer(q), name="C")
    await p
    await c

    logi("-- getters wait in order")
    q2 = asyncio.Queue()
    async def getter(name):
        item = await q2.get()
        logi("%s: got %r" % (name, item))
    tasks = [asyncio.create_task(getter(n), name=n) for n in ("G1", "G2", "G3")]
    await asyncio.sleep(0)
    q2.put_nowait("x")
    q2.put_nowait("y")
    logi("main: put x, y")
    await asyncio.sleep(0)
    q2.put_nowait("z")
    logi("main: put z")
    for t in tasks:
        await t


run(main)
