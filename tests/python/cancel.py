# SPDX-License-Identifier: MIT
import asyncio


async def sleeper(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise


async def waiter(task):
    await task


async def main():
    a = asyncio.create_task(sleeper("a"))
    b = asyncio.create_task(sleeper("b"))
    print(b.cancel())  # before it starts: its coroutine never runs
    await asyncio.sleep(1)
    w = asyncio.create_task(waiter(a))
    await asyncio.sleep(0)
    print(w.cancel("stop"))  # and so a, which it awaits
    for t in (a, b, w):
        try:
            await t
        except asyncio.CancelledError:
            print("cancelled:", t.cancelled())


asyncio.run(main())
