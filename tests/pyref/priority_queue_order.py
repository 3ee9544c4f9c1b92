"""PriorityQueue keeps the items themselves in a heapq heap, ordered by
their own `<`; nothing else breaks ties.

1. Numbers come out smallest first.
2. (priority, name) tuples with equal priorities are ordered by the name,
   the next element of the tuple, whatever the order they were put in.
3. (priority, count, name) tuples come out FIFO among equal priorities,
   because the count orders them (the documentation's recipe).
4. Items that compare equal (a class whose __lt__ looks at the priority
   only) come out in the heap's order, which is not insertion order:
   heapq is not stable.
5. A getter waiting on an empty queue gets the smallest item put before it
   runs.
"""
import asyncio
from vloop import run, logi


class Job:
    def __init__(self, prio, name):
        self.prio = prio
        self.name = name

    def __lt__(self, other):
        return self.prio < other.prio


def drain(q, fmt):
    out = []
    while not q.empty():
        out.append(fmt(q.get_nowait()))
    return " ".join(out)


async def main():
    q = asyncio.PriorityQueue()
    for n in (5, 1, 3, 3, 0, 4, 2):
        q.put_nowait(n)
    logi("1: " + drain(q, str))

    for item in ((2, "b"), (1, "z"), (2, "a"), (1, "y"), (0, "m"), (2, "c")):
        q.put_nowait(item)
    logi("2: " + drain(q, lambda t: "%d:%s" % t))

    count = 0
    for prio, name in ((2, "b"), (1, "z"), (2, "a"), (1, "y"), (0, "m"), (2, "c")):
        q.put_nowait((prio, count, name))
        count += 1
    logi("3: " + drain(q, lambda t: "%d:%s" % (t[0], t[2])))

    for prio, name in ((1, "a"), (1, "b"), (1, "c"), (0, "z"), (1, "d"), (1, "e"), (0, "y")):
        q.put_nowait(Job(prio, name))
    logi("4: " + drain(q, lambda j: "%d:%s" % (j.prio, j.name)))

    async def getter():
        item = await q.get()
        logi("5: getter got %r" % (item,))
    g = asyncio.create_task(getter(), name="getter")
    await asyncio.sleep(0)
    q.put_nowait((7, "seven"))
    q.put_nowait((2, "two"))
    await g
    logi("5: left %r" % (q.get_nowait(),))


run(main)
