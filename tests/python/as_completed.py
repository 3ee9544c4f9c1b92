# SPDX-License-Identifier: MIT
import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    jobs = [asyncio.create_task(job(d)) for d in (3, 1, 2)]
    for next_done in asyncio.as_completed(jobs):
        print(await next_done)


asyncio.run(main())
