"""as_completed(timeout=3): the results that arrive in time are delivered
(a at t=1, b at t=2); the next await of the iterator raises TimeoutError at
t=3.  The remaining task (c) is NOT cancelled and completes at t=5.
"""
import asyncio
from vloop import run, log, fmt_exc


async def child(name, delay):
    await asyncio.sleep(delay)
    log("%s: done" % name)
    return name


async def main():
    a = asyncio.create_task(child("a", 1), name="a")
    b = asyncio.create_task(child("b", 2), name="b")
    c = asyncio.create_task(child("c", 5), name="c")
    try:
        for aw in asyncio.as_completed([a, b, c], timeout=3):
            r = await aw
            log("main: got %r" % r)
    except TimeoutError as e:
        log("main: as_completed raised %s" % fmt_exc(e))
    log("main: c done=%s cancelled=%s" % (c.done(), c.cancelled()))
    log("main: await c -> %r" % (await c))


run(main)
