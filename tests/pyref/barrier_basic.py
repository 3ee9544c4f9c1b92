"""Barrier(3): tasks block in wait() until the third arrives; each gets its
arrival index 0..2; the barrier is cyclic and serves a second round.

The last to arrive trips it (state DRAINING, notify_all) and returns at
once; the others were waiting in the barrier's Condition and come back one
by one, each taking the Condition's lock in turn.  n_waiting counts the
tasks inside while FILLING, 0 while DRAINING.  A task arriving while the
barrier drains waits for the drain to end before it counts for the next
round (G below).
"""
import asyncio
from vloop import run, logi


async def party(barrier, name, delays):
    for rnd, d in enumerate(delays):
        await asyncio.sleep(d)
        logi("%s: round %d wait, n_waiting=%d" % (name, rnd, barrier.n_waiting))
        i = await barrier.wait()
        logi("%s: round %d index %d, n_waiting=%d" % (name, rnd, i, barrier.n_waiting))


async def main():
    barrier = asyncio.Barrier(3)
    logi("main: parties=%d, n_waiting=%d, broken=%s"
         % (barrier.parties, barrier.n_waiting, barrier.broken))
    tasks = [asyncio.create_task(party(barrier, n, d), name=n)
             for n, d in (("A", (0, 1)), ("B", (0.5, 0)), ("C", (1, 0.5)))]
    for t in tasks:
        await t
    logi("main: n_waiting=%d" % barrier.n_waiting)

    logi("-- async with, and a 4th task arriving while it drains")
    async def entering(name):
        async with barrier as i:
            logi("%s: index %d" % (name, i))
    tasks = [asyncio.create_task(entering(n), name=n) for n in "DEFG"]
    await asyncio.sleep(0.5)
    logi("main: n_waiting=%d" % barrier.n_waiting)
    tasks.append(asyncio.create_task(entering("H"), name="H"))
    i = await barrier.wait()
    logi("main: index %d" % i)
    for t in tasks:
        await t


run(main)
