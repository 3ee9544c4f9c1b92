"""CPython 3.11: when the inner awaitable SWALLOWS the cancellation that
wait_for() sends at the timeout and returns a value, wait_for() returns that
value -- no TimeoutError.  (After _cancel_and_wait it just does
"return fut.result()"; only a CancelledError result is turned into
TimeoutError.)  Here: timeout at t=1, the inner does a 0.3 s cleanup and
returns 'swallowed' at t=1.3, which wait_for returns to the caller.
Likewise if the inner raises another exception during that cleanup, that
exception propagates instead of TimeoutError (second part, at t=2.8).
"""
import asyncio
from vloop import run, logi, fmt_exc


async def inner(then_raise):
    try:
        await asyncio.sleep(5)
        return "inner finished"
    except asyncio.CancelledError:
        logi("inner: cancelled, cleanup sleep(0.3)")
        await asyncio.sleep(0.3)
        if then_raise:
            logi("inner: raising ValueError")
            raise ValueError("cleanup failed")
        logi("inner: returning 'swallowed'")
        return "swallowed"


async def main():
    t = asyncio.create_task(inner(False), name="inner")
    try:
        r = await asyncio.wait_for(t, 1.0)
        logi("main: wait_for returned %r" % r)
    except TimeoutError:
        logi("main: TimeoutError")
    logi("main: inner cancelled=%s result=%r" % (t.cancelled(), t.result()))

    t = asyncio.create_task(inner(True), name="inner2")
    try:
        r = await asyncio.wait_for(t, 1.2)
        logi("main: wait_for returned %r" % r)
    except TimeoutError:
        logi("main: TimeoutError")
    except ValueError as e:
        logi("main: wait_for raised %s" % fmt_exc(e))


run(main)
