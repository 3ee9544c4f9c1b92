"""A task waking from sleep(d > 0) needs two loop iterations after the clock
reaches the deadline: in iteration N the timer callback
(futures._set_result_unless_cancelled) runs and completes the sleep future,
which schedules the task's wakeup with call_soon; the task only resumes in
iteration N+1.  Compare with sleep(0) (resumes in the very next iteration)
and with a future completed by another task (the waiter resumes in the
iteration after set_result).
"""
import asyncio
from vloop import run, logi


async def setter(fut):
    logi("setter: set_result")
    fut.set_result("v")


async def main():
    logi("main: sleep(0)")
    await asyncio.sleep(0)
    logi("main: after sleep(0)")
    logi("main: sleep(1.0)")
    await asyncio.sleep(1.0)
    logi("main: after sleep(1.0) (timer ran in the previous iteration)")
    logi("main: sleep(0.5)")
    await asyncio.sleep(0.5)
    logi("main: after sleep(0.5)")
    fut = asyncio.get_running_loop().create_future()
    t = asyncio.create_task(setter(fut), name="setter")
    logi("main: await future")
    r = await fut
    logi("main: future -> %r" % r)
    await t


run(main)
