"""Three tasks doing 3 rounds of sleep(0) each: sleep(0) is a bare yield that
re-queues the task's step with call_soon, so every round is one loop
iteration and the tasks interleave in creation order A, B, C each iteration.
Time never advances (select(0) because the ready queue is never empty).
"""
import asyncio
from vloop import run, logi


async def worker(name):
    for i in range(3):
        logi("%s round %d" % (name, i))
        await asyncio.sleep(0)
    logi("%s finished" % name)


async def main():
    tasks = [asyncio.create_task(worker(n), name=n) for n in "ABC"]
    logi("main: created A, B, C")
    for t in tasks:
        await t
    logi("main: all done")


run(main)
