# SPDX-License-Identifier: MIT
import asyncio


async def child(name, delay, fail=False):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise
    if fail:
        raise ValueError(f"{name} failed")
    return name


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(child("a", 2))
            tg.create_task(child("b", 0.5, True))
            tg.create_task(child("c", 3))
            await asyncio.sleep(1)  # the group cancels it at 0.5
            print("not reached")
    except* ValueError as eg:
        print(f"caught {len(eg.exceptions)}: {eg.exceptions[0]}")


asyncio.run(main())
