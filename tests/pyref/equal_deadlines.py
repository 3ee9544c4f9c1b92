"""Timers with EQUAL deadlines fire in the order they were scheduled.

With CPython's real monotonic clock, two timers scheduled one after the
other never get exactly the same deadline (time moves on between the
calls), so timers with the same delay fire in scheduling order.  The
virtual clock stands still, which makes such deadlines tie exactly; vloop
breaks the ties by scheduling order (_SeqTimerHandle in vloop.py), as a
real clock would and as Loopscope's timer heap does, rather than in heapq's
unstable pop order.  All timers whose deadline is < now + clock_resolution
are popped in the same _run_once, in that order, and appended to the ready
queue, so the sleeping tasks wake (in the next iteration) in that order.

Part 1: five tasks t0..t4 each call sleep(1.0) in the same iteration (same
deadline 1.0, scheduled in order t0..t4): they wake t0, t1, t2, t3, t4, all
in one iteration.

Part 2: five timers reaching the same deadline 4.0 from different times:
a sleeps 3.0 at t=1.0, b 2.5 at t=1.5, c 2.0 at t=2.0, d 1.5 at t=2.5 and
e 1.0 at t=3.0 (all binary-exact, so the deadlines are exactly equal).  The
pushes are interleaved with pops of the helpers' own start-delay timers,
but that history does not matter: only the scheduling order does, so they
wake a, b, c, d, e, in one iteration.
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
