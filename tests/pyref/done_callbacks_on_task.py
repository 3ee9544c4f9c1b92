"""Done callbacks on a task run after the task completes, in a LATER loop
iteration (scheduled with call_soon when the task finishes), in
registration order.  The task's awaiter is just another done callback
(Task.__wakeup), registered when main starts awaiting -- after cb1..cb3 --
so main resumes right after cb3 in the same iteration.  A callback added to
the finished task runs in the next iteration.  Callbacks get the task and
see it done.  Also for a task that fails: callbacks run the same way.
"""
import asyncio
from vloop import run, logi


async def child(name, delay, fail=False):
    await asyncio.sleep(delay)
    logi("%s: finishing" % name)
    if fail:
        raise ValueError("boom")
    return 5


def make_cb(label):
    def cb(t):
        if t.exception() is not None:
            logi("%s: %s done=%s exception=%s" % (
                label, t.get_name(), t.done(), type(t.exception()).__name__))
        else:
            logi("%s: %s done=%s result=%r" % (
                label, t.get_name(), t.done(), t.result()))
    return cb


async def main():
    t = asyncio.create_task(child("child", 1), name="child")
    for label in ("cb1", "cb2", "cb3"):
        t.add_done_callback(make_cb(label))
    r = await t
    logi("main: await child -> %r" % r)
    t.add_done_callback(make_cb("cb4"))
    logi("main: added cb4 after completion")
    await asyncio.sleep(0)
    logi("main: after sleep(0)")

    b = asyncio.create_task(child("bad", 1, fail=True), name="bad")
    b.add_done_callback(make_cb("cbA"))
    b.add_done_callback(make_cb("cbB"))
    try:
        await b
    except ValueError:
        logi("main: await bad raised ValueError")


run(main)
