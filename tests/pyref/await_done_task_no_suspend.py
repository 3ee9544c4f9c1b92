"""Awaiting an already-done task or future does not suspend: Future.__await__
returns immediately when done(), so the awaiting task goes on in the same
loop iteration (same #).  Also for a done failed task: the exception is
raised at once, still without suspending.
"""
import asyncio
from vloop import run, logi


async def quick():
    return 1


async def bad():
    raise ValueError("boom")


async def main():
    t = asyncio.create_task(quick(), name="quick")
    b = asyncio.create_task(bad(), name="bad")
    await asyncio.sleep(0)
    logi("main: quick done=%s, bad done=%s" % (t.done(), b.done()))
    logi("main: before await quick")
    r = await t
    logi("main: after await quick -> %r" % r)
    logi("main: before await bad")
    try:
        await b
    except ValueError as e:
        logi("main: await bad raised %s" % type(e).__name__)
    fut = asyncio.get_running_loop().create_future()
    fut.set_result("f")
    logi("main: before await done future")
    r = await fut
    logi("main: after await done future -> %r" % r)
    r = await fut
    logi("main: awaited it again -> %r" % r)


run(main)
