"""Cancelling the gather future cancels the children that are not done yet.

A: g.cancel('halt') at t=2 (a already finished at 1): cancel() returns True
   and cancels b and c in argument order, so their cleanups start in that
   order (b, c).  b's cleanup takes 0.5 s, c re-raises at once.
   Surprise: without return_exceptions the gather does NOT wait for all
   children: the first child that ends cancelled (c, at t=2) completes the
   gather via set_exception(CancelledError), so the awaiter is released at
   t=2 while b is still in its cleanup (b ends at 2.5).  g.cancelled() is
   False while g.exception() is a CancelledError.
B: cancelling a task that awaits a gather cancels the gather, hence the
   children (d, e in argument order); the waiting task is released when the
   first child (d) ends cancelled, i.e. before e's cleanup is over, and ends
   cancelled itself.
"""
import asyncio
from vloop import run, log


async def child(name, delay, cleanup=0.0):
    try:
        await asyncio.sleep(delay)
        log("%s: done" % name)
        return name
    except asyncio.CancelledError as e:
        log("%s: CancelledError args=%r, cleanup %.1f" % (name, e.args, cleanup))
        if cleanup:
            await asyncio.sleep(cleanup)
            log("%s: cleanup done" % name)
        raise


async def waiter(g):
    try:
        await g
    except asyncio.CancelledError as e:
        log("waiter: CancelledError args=%r" % (e.args,))
        raise


async def finish(*tasks):
    for t in tasks:
        try:
            await t
        except asyncio.CancelledError:
            pass
        log("main: %s done, cancelled=%s" % (t.get_name(), t.cancelled()))


async def main():
    log("-- A: g.cancel('halt')")
    a = asyncio.create_task(child("a", 1), name="a")
    b = asyncio.create_task(child("b", 5, cleanup=0.5), name="b")
    c = asyncio.create_task(child("c", 5), name="c")
    g = asyncio.gather(a, b, c)
    await asyncio.sleep(2)
    log("main: g.cancel('halt') -> %s" % g.cancel("halt"))
    try:
        await g
    except asyncio.CancelledError as e:
        log("main: await gather -> CancelledError args=%r" % (e.args,))
    log("main: g done=%s cancelled=%s exception=%s"
        % (g.done(), g.cancelled(), type(g.exception()).__name__))
    log("main: a/b/c cancelled=%s/%s/%s, b done=%s"
        % (a.cancelled(), b.cancelled(), c.cancelled(), b.done()))
    await finish(a, b, c)

    log("-- B: cancel the task awaiting the gather")
    d = asyncio.create_task(child("d", 5), name="d")
    e = asyncio.create_task(child("e", 5, cleanup=0.5), name="e")
    w = asyncio.create_task(waiter(asyncio.gather(d, e)), name="waiter")
    await asyncio.sleep(1)
    log("main: waiter.cancel() -> %s" % w.cancel())
    try:
        await w
    except asyncio.CancelledError:
        log("main: await waiter -> CancelledError")
    log("main: d/e/waiter cancelled=%s/%s/%s, e done=%s"
        % (d.cancelled(), e.cancelled(), w.cancelled(), e.done()))
    await finish(d, e)


run(main)
