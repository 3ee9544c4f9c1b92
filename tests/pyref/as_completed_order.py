"""as_completed() yields awaitables that produce the results in COMPLETION
order (b at t=1, c at 2, a at 3), not argument order.  Each result reaches
the consumer two iterations after the child finished: the child's done
callback (iteration N+1) puts it in as_completed's internal Queue, which
wakes the consumer's pending get() (iteration N+2).
"""
import asyncio
from vloop import run, logi


async def child(name, delay):
    await asyncio.sleep(delay)
    logi("%s: done" % name)
    return name


async def main():
    a = asyncio.create_task(child("a", 3), name="a")
    b = asyncio.create_task(child("b", 1), name="b")
    c = asyncio.create_task(child("c", 2), name="c")
    for aw in asyncio.as_completed([a, b, c]):
        r = await aw
        logi("main: got %r" % r)
    logi("main: loop over")


run(main)
