# SPDX-License-Identifier: MIT
import asyncio


async def worker(sem, name):
    async with sem:
        print(f"{name} in")
        await asyncio.sleep(1)
    print(f"{name} out")


async def main():
    sem = asyncio.Semaphore(2)
    workers = [asyncio.create_task(worker(sem, n)) for n in ("a", "b", "c", "d")]
    await asyncio.sleep(0.5)
    workers[3].cancel()
    await asyncio.gather(*workers, return_exceptions=True)
    bounded = asyncio.BoundedSemaphore(1)
    await bounded.acquire()
    bounded.release()
    try:
        bounded.release()
    except ValueError as e:
        print(f"ValueError: {e}")


asyncio.run(main())
