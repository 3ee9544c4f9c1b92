"""Two cancel() calls in a row on a sleeping task (CPython 3.11).

Both calls return True (3.11 does not refuse repeated requests: the
"if self._num_cancels_requested > 1: return False" lines are commented out
in CPython).  The first cancels the sleep future with 'first'; the second
finds that future already cancelled and sets _must_cancel with message
'second'.  At the wakeup the thrown exception is the future's
CancelledError('first'), and _must_cancel is just cleared because the
exception is already a CancelledError: only ONE CancelledError ('first') is
delivered.  A task that swallows it then continues undisturbed (its later
sleep completes) and returns normally.
"""
import asyncio
from vloop import run, log


async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        log("worker: CancelledError args=%r" % (e.args,))
    log("worker: sleep(1) after swallowing")
    await asyncio.sleep(1)
    log("worker: returning")
    return "survived"


async def main():
    t = asyncio.create_task(worker(), name="worker")
    await asyncio.sleep(1)
    log("main: cancel('first') -> %s" % t.cancel("first"))
    log("main: cancel('second') -> %s" % t.cancel("second"))
    r = await t
    log("main: await worker -> %r; cancelled=%s" % (r, t.cancelled()))


run(main)
