"""Nested asyncio.timeout() scopes: only the scope whose deadline fired
converts the CancelledError into TimeoutError.
A: outer timeout(2), inner timeout(1): the inner expires at t=1 and raises
   TimeoutError inside the outer scope (caught there); the body then sleeps
   again and the outer expires at t=2 (TimeoutError outside).
B: (starts at t=2) outer timeout(1), inner timeout(3): the OUTER expires at
   t=3 while the body is inside the inner scope; the inner scope lets the CancelledError
   through (its expired() is False) and the outer converts it.
"""
import asyncio
from vloop import run, log


async def main():
    log("-- A")
    try:
        async with asyncio.timeout(2) as outer:
            try:
                async with asyncio.timeout(1) as inner:
                    await asyncio.sleep(5)
            except TimeoutError:
                log("A: inner TimeoutError; inner.expired=%s outer.expired=%s"
                    % (inner.expired(), outer.expired()))
            await asyncio.sleep(5)
    except TimeoutError:
        log("A: outer TimeoutError; outer.expired=%s" % outer.expired())

    log("-- B")
    try:
        async with asyncio.timeout(1) as outer:
            try:
                async with asyncio.timeout(3) as inner:
                    await asyncio.sleep(5)
            except TimeoutError:
                log("B: inner TimeoutError (must not happen)")
            except asyncio.CancelledError:
                log("B: CancelledError out of the inner scope; "
                    "inner.expired=%s" % inner.expired())
                raise
    except TimeoutError:
        log("B: outer TimeoutError; outer.expired=%s" % outer.expired())


run(main)
