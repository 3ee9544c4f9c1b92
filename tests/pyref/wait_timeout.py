"""asyncio.wait(timeout=2): returns (done, pending) at t=2 with the
unfinished tasks in pending; they are NOT cancelled (unlike wait_for) and
finish later (t=5).  b and c have the same deadline 5.0 and wake in the
order their sleeps were scheduled, b first (see equal_deadlines.py).  Also:
when everything finishes before the timeout, wait() returns early (t=6,
timeout 10) -- its timeout timer is cancelled.
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
    b = asyncio.create_task(child("b", 5), name="b")
    c = asyncio.create_task(child("c", 5), name="c")
    done, pending = await asyncio.wait([a, b, c], timeout=2)
    log("main: done=%s pending=%s" % (names(done), names(pending)))
    log("main: b done=%s cancelled=%s" % (b.done(), b.cancelled()))
    log("main: await b -> %r, await c -> %r" % (await b, await c))

    d = asyncio.create_task(child("d", 1), name="d")
    done, pending = await asyncio.wait([d], timeout=10)
    log("main: done=%s pending=%s" % (names(done), names(pending)))


run(main)
