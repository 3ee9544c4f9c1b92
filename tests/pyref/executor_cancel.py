"""Cancelling at run_in_executor's and to_thread's suspension point.

1. The function is running: cancelling the awaiting task cancels the
   future; the task gets CancelledError at once, the function goes on (a
   thread cannot be stopped) and its result is dropped when it ends.
2. The work waits for a thread (a one-thread executor busy with another
   work): cancelling the task awaiting it cancels the work, which never
   runs; the work before it is not disturbed.
3. wait_for(to_thread(...), 0.5): TimeoutError at 0.5, the function still
   ends at 1.0.
"""
import asyncio
import concurrent.futures
import time
from vloop import run, logi, fmt_exc

ran = []


def work(name, delay):
    time.sleep(delay)
    ran.append(name)
    return name


async def awaiter(name, aw):
    try:
        r = await aw
        logi("%s: got %r" % (name, r))
    except asyncio.CancelledError:
        logi("%s: CancelledError" % name)
        raise


async def main():
    loop = asyncio.get_running_loop()

    t = asyncio.create_task(awaiter("t1", asyncio.to_thread(work, "a", 1)), name="t1")
    await asyncio.sleep(0.5)
    logi("1: cancel() -> %s" % t.cancel())
    try:
        await t
    except asyncio.CancelledError:
        logi("1: t1 cancelled=%s, ran=%r" % (t.cancelled(), ran))
    await asyncio.sleep(1)
    logi("1: after the function ended: ran=%r" % ran)

    one = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    f1 = loop.run_in_executor(one, work, "b", 1)
    f2 = loop.run_in_executor(one, work, "c", 1)
    t2 = asyncio.create_task(awaiter("t2", f2), name="t2")
    await asyncio.sleep(0.5)
    logi("2: cancel t2 -> %s" % t2.cancel())
    try:
        await t2
    except asyncio.CancelledError:
        logi("2: f2 cancelled=%s" % f2.cancelled())
    logi("2: f1 -> %r" % await f1)
    await asyncio.sleep(2)
    logi("2: ran=%r" % ran)
    one.shutdown(wait=True)

    try:
        await asyncio.wait_for(asyncio.to_thread(work, "d", 1), 0.5)
    except TimeoutError as e:
        logi("3: wait_for -> %s, ran=%r" % (fmt_exc(e), ran))
    await asyncio.sleep(1)
    logi("3: ran=%r" % ran)


run(main)
