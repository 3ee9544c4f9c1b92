"""An outside cancel() of a task inside an asyncio.timeout() scope stays a
CancelledError, it is NOT converted to TimeoutError.
A: T is in `async with timeout(5)` and is cancelled from outside at t=1:
   the scope had not expired, CancelledError('outside') propagates, T ends
   cancelled.
B: (starts at t=1) the scope timeout(1) expires at t=2; the body catches
   the CancelledError and starts a 0.5 s cleanup, during which main cancels
   the task (t=2.25).  The cleanup's sleep raises CancelledError('outside'),
   which leaves the body.  At __aexit__ the scope IS expired, but
   Task.uncancel() returns 1 (one outstanding outside request), so the scope
   does not convert: CancelledError('outside') propagates and the task ends
   cancelled at t=2.25.
"""
import asyncio
from vloop import run, log


async def a_body():
    try:
        async with asyncio.timeout(5):
            await asyncio.sleep(10)
    except TimeoutError:
        log("A: TimeoutError (must not happen)")
    except asyncio.CancelledError as e:
        log("A: CancelledError args=%r" % (e.args,))
        raise


async def b_body():
    try:
        async with asyncio.timeout(1):
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                log("B: scope expired, cleanup sleep(0.5)")
                await asyncio.sleep(0.5)
                log("B: cleanup done (must not happen)")
                raise
    except TimeoutError:
        log("B: TimeoutError (must not happen)")
    except asyncio.CancelledError as e:
        log("B: CancelledError out of the scope, args=%r" % (e.args,))
        raise


async def main():
    t = asyncio.create_task(a_body(), name="A")
    await asyncio.sleep(1)
    log("main: A.cancel('outside') -> %s" % t.cancel("outside"))
    try:
        await t
    except asyncio.CancelledError:
        log("main: A cancelled=%s" % t.cancelled())

    t = asyncio.create_task(b_body(), name="B")
    await asyncio.sleep(1.25)
    log("main: B.cancel('outside') -> %s" % t.cancel("outside"))
    try:
        await t
    except asyncio.CancelledError:
        log("main: B cancelled=%s" % t.cancelled())


run(main)
