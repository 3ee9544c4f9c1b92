"""await shield(inner) in task W; W is cancelled at t=1: W gets
CancelledError immediately (t=1, the shield's outer future is cancelled),
while the inner task is untouched: it keeps running and completes at t=2
with its result; inner.cancelled() stays False.
"""
import asyncio
from vloop import run, log


async def inner():
    try:
        await asyncio.sleep(2)
        log("inner: done")
        return "inner result"
    except asyncio.CancelledError:
        log("inner: cancelled (must not happen)")
        raise


async def w_body(t):
    try:
        r = await asyncio.shield(t)
        log("W: got %r (must not happen)" % r)
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
        log("main: W cancelled=%s" % w.cancelled())
    log("main: inner done=%s" % t.done())
    r = await t
    log("main: await inner -> %r; inner cancelled=%s" % (r, t.cancelled()))


run(main)
