# SPDX-License-Identifier: MIT
import asyncio


async def slow(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    print(await asyncio.wait_for(asyncio.create_task(slow(0.5)), timeout=1))
    try:
        await asyncio.wait_for(asyncio.create_task(slow(2)), timeout=1)
    except asyncio.TimeoutError:
        print("timed out")


asyncio.run(main())
