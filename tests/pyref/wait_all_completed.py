"""asyncio.wait(return_when=ALL_COMPLETED) (the default) returns when every
task is done (t=3), including failed ones; it never raises the tasks'
exceptions.
"""
import asyncio
from vloop import run, log, fmt_exc


async def child(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        log("%s: raising" % name)
        raise ValueError("boom from %s" % name)
    log("%s: done" % name)
    return name


def names(s):
    return "{" + ", ".join(sorted(t.get_name() for t in s)) + "}"


async def main():
    a = asyncio.create_task(child("a", 3), name="a")
    b = asyncio.create_task(child("b", 1, fail=True), name="b")
    c = asyncio.create_task(child("c", 2), name="c")
    done, pending = await asyncio.wait([a, b, c],
                                       return_when=asyncio.ALL_COMPLETED)
    log("main: done=%s pending=%s" % (names(done), names(pending)))
    for t in (a, b, c):
        if t.exception() is not None:
            log("main: %s -> %s" % (t.get_name(), fmt_exc(t.exception())))
        else:
            log("main: %s -> %r" % (t.get_name(), t.result()))


run(main)
