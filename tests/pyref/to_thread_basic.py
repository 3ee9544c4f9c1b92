"""asyncio.to_thread and loop.run_in_executor run a function on a worker
thread; the awaiting task waits on a future its completion sets through the
loop (a _set_state handle, then the task's wake-up in the next iteration).

1. A function that sleeps 1 s on its thread while a ticker ticks every
   0.25 s: the loop is not blocked.  At 1.0 the worker's sleep ends with the
   ticker's fourth timer: the timer runs first, the completion enters in the
   next iteration.
2. Two works at once on the default executor take 1 s together, not 1.5.
3. An exception raised by the function is raised by the await.
4. A function that returns at once: its completion enters in the next
   iteration, the awaiting task resumes in the one after.
"""
import asyncio
import time
from vloop import run, logi, fmt_exc


def blocking(name, delay, fail=False):
    time.sleep(delay)
    if fail:
        raise ValueError("%s failed" % name)
    return name.upper()


async def ticker(n, period):
    for i in range(n):
        await asyncio.sleep(period)
        logi("ticker: tick %d" % (i + 1))


async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(ticker(5, 0.25), name="ticker")
    logi("1: to_thread(blocking, 'a', 1)")
    r = await asyncio.to_thread(blocking, "a", 1)
    logi("1: -> %r" % r)
    await t

    f1 = loop.run_in_executor(None, blocking, "b", 1)
    f2 = loop.run_in_executor(None, blocking, "c", 0.5)
    logi("2: -> %r" % (await asyncio.gather(f1, f2),))

    try:
        await asyncio.to_thread(blocking, "d", 0.5, True)
    except ValueError as e:
        logi("3: -> %s" % fmt_exc(e))

    logi("4: to_thread(blocking, 'e', 0)")
    logi("4: -> %r" % await asyncio.to_thread(blocking, "e", 0))


run(main)
