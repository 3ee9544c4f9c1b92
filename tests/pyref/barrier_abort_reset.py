"""Barrier: abort() and reset().

A: two of three parties wait; abort() breaks the barrier: both get
   BrokenBarrierError('Abort or reset of barrier'), and a later wait()
   fails at once with BrokenBarrierError('Barrier aborted').
B: reset() on the broken barrier makes it usable again (FILLING).
C: two parties wait; reset() (state RESETTING) makes both fail with
   BrokenBarrierError; the last one out sets it FILLING again, and three
   new parties pass.
"""
import asyncio
from vloop import run, logi


async def party(barrier, name):
    try:
        i = await barrier.wait()
    except asyncio.BrokenBarrierError as e:
        logi("%s: BrokenBarrierError %r, n_waiting=%d" % (name, e.args, barrier.n_waiting))
        return
    logi("%s: index %d" % (name, i))


async def main():
    barrier = asyncio.Barrier(3)

    logi("-- A: abort")
    tasks = [asyncio.create_task(party(barrier, n), name=n) for n in "AB"]
    await asyncio.sleep(0.5)
    logi("main: n_waiting=%d; abort" % barrier.n_waiting)
    await barrier.abort()
    logi("main: broken=%s" % barrier.broken)
    for t in tasks:
        await t
    await party(barrier, "late")

    logi("-- B: reset a broken barrier")
    await barrier.reset()
    logi("main: broken=%s, n_waiting=%d" % (barrier.broken, barrier.n_waiting))

    logi("-- C: reset while two wait")
    tasks = [asyncio.create_task(party(barrier, n), name=n) for n in "CD"]
    await asyncio.sleep(0.5)
    await barrier.reset()
    logi("main: reset, n_waiting=%d" % barrier.n_waiting)
    for t in tasks:
        await t
    tasks = [asyncio.create_task(party(barrier, n), name=n) for n in "EFG"]
    for t in tasks:
        await t


run(main)
