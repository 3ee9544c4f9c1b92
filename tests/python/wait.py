# SPDX-License-Identifier: MIT
import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    jobs = [asyncio.create_task(job(d)) for d in (1, 2, 3)]
    done, pending = await asyncio.wait(jobs, return_when=asyncio.FIRST_COMPLETED)
    print(len(done), len(pending))
    done, pending = await asyncio.wait(jobs, timeout=0.5)
    print(len(done), len(pending))
    done, pending = await asyncio.wait(jobs)
    print(len(done), len(pending))


asyncio.run(main())
