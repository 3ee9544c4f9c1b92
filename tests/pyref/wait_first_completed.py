"""asyncio.wait(return_when=FIRST_COMPLETED) returns (done, pending) as soon
as one task finishes (a at t=1), without cancelling the others; a second
wait() on the pending set with ALL_COMPLETED (default) returns at t=3.
Sets are printed sorted by task name (set iteration order is by id()).
"""
import asyncio
from vloop import run, log


async def child(name, delay):
    await asyncio.sleep(delay)
    log("%s: done" % name)
    return name


def names(s):
    return "{" + ", ".join(sorted(t.get_name() for t in s)) + "}"


async def main():
    a = asyncio.create_task(child("a", 1), name="a")
    b = asyncio.create_task(child("b", 2), name="b")
    c = asyncio.create_task(child("c", 3), name="c")
    done, pending = await asyncio.wait([a, b, c],
                                       return_when=asyncio.FIRST_COMPLETED)
    log("main: done=%s pending=%s" % (names(done), names(pending)))
    done, pending = await asyncio.wait(pending)
    log("main: done=%s pending=%s" % (names(done), names(pending)))
    log("main: results %r" % [t.result() for t in (a, b, c)])


run(main)
