# SPDX-License-Identifier: MIT
import asyncio
import time


def blocking(name, delay):
    time.sleep(delay)
    return name.upper()


def failing():
    time.sleep(0.5)
    raise ValueError("no")


async def ticker():
    for i in range(5):
        await asyncio.sleep(0.25)
        print(f"tick {i}")


async def main():
    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    print(await asyncio.to_thread(blocking, "a", 1))
    print(await asyncio.to_thread(blocking, "b", 0))
    try:
        await asyncio.to_thread(failing)
    except ValueError as e:
        print(f"caught {e}")
    await t


asyncio.run(main())
