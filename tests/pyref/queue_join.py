"""Queue: task_done() and join().

join() returns at once when nothing is unfinished; otherwise it waits
(on the queue's internal Event) until task_done() has been called once per
item put, and every joiner is woken, in join order.  task_done() once too
often is a ValueError.  A cancelled join() changes no count.
"""
import asyncio
from vloop import run, logi


async def worker(q, name):
    while True:
        item = await q.get()
        if item is None:
            q.task_done()
            logi("%s: stop" % name)
            return
        await asyncio.sleep(item)
        logi("%s: done with %r" % (name, item))
        q.task_done()


async def joiner(q, name):
    await q.join()
    logi("%s: join returned" % name)


async def main():
    q = asyncio.Queue()
    await q.join()
    logi("main: join on a fresh queue returns at once")

    for d in (0.5, 1, 0.25):
        q.put_nowait(d)
    workers = [asyncio.create_task(worker(q, n), name=n) for n in ("W1", "W2")]
    joiners = [asyncio.create_task(joiner(q, n), name=n) for n in ("J1", "J2")]
    victim = asyncio.create_task(joiner(q, "J3"), name="J3")
    await asyncio.sleep(0.5)
    logi("main: J3.cancel() -> %s, unfinished=%d" % (victim.cancel(), q._unfinished_tasks))
    try:
        await victim
    except asyncio.CancelledError:
        logi("main: J3 cancelled=%s" % victim.cancelled())
    await q.join()
    logi("main: joined, unfinished=%d" % q._unfinished_tasks)
    for j in joiners:
        await j

    q.put_nowait(None)
    q.put_nowait(None)
    for w in workers:
        await w
    try:
        q.task_done()
    except ValueError as e:
        logi("main: ValueError %r" % (e.args,))
    logi("main: unfinished=%d" % q._unfinished_tasks)


run(main)
