"""Cancelling the task that sits in wait_for(inner, 5): at t=1 the caller
task W is cancelled; wait_for catches the CancelledError, cancels the inner
task and waits for it (inner's cleanup takes 0.3 s), then re-raises: W ends
cancelled at t=1.3, inner cancelled too.  The timeout never fires.
"""
import asyncio
from vloop import run, log


async def inner():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        log("inner: CancelledError args=%r, cleanup sleep(0.3)" % (e.args,))
        await asyncio.sleep(0.3)
        log("inner: cleanup done, re-raise")
        raise


async def w_body(t):
    try:
        await asyncio.wait_for(t, 5)
    except asyncio.CancelledError as e:
        log("W: CancelledError args=%r" % (e.args,))
        raise


async def main():
    t = asyncio.create_task(inner(), name="inner")
    w = asyncio.create_task(w_body(t), name="W")
    await asyncio.sleep(1)
    log("main: W.cancel('stop') -> %s" % w.cancel("stop"))
    try:
        await w
    except asyncio.CancelledError:
        log("main: await W -> CancelledError")
    log("main: W cancelled=%s, inner cancelled=%s"
        % (w.cancelled(), t.cancelled()))


run(main)
