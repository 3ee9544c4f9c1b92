"""run_until_complete stops the loop from a done callback of its future
(_run_until_complete_cb, added before the loop starts), so the loop stops at
the end of the iteration AFTER the one in which the main task returned.
Everything main queued in its last step runs before the loop stops, in the
order it was queued:

- the wake-up of a task waiting on an event main set just before returning
  (the task runs and finishes);
- a call_soon callback;
- main's own done callback, scheduled right after the loop's (which only
  sets the stop flag checked where _run_once ends).
"""
import asyncio
from vloop import run, logi


async def waiter(ev):
    logi("waiter: waiting")
    await ev.wait()
    logi("waiter: woken")


async def main():
    loop = asyncio.get_running_loop()
    ev = asyncio.Event()
    asyncio.create_task(waiter(ev), name="waiter")
    await asyncio.sleep(0)
    asyncio.current_task().add_done_callback(
        lambda t: logi("main: done callback, done=%s" % t.done()))
    ev.set()
    loop.call_soon(lambda: logi("call_soon from main's last step"))
    logi("main: returning")


run(main)
