# SPDX-License-Identifier: MIT
import asyncio


async def main():
    try:
        async with asyncio.timeout(1):
            await asyncio.sleep(2)
    except TimeoutError:
        print("timed out")
    async with asyncio.timeout(1) as cm:
        await asyncio.sleep(0.5)
    print(cm.expired())


asyncio.run(main())
