"""PriorityQueue returns the lowest priority first, and equal priorities in
insertion order (entries are (priority, count, item) tuples, as the C side
orders them); LifoQueue returns the last item put first.
"""
import asyncio
import itertools
from vloop import run, logi


async def main():
    pq = asyncio.PriorityQueue()
    count = itertools.count()
    for prio, item in ((5, "e"), (1, "a"), (3, "c1"), (3, "c2"), (0, "z"), (3, "c3"), (9, "x")):
        pq.put_nowait((prio, next(count), item))
    out = []
    while not pq.empty():
        prio, _, item = pq.get_nowait()
        out.append("%d:%s" % (prio, item))
    logi("priority: " + " ".join(out))

    lq = asyncio.LifoQueue(maxsize=3)
    for item in ("a", "b", "c"):
        await lq.put(item)
    logi("lifo: full=%s" % lq.full())

    async def late_putter():
        await lq.put("d")
        logi("late: put d")
    t = asyncio.create_task(late_putter(), name="late")
    await asyncio.sleep(0)
    logi("lifo: get -> %r" % await lq.get())
    await asyncio.sleep(0)
    out = []
    while not lq.empty():
        out.append(await lq.get())
    logi("lifo: " + " ".join(out))
    await t

    # a getter waiting on an empty PriorityQueue gets the best item put
    # before it runs
    async def getter():
        prio, _, item = await pq.get()
        logi("getter: got %d:%s" % (prio, item))
    g = asyncio.create_task(getter(), name="getter")
    await asyncio.sleep(0)
    pq.put_nowait((7, next(count), "seven"))
    pq.put_nowait((2, next(count), "two"))
    await g
    logi("priority: left %d" % pq.qsize())


run(main)
