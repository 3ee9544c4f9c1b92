"""create_task() does not run the new task: its first step is scheduled with
call_soon, so it starts in the *next* loop iteration (#2), before the creator
resumes from sleep(0) (the creator's own step was queued after the child's).
Also: the child's return ends it in that step; the parent awaiting an
already-finished task does not suspend.
"""
import asyncio
from vloop import run, logi


async def child():
    logi("child: started")
    return "child-result"


async def main():
    logi("main: creating child")
    t = asyncio.create_task(child(), name="child")
    logi("main: created; child done=%s" % t.done())
    await asyncio.sleep(0)
    logi("main: after sleep(0); child done=%s" % t.done())
    r = await t
    logi("main: await child -> %r" % r)


run(main)
