"""Future basics.

1. set_result wakes the awaiters in the order they started awaiting (their
   wakeups are done callbacks, scheduled with call_soon in registration
   order), in the iteration after set_result.
2. set_exception: the awaiter gets the exception object.
3. cancel(msg) on a future someone awaits: the awaiter gets CancelledError
   carrying the message in args.
4. Done callbacks run in a LATER iteration (call_soon), in registration
   order, each receiving the future; a callback added to an already-done
   future is also scheduled with call_soon (runs next iteration, not
   immediately).  Futures are done() right after set_result, before any
   callback ran.
"""
import asyncio
from vloop import run, logi, fmt_exc


async def waiter(name, fut):
    logi("%s: awaiting" % name)
    try:
        r = await fut
        logi("%s: got %r" % (name, r))
    except asyncio.CancelledError as e:
        logi("%s: CancelledError args=%r" % (name, e.args))
    except Exception as e:
        logi("%s: raised %s" % (name, fmt_exc(e)))


async def main():
    loop = asyncio.get_running_loop()

    logi("-- 1: set_result, two awaiters")
    fut = loop.create_future()
    w1 = asyncio.create_task(waiter("w1", fut), name="w1")
    w2 = asyncio.create_task(waiter("w2", fut), name="w2")
    await asyncio.sleep(0)
    logi("main: set_result(42)")
    fut.set_result(42)
    logi("main: fut done=%s result=%r" % (fut.done(), fut.result()))
    await w1
    await w2

    logi("-- 2: set_exception")
    fut = loop.create_future()
    w = asyncio.create_task(waiter("w3", fut), name="w3")
    await asyncio.sleep(0)
    logi("main: set_exception(ValueError('boom'))")
    fut.set_exception(ValueError("boom"))
    logi("main: fut.exception() -> %s" % fmt_exc(fut.exception()))
    await w

    logi("-- 3: cancel an awaited future")
    fut = loop.create_future()
    w = asyncio.create_task(waiter("w4", fut), name="w4")
    await asyncio.sleep(0)
    logi("main: cancel('stop') -> %s" % fut.cancel("stop"))
    logi("main: fut done=%s cancelled=%s" % (fut.done(), fut.cancelled()))
    logi("main: cancel again -> %s" % fut.cancel("again"))
    await w

    logi("-- 4: done callbacks")
    fut = loop.create_future()
    for n in ("cb1", "cb2", "cb3"):
        fut.add_done_callback(
            lambda f, n=n: logi("%s: result=%r" % (n, f.result())))
    logi("main: set_result('x')")
    fut.set_result("x")
    logi("main: still in the same iteration")
    await asyncio.sleep(0)
    logi("main: after sleep(0)")
    fut.add_done_callback(lambda f: logi("cb4 (added when done)"))
    logi("main: added cb4 to the done future")
    await asyncio.sleep(0)
    logi("main: after sleep(0)")


run(main)
