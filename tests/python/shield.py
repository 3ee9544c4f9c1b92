# SPDX-License-Identifier: MIT
import asyncio


async def inner():
    await asyncio.sleep(1)
    print("inner done")
    return 1


async def main():
    task = asyncio.create_task(inner())
    try:
        await asyncio.wait_for(asyncio.shield(task), timeout=0.5)
    except asyncio.TimeoutError:
        print("the shielded wait timed out")
    print(await task)


asyncio.run(main())
