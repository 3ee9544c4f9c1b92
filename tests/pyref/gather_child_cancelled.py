"""A child of gather() is cancelled directly (not via the gather): gather
treats it like a child raising CancelledError -- the awaiter of the gather
gets CancelledError at once (t=2), but the gather future is NOT cancelled
(done with a CancelledError exception), the awaiting task itself is not
cancelled and goes on, and the other children keep running (c finishes
at 3).
"""
import asyncio
from vloop import run, log


async def child(name, delay):
    await asyncio.sleep(delay)
    log("%s: done" % name)
    return name


async def main():
    a = asyncio.create_task(child("a", 5), name="a")
    b = asyncio.create_task(child("b", 1), name="b")
    c = asyncio.create_task(child("c", 3), name="c")
    g = asyncio.gather(a, b, c)
    await asyncio.sleep(2)
    log("main: a.cancel('kill a') -> %s" % a.cancel("kill a"))
    try:
        await g
    except asyncio.CancelledError as e:
        log("main: await gather -> CancelledError args=%r" % (e.args,))
    log("main: gather done=%s cancelled=%s; main cancelled=%s"
        % (g.done(), g.cancelled(), asyncio.current_task().cancelled()))
    log("main: await c -> %r" % (await c))


run(main)
