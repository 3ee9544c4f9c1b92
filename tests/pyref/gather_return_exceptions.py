"""gather(return_exceptions=True): exceptions become list entries (in
argument order) and gather waits for all children.  A child cancelled with
a message appears as a NEW CancelledError built from the child's
_cancel_message; for a Task that ended by raising CancelledError this is
None (Future.cancel() is called without msg), so the entry is
CancelledError('') -- an empty-string arg, not the 'stop' message.
"""
import asyncio
from vloop import run, log, fmt_exc


async def child(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError("boom from %s" % name)
    return name


async def main():
    a = asyncio.create_task(child("a", 3), name="a")
    b = asyncio.create_task(child("b", 1, fail=True), name="b")
    c = asyncio.create_task(child("c", 5), name="c")
    d = asyncio.create_task(child("d", 2), name="d")
    g = asyncio.gather(a, b, c, d, return_exceptions=True)
    await asyncio.sleep(1.5)
    log("main: c.cancel('stop') -> %s" % c.cancel("stop"))
    r = await g
    for name, x in zip("abcd", r):
        if isinstance(x, BaseException):
            log("main: %s -> %s" % (name, fmt_exc(x)))
        else:
            log("main: %s -> %r" % (name, x))


run(main)
