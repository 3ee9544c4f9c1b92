"""wait_for(inner, 1.0) timing out: at t=1 the timeout releases wait_for's
waiter; wait_for then cancels the inner task and WAITS for it to finish
(_cancel_and_wait): the inner's cleanup awaits sleep(0.3), so TimeoutError
is raised in the caller only at t=1.3, after the inner ended cancelled.
The TimeoutError is the builtin TimeoutError with no args, chained
(__cause__) to the inner's CancelledError.
"""
import asyncio
from vloop import run, logi, fmt_exc


async def inner():
    try:
        logi("inner: sleep(5)")
        await asyncio.sleep(5)
        return "inner finished"
    except asyncio.CancelledError as e:
        logi("inner: CancelledError args=%r, cleanup sleep(0.3)" % (e.args,))
        await asyncio.sleep(0.3)
        logi("inner: cleanup done, re-raise")
        raise


async def main():
    t = asyncio.create_task(inner(), name="inner")
    try:
        await asyncio.wait_for(t, 1.0)
    except TimeoutError as e:
        logi("main: wait_for raised %s, cause=%s"
             % (fmt_exc(e), type(e.__cause__).__name__))
    logi("main: inner done=%s cancelled=%s" % (t.done(), t.cancelled()))


run(main)
