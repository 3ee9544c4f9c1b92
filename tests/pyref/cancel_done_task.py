"""cancel() on a finished task (returned a value, or raised) returns False
and changes nothing: result/exception stay, cancelled() stays False.
"""
import asyncio
from vloop import run, log, fmt_exc


async def ok():
    return 1


async def bad():
    raise ValueError("boom")


async def main():
    t = asyncio.create_task(ok(), name="ok")
    b = asyncio.create_task(bad(), name="bad")
    await asyncio.sleep(0)
    log("ok: done=%s; cancel() -> %s" % (t.done(), t.cancel()))
    log("ok: cancelled=%s result=%r" % (t.cancelled(), t.result()))
    log("bad: done=%s; cancel('x') -> %s" % (b.done(), b.cancel("x")))
    log("bad: cancelled=%s exception=%s" % (b.cancelled(),
                                             fmt_exc(b.exception())))
    r = await t
    log("await ok -> %r" % r)


run(main)
