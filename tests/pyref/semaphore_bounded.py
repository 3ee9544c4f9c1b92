"""BoundedSemaphore: release() above the initial value is a ValueError (and
changes nothing); a plain Semaphore just counts up.
"""
import asyncio
from vloop import run, logi


async def main():
    b = asyncio.BoundedSemaphore(2)
    await b.acquire()
    logi("bounded: acquired, value=%d" % b._value)
    b.release()
    logi("bounded: released, value=%d" % b._value)
    try:
        b.release()
    except ValueError as e:
        logi("bounded: ValueError %r, value=%d" % (e.args, b._value))

    s = asyncio.Semaphore(2)
    s.release()
    logi("plain: released without acquiring, value=%d, locked=%s" % (s._value, s.locked()))
    for i in range(3):
        await s.acquire()
    logi("plain: acquired 3, value=%d, locked=%s" % (s._value, s.locked()))

    z = asyncio.Semaphore(0)
    logi("zero: locked=%s" % z.locked())
    t = asyncio.create_task(z.acquire(), name="Z")
    await asyncio.sleep(0)
    z.release()
    logi("zero: released, value=%d, locked=%s" % (z._value, z.locked()))
    logi("zero: acquire -> %s" % await t)


run(main)
