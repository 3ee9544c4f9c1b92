"""Timers with EQUAL deadlines are NOT run in FIFO order.

CPython keeps timers in a binary heap (heapq) ordered only by
TimerHandle.__lt__, which compares ``_when`` alone; heapq is not stable, so
ties come out in heap-pop order, not scheduling order.  All timers whose
deadline is < now + clock_resolution are popped in the same _run_once, in
pop order, and appended to the ready queue, so the sleeping tasks wake (in
the next iteration) in that order.

Part 1: five tasks t0..t4 each call sleep(1.0) in the same iteration (same
deadline 1.0, pushed in order t0..t4).  heapq pops ties as t0, t2, t4, t1, t3.

Part 2: five timers reaching the same deadline 4.0 from different times:
a sleeps 3.0 at t=1.0, b 2.5 at t=1.5, c 2.0 at t=2.0, d 1.5 at t=2.5 and
e 1.0 at t=3.0 (all binary-exact, so the deadlines are exactly equal).  The
pushes are interleaved with pops of the helpers' own start-delay timers, so
the heap shape, hence the tie order, depends on the whole push/pop history:
they wake as b, d, e, a, c -- the first one scheduled (a) is 4th.
Note a's start delay is 0.0, i.e. sleep(0): no timer, one iteration.
"""
import asyncio
from vloop import run, logi


async def sleeper(name, delay):
    await asyncio.sleep(delay)
    logi("%s woke (slept %.2f)" % (name, delay))


async def delayed(name, start, delay):
    await asyncio.sleep(start)
    logi("%s: sleeping %.2f" % (name, delay))
    await asyncio.sleep(delay)
    logi("%s woke" % name)


async def main():
    logi("part 1: t0..t4 sleep(1.0)")
    tasks = [asyncio.create_task(sleeper("t%d" % i, 1.0), name="t%d" % i)
             for i in range(5)]
    for t in tasks:
        await t

    logi("part 2: a, b, c, d, e all due at 4.0")
    specs = [("a", 0.0, 3.0), ("b", 0.5, 2.5), ("c", 1.0, 2.0),
             ("d", 1.5, 1.5), ("e", 2.0, 1.0)]
    tasks = [asyncio.create_task(delayed(*s), name=s[0]) for s in specs]
    for t in tasks:
        await t
    logi("main: done")


run(main)
