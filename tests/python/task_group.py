# SPDX-License-Identifier: MIT
import asyncio


async def child(name, delay):
    print(f"{name} starts")
    await asyncio.sleep(delay)
    print(f"{name} ends")
    return name


async def main():
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(child("a", 0.5))
        b = tg.create_task(child("b", 1))
        await asyncio.sleep(0.25)
        print("body done")
    print(f"{a.result()} {b.result()}")


asyncio.run(main())
