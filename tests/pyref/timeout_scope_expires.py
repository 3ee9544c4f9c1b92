"""async with asyncio.timeout(1): the body sleeping 5 s is cancelled at t=1;
the rest of the body is skipped and the scope's __aexit__ turns the
CancelledError into TimeoutError (raised after the scope exits, t=1).  The
body sees a CancelledError with no args.  cm.expired() is True.
Then the same scope NOT caught: main ends with an uncaught TimeoutError at
t=3 (exit status 1).
"""
import asyncio
from vloop import run, log


async def main():
    try:
        async with asyncio.timeout(1) as cm:
            log("body: sleep(5)")
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError as e:
                log("body: CancelledError args=%r" % (e.args,))
                raise
            log("body: after sleep (must not happen)")
        log("after scope (must not happen)")
    except TimeoutError as e:
        log("main: caught %s, expired=%s" % (type(e).__name__, cm.expired()))
    log("main: second scope, not caught")
    async with asyncio.timeout(2):
        await asyncio.sleep(5)
    log("not reached")


run(main)
