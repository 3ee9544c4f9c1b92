"""asyncio.TaskGroup when nothing fails.

`async with` waits at its end until every task of the group is done (the
parent waits on a future the last task's done callback sets), tasks
created by tasks of the group while it waits included.  A group cannot be
entered twice; create_task on a group that has finished raises
RuntimeError, with the group's repr in the message.
"""
import asyncio
from vloop import run, logi, fmt_exc


async def child(name, delay, tg=None):
    logi("%s: start" % name)
    await asyncio.sleep(delay)
    if tg is not None:
        tg.create_task(child(name + "+", 0.5), name=name + "+")
        logi("%s: added %s+" % (name, name))
    logi("%s: done" % name)
    return name


async def main():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(child("a", 1), name="a")
        b = tg.create_task(child("b", 2, tg), name="b")
        logi("main: body done, %r" % tg)
    logi("main: after the block: %s %s" % (a.result(), b.result()))
    late = child("late", 1)
    try:
        tg.create_task(late, name="late")
    except RuntimeError as e:
        late.close()
        logi("main: create_task after -> %s" % fmt_exc(e))
    try:
        async with tg:
            pass
    except RuntimeError as e:
        logi("main: enter again -> %s" % fmt_exc(e))

    async with asyncio.TaskGroup() as tg:
        logi("main: an empty group: %r" % tg)
    logi("main: done")


run(main)
