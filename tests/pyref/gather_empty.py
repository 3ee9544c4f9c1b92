"""gather() with no arguments returns an already-completed future with
result []: awaiting it does not suspend (same iteration).
"""
import asyncio
from vloop import run, logi


async def main():
    g = asyncio.gather()
    logi("main: gather() done=%s" % g.done())
    r = await g
    logi("main: await gather() -> %r" % r)


run(main)
