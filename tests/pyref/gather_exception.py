"""gather() without return_exceptions: the FIRST exception (b raises
ValueError at t=1) is propagated to the awaiter right away (t=1); the other
children are NOT cancelled and keep running to completion (a at 2, c at 3).
Their later results/exceptions are just marked retrieved by gather.
The gather future itself is done (with that exception), not cancelled.
"""
import asyncio
from vloop import run, log, fmt_exc


async def child(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        log("%s: raising" % name)
        raise ValueError("boom from %s" % name)
    log("%s: done" % name)
    return name


async def main():
    a = asyncio.create_task(child("a", 2), name="a")
    b = asyncio.create_task(child("b", 1, fail=True), name="b")
    c = asyncio.create_task(child("c", 3), name="c")
    g = asyncio.gather(a, b, c)
    try:
        await g
    except ValueError as e:
        log("main: gather raised %s" % fmt_exc(e))
    log("main: gather done=%s cancelled=%s" % (g.done(), g.cancelled()))
    log("main: a done=%s, c done=%s" % (a.done(), c.done()))
    log("main: await a -> %r" % (await a))
    log("main: await c -> %r" % (await c))
    log("main: a cancelled=%s, c cancelled=%s" % (a.cancelled(),
                                                   c.cancelled()))


run(main)
