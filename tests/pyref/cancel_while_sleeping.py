"""Cancel a task blocked in sleep(10) with a message at t=1: the task wakes
(next iteration) with CancelledError('stop it') at t=1, cancel message in
args; it logs and re-raises; the task ends cancelled.  The awaiter gets the
very same exception object (with the message) the first time the error is
retrieved.  CPython 3.11 detail: the saved exception is handed out only once
(Future._make_cancelled_error clears _cancelled_exc), and the task's own
_cancel_message is None (Future.cancel() called without msg when the
coroutine raised CancelledError), so later t.exception()/t.result() calls
raise a fresh CancelledError() with EMPTY args.
"""
import asyncio
from vloop import run, logi


async def sleeper():
    try:
        logi("sleeper: sleep(10)")
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        logi("sleeper: CancelledError args=%r" % (e.args,))
        raise


async def main():
    t = asyncio.create_task(sleeper(), name="sleeper")
    await asyncio.sleep(1)
    logi("main: cancel('stop it') -> %s" % t.cancel("stop it"))
    try:
        await t
    except asyncio.CancelledError as e:
        logi("main: await -> CancelledError args=%r" % (e.args,))
    logi("main: done=%s cancelled=%s" % (t.done(), t.cancelled()))
    for what in ("exception", "result"):
        try:
            getattr(t, what)()
        except asyncio.CancelledError as e:
            logi("main: t.%s() -> CancelledError args=%r" % (what, e.args))


run(main)
