"""asyncio.run()'s shutdown (Runner.close): once main has returned and the
loop has stopped, the tasks still pending are cancelled and run to the end
with gather(return_exceptions=True).

- all_tasks() lists the tasks not done yet, main included; current_task()
  is the task running the code.
- a and b sleep: each gets a CancelledError at its sleep, in creation order
  (CPython goes through a set; vloop and Loopscope use creation order); a
  cleans up for 0.5 s, and the loop runs until it is done.
- c, created in main's last step, starts in the iteration that stops the
  loop, then is cancelled like the others.
- d, created by main's done callback in that same last iteration, never
  runs: it is cancelled before its first step.
"""
import asyncio
from vloop import run, logi


async def sleeper(name, delay, cleanup):
    logi("%s: sleeping %s" % (name, delay))
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        logi("%s: cancelled, cleaning up" % name)
        if cleanup:
            await asyncio.sleep(cleanup)
            logi("%s: cleanup done" % name)
        raise


async def never_runs():
    logi("d: running")


async def main():
    loop = asyncio.get_running_loop()
    asyncio.create_task(sleeper("a", 10, 0.5), name="a")
    asyncio.create_task(sleeper("b", 5, 0), name="b")
    await asyncio.sleep(1)
    asyncio.create_task(sleeper("c", 3, 0), name="c")
    logi("main: all_tasks=%s" % sorted(t.get_name() for t in asyncio.all_tasks()))
    logi("main: current_task=%s" % asyncio.current_task().get_name())
    asyncio.current_task().add_done_callback(
        lambda t: (logi("main done: creating d"),
                   loop.create_task(never_runs(), name="d")))
    logi("main: returning")


run(main, shutdown=True)
