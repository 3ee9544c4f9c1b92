"""asyncio.wait(return_when=FIRST_EXCEPTION) returns when a task raises
(b at t=2; a finished normally at 1 did not end the wait); c is left
pending and not cancelled.  The exception is not raised by wait(), it stays
in the task.  When no task raises, FIRST_EXCEPTION behaves like
ALL_COMPLETED (second wait, started at t=3: returns at t=5 when d and e
are both done).
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


def names(s):
    return "{" + ", ".join(sorted(t.get_name() for t in s)) + "}"


async def main():
    a = asyncio.create_task(child("a", 1), name="a")
    b = asyncio.create_task(child("b", 2, fail=True), name="b")
    c = asyncio.create_task(child("c", 3), name="c")
    done, pending = await asyncio.wait([a, b, c],
                                       return_when=asyncio.FIRST_EXCEPTION)
    log("main: done=%s pending=%s" % (names(done), names(pending)))
    log("main: b.exception() -> %s" % fmt_exc(b.exception()))
    log("main: c cancelled=%s" % c.cancelled())
    log("main: await c -> %r" % (await c))

    d = asyncio.create_task(child("d", 1), name="d")
    e = asyncio.create_task(child("e", 2), name="e")
    done, pending = await asyncio.wait([d, e],
                                       return_when=asyncio.FIRST_EXCEPTION)
    log("main: done=%s pending=%s" % (names(done), names(pending)))


run(main)
