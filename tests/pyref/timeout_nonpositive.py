"""A timeout or delay of zero or less has already expired.

1. wait_for(task, 0) and wait_for(task, -1): the task is cancelled at once
   and waited for (_cancel_and_wait), then TimeoutError; a future that is
   already done gives its result without waiting.
2. timeout(0), timeout(-1) and timeout_at(loop.time() - 1): the scope's
   handler is a call_soon, not a timer; it cancels the task at the body's
   first suspension and the scope turns that into TimeoutError.  A body
   that does not suspend finishes first: the scope then exits with the
   handler still queued (cancelled by __aexit__) and expired() False.
3. wait(timeout=0) and as_completed(timeout=-1): the timer fires in the
   next iteration, nothing is done yet.
"""
import asyncio
from vloop import run, logi, fmt_exc


async def worker(name):
    try:
        await asyncio.sleep(1)
        return name
    except asyncio.CancelledError:
        logi("%s: cancelled" % name)
        raise


async def main():
    loop = asyncio.get_running_loop()

    for timeout in (0, -1):
        t = asyncio.create_task(worker("w%s" % timeout), name="w")
        await asyncio.sleep(0)
        try:
            await asyncio.wait_for(t, timeout)
        except TimeoutError as e:
            logi("1: wait_for(t, %s) -> %s, t cancelled=%s"
                 % (timeout, fmt_exc(e), t.cancelled()))
    done = loop.create_future()
    done.set_result("early")
    logi("1: wait_for(done future, 0) -> %r" % await asyncio.wait_for(done, 0))

    scopes = (("timeout(0)", lambda: asyncio.timeout(0)),
              ("timeout(-1)", lambda: asyncio.timeout(-1)),
              ("timeout_at(now - 1)", lambda: asyncio.timeout_at(loop.time() - 1)))
    for label, make in scopes:
        cm = make()
        try:
            async with cm:
                logi("2: %s entered" % label)
                await asyncio.sleep(1)
                logi("2: not reached")
        except TimeoutError as e:
            logi("2: %s -> %s, expired=%s" % (label, fmt_exc(e), cm.expired()))
    cm = asyncio.timeout(0)
    async with cm:
        logi("2: timeout(0) around a body that does not suspend")
    logi("2: after it, expired=%s" % cm.expired())
    await asyncio.sleep(0)

    t = asyncio.create_task(worker("w3"), name="w3")
    done, pending = await asyncio.wait([t], timeout=0)
    logi("3: wait(timeout=0) -> done=%d pending=%d" % (len(done), len(pending)))
    for f in asyncio.as_completed([t], timeout=-1):
        try:
            await f
        except TimeoutError as e:
            logi("3: as_completed(timeout=-1) -> %s" % fmt_exc(e))
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        pass


run(main)
