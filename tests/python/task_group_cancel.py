# SPDX-License-Identifier: MIT
import asyncio


async def child(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise
    return name


async def parent():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(child("a", 2))
        tg.create_task(child("b", 3))
    print("not reached")


async def main():
    p = asyncio.create_task(parent())
    await asyncio.sleep(1)
    p.cancel()  # while `async with` waits for its tasks
    try:
        await p
    except asyncio.CancelledError:
        print(f"parent cancelled: {p.cancelled()}")


asyncio.run(main())
