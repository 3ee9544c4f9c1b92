# SPDX-License-Identifier: MIT
import asyncio


async def child(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise
    return name


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("a", 1))
            tg.create_task(child("b", 2))
            await asyncio.sleep(0.5)
            raise RuntimeError("body failed")
    except* RuntimeError as eg:
        print(f"caught {eg.exceptions[0]}")


asyncio.run(main())
