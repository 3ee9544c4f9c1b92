# SPDX-License-Identifier: MIT
import asyncio


async def worker(name, delay):
    print(f"{name} starts")
    await asyncio.sleep(delay)
    print(f"{name} ends")
    return name


async def main():
    await asyncio.sleep(0)
    results = await asyncio.gather(worker("a", 0.5), worker("b", 1), worker("c", 0.25))
    print(results)


asyncio.run(main())
