# SPDX-License-Identifier: MIT
import asyncio


async def worker(lock, name, hold):
    async with lock:
        print(f"{name} holds the lock")
        await asyncio.sleep(hold)
    print(f"{name} let it go")


async def main():
    lock = asyncio.Lock()
    a = asyncio.create_task(worker(lock, "a", 1))
    b = asyncio.create_task(worker(lock, "b", 1))
    c = asyncio.create_task(worker(lock, "c", 1))
    await asyncio.sleep(0.5)
    c.cancel()  # cancelled while it waits
    await asyncio.gather(a, b, c, return_exceptions=True)

    # handed the lock, then cancelled before it runs: the next one gets it
    await lock.acquire()
    d = asyncio.create_task(worker(lock, "d", 0))
    e = asyncio.create_task(worker(lock, "e", 0))
    await asyncio.sleep(0)
    lock.release()
    d.cancel()
    await asyncio.gather(d, e, return_exceptions=True)
    print("done")


asyncio.run(main())
