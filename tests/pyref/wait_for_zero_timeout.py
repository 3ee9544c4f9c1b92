"""wait_for(aw, 0) (timeout <= 0 path):
1. an already-done task: returns its result immediately, no suspension;
2. a task that has not started yet: it is cancelled before its first step
   (its body never runs) and TimeoutError (no args) is raised, three
   iterations later: N+1 the task's first step throws CancelledError into
   it, N+2 its done callback releases _cancel_and_wait's waiter, N+3
   wait_for resumes and converts the CancelledError;
3. a coroutine: wrapped in a new task, same as 2 -- body never runs.
All at t=0.
"""
import asyncio
from vloop import run, logi, fmt_exc


async def body(name):
    logi("%s: body running" % name)
    return name


async def main():
    done = asyncio.create_task(body("done"), name="done")
    await asyncio.sleep(0)
    logi("main: wait_for(done task, 0)")
    r = await asyncio.wait_for(done, 0)
    logi("main: -> %r" % r)

    fresh = asyncio.create_task(body("fresh"), name="fresh")
    logi("main: wait_for(fresh task, 0)")
    try:
        await asyncio.wait_for(fresh, 0)
    except TimeoutError as e:
        logi("main: -> %s; fresh cancelled=%s" % (fmt_exc(e), fresh.cancelled()))

    logi("main: wait_for(coroutine, 0)")
    try:
        await asyncio.wait_for(body("coro"), 0)
    except TimeoutError as e:
        logi("main: -> %s" % fmt_exc(e))


run(main)
