"""Task result()/exception().

result() of a pending task raises InvalidStateError; of a finished task
returns the value (exception() -> None).  For a task whose coroutine raised,
exception() returns the exception object and result() re-raises it;
awaiting the failed task re-raises the same exception object in the
awaiter.  done() is True, cancelled() False in both cases.
"""
import asyncio
from vloop import run, log, fmt_exc


async def ok():
    await asyncio.sleep(1)
    return 7


async def bad():
    await asyncio.sleep(2)
    raise ValueError("boom")


async def main():
    t_ok = asyncio.create_task(ok(), name="ok")
    t_bad = asyncio.create_task(bad(), name="bad")
    try:
        t_ok.result()
    except asyncio.InvalidStateError as e:
        log("ok.result() while pending: %s" % type(e).__name__)
    r = await t_ok
    log("await ok -> %r" % r)
    log("ok: done=%s cancelled=%s result=%r exception=%r"
        % (t_ok.done(), t_ok.cancelled(), t_ok.result(), t_ok.exception()))
    try:
        await t_bad
    except ValueError as e:
        log("await bad raised %s" % fmt_exc(e))
        log("same object as bad.exception(): %s" % (e is t_bad.exception()))
    log("bad: done=%s cancelled=%s exception=%s"
        % (t_bad.done(), t_bad.cancelled(), fmt_exc(t_bad.exception())))
    try:
        t_bad.result()
    except ValueError as e:
        log("bad.result() raised %s" % fmt_exc(e))


run(main)
