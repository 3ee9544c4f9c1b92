# SPDX-License-Identifier: MIT
import asyncio
import time


async def ticker():
    for i in range(3):
        await asyncio.sleep(0.5)
        print(f"tick {i}")


async def main():
    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    time.sleep(1)  # the whole loop waits
    print("woke")
    await t


asyncio.run(main())
