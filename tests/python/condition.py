# SPDX-License-Identifier: MIT
import asyncio


async def consumer(cond, items, name):
    async with cond:
        await cond.wait_for(lambda: items)
        print(f"{name} took {items.pop()}")


async def main():
    cond = asyncio.Condition()
    items = []
    consumers = [asyncio.create_task(consumer(cond, items, n)) for n in ("a", "b")]
    await asyncio.sleep(1)
    async with cond:
        items.append(1)
        cond.notify()
    await asyncio.sleep(1)
    async with cond:
        items.append(2)
        cond.notify_all()
    await asyncio.gather(*consumers)


asyncio.run(main())
