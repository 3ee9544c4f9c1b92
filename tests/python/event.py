# SPDX-License-Identifier: MIT
import asyncio


async def waiter(event, name):
    print(f"{name} waits")
    await event.wait()
    print(f"{name} woke")


async def main():
    event = asyncio.Event()
    waiters = [asyncio.create_task(waiter(event, n)) for n in ("a", "b", "c")]
    await asyncio.sleep(1)
    waiters[2].cancel()
    await asyncio.sleep(0)
    event.set()
    event.set()
    await asyncio.gather(*waiters, return_exceptions=True)
    await event.wait()
    event.clear()
    print(event.is_set())


asyncio.run(main())
