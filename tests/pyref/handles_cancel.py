"""call_soon and call_later return handles that can be cancelled, and
sleep() can return a result.

1. A call_soon handle cancelled before its iteration stays in the ready
   queue and is skipped; cancelled() says so.
2. call_later handles: when() is the deadline; one cancelled before its
   deadline never fires; of three timers due in the same iteration, the
   second cancels the third, which was already moved to the ready queue
   and is skipped.  Cancelling a handle that already ran only sets
   cancelled().
3. sleep(delay, result) and sleep(0, result) return result; a sleep
   cancelled while waiting raises CancelledError instead.
"""
import asyncio
from vloop import run, logi


async def main():
    loop = asyncio.get_running_loop()

    h1 = loop.call_soon(logi, "1: h1 runs")
    h2 = loop.call_soon(logi, "1: h2 runs")
    h1.cancel()
    logi("1: h1 cancelled=%s, h2 cancelled=%s" % (h1.cancelled(), h2.cancelled()))
    await asyncio.sleep(0)

    handles = {}
    handles["t1"] = loop.call_later(0.5, logi, "2: t1 fires")
    handles["t2"] = loop.call_later(
        0.5, lambda: (logi("2: t2 fires, cancels t3"), handles["t3"].cancel()))
    handles["t3"] = loop.call_later(0.5, logi, "2: t3 fires")
    t4 = loop.call_later(0.25, logi, "2: t4 fires")
    t4.cancel()
    logi("2: t1 when=%.3f cancelled=%s, t4 cancelled=%s"
         % (handles["t1"].when(), handles["t1"].cancelled(), t4.cancelled()))
    logi("3: sleep(1, 'slept') -> %r" % await asyncio.sleep(1, "slept"))
    logi("2: t3 cancelled=%s; t1 cancelled=%s" % (handles["t3"].cancelled(),
                                                   handles["t1"].cancelled()))
    handles["t1"].cancel()
    logi("2: t1.cancel() after it ran -> cancelled=%s" % handles["t1"].cancelled())

    logi("3: sleep(0, 'zero') -> %r" % await asyncio.sleep(0, "zero"))
    t = asyncio.create_task(asyncio.sleep(5, "never"), name="sleeper")
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        logi("3: sleep(5, 'never') cancelled=%s" % t.cancelled())


run(main)
