# SPDX-License-Identifier: MIT
import asyncio
import concurrent.futures
import time


def work(name, delay):
    time.sleep(delay)
    return name


async def main():
    loop = asyncio.get_running_loop()
    f1 = loop.run_in_executor(None, work, "a", 1)
    f2 = loop.run_in_executor(None, work, "b", 0.5)
    print(await asyncio.gather(f1, f2))
    one = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    g1 = loop.run_in_executor(one, work, "c", 1)
    g2 = loop.run_in_executor(one, work, "d", 0.5)
    g3 = loop.run_in_executor(one, work, "e", 0)
    print(await g3)
    print(await g1, await g2)
    one.shutdown(wait=True)


asyncio.run(main())
