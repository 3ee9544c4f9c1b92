"""A task of a TaskGroup fails: the group aborts.

1. b fails at 1.0: the group cancels its other tasks (in creation order;
   CPython goes through a set, vloop and Loopscope use creation order) and
   the parent, whose body is cancelled at its await; `async with` then
   waits for the cancelled tasks (c cleans up for 0.5 s) and raises
   ExceptionGroup('unhandled errors in a TaskGroup', [ValueError]) from
   None.  The ValueError in it is the task's exception object.  The parent
   is not left cancelled: the group uncancel()s what it asked.
2. Two tasks fail in the same iteration: both errors are in the group, in
   the order the tasks finished.  create_task while the group aborts
   raises RuntimeError.
3. The body raises: the tasks are cancelled and the body's error comes
   last in the group.
4. except* splits a group by type.
"""
import asyncio
from vloop import run, logi, fmt_exc


async def child(name, delay, fail=None, cleanup=0):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        logi("%s: cancelled" % name)
        if cleanup:
            await asyncio.sleep(cleanup)
            logi("%s: cleanup done" % name)
        raise
    if fail is not None:
        logi("%s: raising" % name)
        raise fail("%s failed" % name)
    logi("%s: done" % name)
    return name


def show(label, eg):
    logi("%s: %s: %s" % (label, type(eg).__name__, eg))
    logi("%s: exceptions %s" % (label, [fmt_exc(e) for e in eg.exceptions]))
    logi("%s: cause=%s suppress=%s" % (label, eg.__cause__, eg.__suppress_context__))


async def main():
    me = asyncio.current_task()
    try:
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(child("a", 2), name="a")
            b = tg.create_task(child("b", 1, ValueError), name="b")
            c = tg.create_task(child("c", 3, cleanup=0.5), name="c")
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                logi("1: body cancelled, %r" % tg)
                raise
    except ExceptionGroup as eg:
        show("1", eg)
        logi("1: is b's exception: %s" % (eg.exceptions[0] is b.exception()))
        logi("1: a/c cancelled=%s/%s, main cancelling=%d"
             % (a.cancelled(), c.cancelled(), me.cancelling()))

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("d", 1, ValueError), name="d")
            tg.create_task(child("e", 1, RuntimeError), name="e")
            tg.create_task(child("f", 2), name="f")
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                g = child("g", 1)
                try:
                    tg.create_task(g, name="g")
                except RuntimeError as e:
                    g.close()
                    logi("2: create_task -> %s" % fmt_exc(e))
                raise
    except ExceptionGroup as eg:
        show("2", eg)

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("h", 1, ValueError), name="h")
            tg.create_task(child("i", 2), name="i")
            await asyncio.sleep(0)
            raise RuntimeError("body")
    except ExceptionGroup as eg:
        show("3", eg)

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("j", 1, ValueError), name="j")
            tg.create_task(child("k", 1, RuntimeError), name="k")
    except* ValueError as eg:
        show("4 ValueError", eg)
    except* RuntimeError as eg:
        show("4 RuntimeError", eg)


run(main)
