"""asyncio.timeout() that does not expire.
1. timeout(2), body sleeps 1: no error, expired() False; sleeping past the
   old deadline afterwards does nothing (the timer was cancelled at exit).
2. reschedule: timeout(1) rescheduled to now+3 inside the body; the body
   sleeps 2 (past the original deadline) and completes normally.
3. reschedule(None) removes the deadline; when() shows it.
"""
import asyncio
from vloop import run, log


async def main():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(2) as cm:
        await asyncio.sleep(1)
        log("1: body done")
    log("1: after scope, expired=%s" % cm.expired())
    await asyncio.sleep(2)
    log("1: slept past the old deadline")

    async with asyncio.timeout(1) as cm:
        log("2: when=%.3f, reschedule to now+3" % cm.when())
        cm.reschedule(loop.time() + 3)
        log("2: when=%.3f" % cm.when())
        await asyncio.sleep(2)
        log("2: body done")
    log("2: after scope, expired=%s" % cm.expired())

    async with asyncio.timeout(0.5) as cm:
        cm.reschedule(None)
        log("3: when=%r" % cm.when())
        await asyncio.sleep(1)
        log("3: body done")
    log("3: after scope, expired=%s" % cm.expired())


run(main)
