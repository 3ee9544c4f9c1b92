"""Semaphore(-1), BoundedSemaphore(-1) and Barrier(0) raise ValueError
when they are made; Semaphore(0) and Barrier(1) are fine."""
import asyncio
from vloop import run, logi, fmt_exc


def make(label, fn):
    try:
        fn()
        logi("%s -> made" % label)
    except ValueError as e:
        logi("%s -> %s" % (label, fmt_exc(e)))


async def main():
    make("Semaphore(-1)", lambda: asyncio.Semaphore(-1))
    make("BoundedSemaphore(-1)", lambda: asyncio.BoundedSemaphore(-1))
    make("Semaphore(0)", lambda: asyncio.Semaphore(0))
    make("Barrier(0)", lambda: asyncio.Barrier(0))
    make("Barrier(-2)", lambda: asyncio.Barrier(-2))
    make("Barrier(1)", lambda: asyncio.Barrier(1))


run(main)
