"""gather(...).cancel('stop') when the children wait on nothing.

A: the children are at a bare yield (sleep(0)), so no child has a future
   to cancel: Task.cancel() keeps the message on the task itself
   (_cancel_message) and sets _must_cancel, and each child's next step
   throws CancelledError('stop') in.  The children catch it and return
   normally, so none ends cancelled; when the last one is done the gather
   knows it was cancelled (_cancel_requested) and sets the exception the
   LAST child's _make_cancelled_error() builds from that task's
   _cancel_message: awaiting g raises CancelledError('stop').
B: the children wait on sleep(1): cancel('stop') cancels the sleep's future
   with the message, the CancelledError thrown in carries it, but the
   tasks' own _cancel_message stays None, so the gather ends with a bare
   CancelledError().
"""
import asyncio
from vloop import run, logi, fmt_exc


async def child(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError as e:
        logi("%s: caught %s, returning" % (name, fmt_exc(e)))
        return name + " (cancelled)"
    return name


async def main():
    for label, delay in (("A", 0), ("B", 1)):
        logi("-- %s: children at sleep(%s)" % (label, delay))
        a = asyncio.create_task(child("a", delay), name="a")
        b = asyncio.create_task(child("b", delay), name="b")
        await asyncio.sleep(0)
        g = asyncio.gather(a, b)
        logi("main: g.cancel('stop') -> %s" % g.cancel("stop"))
        try:
            r = await g
            logi("main: await g -> %r" % (r,))
        except asyncio.CancelledError as e:
            logi("main: await g -> %s" % fmt_exc(e))
        logi("main: a/b cancelled=%s/%s, results %r/%r"
             % (a.cancelled(), b.cancelled(), a.result(), b.result()))


run(main)
