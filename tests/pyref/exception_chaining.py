"""Where CPython chains exceptions, and where it hands out one object twice.

1. wait_for times out: `raise TimeoutError() from exc`, exc being the
   CancelledError fut.result() raised, i.e. the very one the inner task
   raised (a task hands its CancelledError out once): __cause__ and
   __context__ are that object and __suppress_context__ is True.
2. asyncio.timeout(): `raise TimeoutError from exc_val`, the CancelledError
   that came out of the body.
3. A failed task raises the same exception object each time it is awaited
   and from exception(); gather() and shield() pass that object on too.
4. An exception raised with `raise ... from ...` keeps its cause through a
   task and a future.
"""
import asyncio
from vloop import run, logi, fmt_exc

seen = {}


async def inner():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError as e:
        seen["inner"] = e
        raise


async def fail():
    await asyncio.sleep(0)
    raise ValueError("boom")


async def fail_from():
    try:
        int("x")
    except ValueError as e:
        raise RuntimeError("parse failed") from e


def chain(e):
    return "%s cause=%s context=%s suppress=%s" % (
        fmt_exc(e), fmt_exc(e.__cause__) if e.__cause__ else None,
        fmt_exc(e.__context__) if e.__context__ else None, e.__suppress_context__)


async def main():
    t = asyncio.create_task(inner(), name="inner")
    try:
        await asyncio.wait_for(t, 1)
    except TimeoutError as e:
        logi("1: " + chain(e))
        logi("1: cause is the inner CancelledError: %s, is context: %s"
             % (e.__cause__ is seen["inner"], e.__cause__ is e.__context__))

    try:
        async with asyncio.timeout(1):
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError as c:
                seen["body"] = c
                raise
    except TimeoutError as e:
        logi("2: " + chain(e))
        logi("2: cause is the body's CancelledError: %s" % (e.__cause__ is seen["body"]))

    t = asyncio.create_task(fail(), name="fail")
    errors = []
    for _ in range(2):
        try:
            await t
        except ValueError as e:
            errors.append(e)
    try:
        await asyncio.gather(t)
    except ValueError as e:
        errors.append(e)
    try:
        await asyncio.shield(t)
    except ValueError as e:
        errors.append(e)
    logi("3: %s, same object every time: %s"
         % (fmt_exc(errors[0]), all(e is t.exception() for e in errors)))

    t = asyncio.create_task(fail_from(), name="fail_from")
    fut = asyncio.get_running_loop().create_future()
    try:
        await t
    except RuntimeError as e:
        fut.set_exception(e)
    try:
        await fut
    except RuntimeError as e:
        logi("4: " + chain(e))
        logi("4: is the task's exception: %s" % (e is t.exception()))


run(main)
