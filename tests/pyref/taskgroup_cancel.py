"""Cancelling at a TaskGroup's suspension points.

1. The parent is cancelled while its body awaits: the group cancels its
   tasks, waits for them, and the CancelledError comes out of `async with`.
2. The parent is cancelled while `async with` waits for its tasks at the
   end: the same, the wait is cancelled and the tasks are cancelled.
3. A task of the group is cancelled on its own: nothing else happens, the
   group ends normally.
4. A task swallows its cancellation while the group aborts: the group waits
   for it to finish.
5. The parent is cancelled and a task fails: the ExceptionGroup wins over
   the CancelledError.
"""
import asyncio
from vloop import run, logi, fmt_exc


async def child(name, delay, fail=False, swallow=False):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        logi("%s: cancelled" % name)
        if swallow:
            await asyncio.sleep(0.5)
            logi("%s: swallowed it" % name)
            return name
        raise
    if fail:
        logi("%s: raising" % name)
        raise ValueError(name)
    logi("%s: done" % name)
    return name


async def parent(label, children, body_delay):
    try:
        async with asyncio.TaskGroup() as tg:
            for args in children:
                tg.create_task(child(*args), name=args[0])
            if body_delay:
                await asyncio.sleep(body_delay)
            logi("%s: body done" % label)
    except asyncio.CancelledError:
        logi("%s: CancelledError out of the group" % label)
        raise
    except ExceptionGroup as eg:
        logi("%s: %s %s" % (label, fmt_exc(eg), [fmt_exc(e) for e in eg.exceptions]))
    return label


async def run_parent(label, children, body_delay, cancel_at):
    p = asyncio.create_task(parent(label, children, body_delay), name=label)
    if cancel_at is not None:
        await asyncio.sleep(cancel_at)
        logi("main: cancel %s -> %s" % (label, p.cancel()))
    try:
        r = await p
        logi("main: %s -> %r" % (label, r))
    except asyncio.CancelledError:
        logi("main: %s cancelled=%s" % (label, p.cancelled()))


async def main():
    await run_parent("1", [("a", 2), ("b", 3)], 5, 1)
    await run_parent("2", [("c", 2), ("d", 3)], 0, 1)

    async with asyncio.TaskGroup() as tg:
        e = tg.create_task(child("e", 2), name="e")
        f = tg.create_task(child("f", 1), name="f")
        await asyncio.sleep(0.5)
        logi("3: cancel e -> %s" % e.cancel())
    logi("3: e cancelled=%s, f -> %r" % (e.cancelled(), f.result()))

    await run_parent("4", [("g", 1, True), ("h", 2, False, True)], 0, None)
    await run_parent("5", [("i", 1, True), ("j", 3)], 0, 1)


run(main)
