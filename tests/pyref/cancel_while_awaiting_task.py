"""Cancel a task (outer) that is awaiting another task (inner).

CPython DOES cancel the inner task in this case: Task.cancel() cancels the
task's _fut_waiter, which here is the inner Task itself.  (Only shield()
protects it.)  The outer task is then woken by the inner's completion:

A: inner re-raises -> both end cancelled (inner first, outer one iteration
   later).
B: inner swallows the cancellation and returns a value -> the outer's
   cancellation is LOST: outer receives the inner's result from its await,
   continues, and ends normally (cancelled() False).  This is because
   outer.cancel() returned True via inner.cancel() and did not set the
   outer's own _must_cancel.
"""
import asyncio
from vloop import run, logi


async def inner(swallow):
    try:
        await asyncio.sleep(2)
        return "inner finished"
    except asyncio.CancelledError as e:
        logi("inner: CancelledError args=%r" % (e.args,))
        if swallow:
            return "inner swallowed"
        raise


async def outer(t):
    try:
        r = await t
        logi("outer: await inner -> %r" % r)
        return "outer finished"
    except asyncio.CancelledError as e:
        logi("outer: CancelledError args=%r" % (e.args,))
        raise


async def scenario(label, swallow):
    logi("-- %s" % label)
    i = asyncio.create_task(inner(swallow), name="inner")
    o = asyncio.create_task(outer(i), name="outer")
    await asyncio.sleep(1)
    logi("main: outer.cancel('bye') -> %s" % o.cancel("bye"))
    try:
        r = await o
        logi("main: await outer -> %r" % r)
    except asyncio.CancelledError:
        logi("main: await outer -> CancelledError")
    logi("main: inner cancelled=%s, outer cancelled=%s"
         % (i.cancelled(), o.cancelled()))


async def main():
    await scenario("A: inner re-raises", False)
    await scenario("B: inner swallows", True)


run(main)
