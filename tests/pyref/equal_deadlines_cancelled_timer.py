"""A cancelled timer stays in CPython's heap (lazy deletion) without
changing the order of later equal-deadline timers.

TimerHandle.cancel() only marks the handle; _run_once drops cancelled
handles when they reach the head of the heap (or purges the whole heap when
more than 100 handles and over half are cancelled, not reached here).  Popped
cancelled handles are skipped.  Equal deadlines fire in scheduling order
(see equal_deadlines.py and _SeqTimerHandle in vloop.py), so a dead entry
with the same deadline, wherever it sits in the heap, cannot reorder the
live timers around it.

Scenario A: guard sleeps 0.5, victim sleeps 1.0, victim is cancelled (its
sleep handle is cancelled but stays in the heap behind guard), then t0..t4
sleep 1.0 (deadline tie with the dead victim entry).
Scenario B: the same without the victim.  Both scenarios wake t0, t1, t2,
t3, t4 in that order, all in one iteration, exactly as with eager deletion.
"""
import asyncio
from vloop import run, logi


async def sleeper(name, delay):
    try:
        await asyncio.sleep(delay)
        logi("%s woke" % name)
    except asyncio.CancelledError:
        logi("%s cancelled" % name)
        raise


async def scenario(label, with_victim):
    logi("scenario %s" % label)
    g = asyncio.create_task(sleeper("guard", 0.5), name="guard")
    if with_victim:
        v = asyncio.create_task(sleeper("victim", 1.0), name="victim")
    await asyncio.sleep(0)          # guard (and victim) push their timers
    if with_victim:
        v.cancel()
        await asyncio.sleep(0)      # victim runs: its timer handle cancelled
    ts = [asyncio.create_task(sleeper("t%d" % i, 1.0), name="t%d" % i)
          for i in range(5)]
    await g
    for t in ts:
        await t
    if with_victim:
        try:
            await v
        except asyncio.CancelledError:
            logi("victim cancelled=%s" % v.cancelled())


async def main():
    await scenario("A (cancelled victim timer in the heap)", True)
    await scenario("B (no victim)", False)


run(main)
