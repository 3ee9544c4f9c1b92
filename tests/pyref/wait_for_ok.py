"""wait_for(aw, timeout) when aw finishes in time: returns its result at
completion (t=1 for a task, then t=1.5 for a coroutine, which wait_for
wraps in a new task), no cancellation, and a failing awaitable's exception
propagates unchanged (t=1.75).  The iteration numbers show the extra hop:
the inner's done callback releases wait_for's private waiter future, and
the caller resumes one iteration after that.
"""
import asyncio
from vloop import run, logi, fmt_exc


async def child(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        logi("%s: raising" % name)
        raise ValueError("boom from %s" % name)
    logi("%s: done" % name)
    return name


async def main():
    t = asyncio.create_task(child("task", 1), name="task")
    r = await asyncio.wait_for(t, 2)
    logi("main: wait_for(task, 2) -> %r; cancelled=%s" % (r, t.cancelled()))
    r = await asyncio.wait_for(child("coro", 0.5), 2)
    logi("main: wait_for(coro, 2) -> %r" % r)
    try:
        await asyncio.wait_for(child("bad", 0.25, fail=True), 2)
    except ValueError as e:
        logi("main: wait_for(bad, 2) raised %s" % fmt_exc(e))


run(main)
