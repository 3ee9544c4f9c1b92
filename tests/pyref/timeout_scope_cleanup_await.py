"""async with asyncio.timeout(1) whose body catches the CancelledError,
awaits a 0.2 s cleanup and re-raises: the TimeoutError comes out of the
scope at t=1.2 (the conversion happens at __aexit__, after the cleanup).
"""
import asyncio
from vloop import run, log


async def main():
    try:
        async with asyncio.timeout(1):
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                log("body: cancelled, cleanup sleep(0.2)")
                await asyncio.sleep(0.2)
                log("body: cleanup done, re-raise")
                raise
    except TimeoutError as e:
        log("main: %s" % type(e).__name__)


run(main)
