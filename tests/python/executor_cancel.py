# SPDX-License-Identifier: MIT
import asyncio
import concurrent.futures
import time


def work(name, delay):
    time.sleep(delay)
    return name


async def main():
    loop = asyncio.get_running_loop()
    one = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    f1 = loop.run_in_executor(one, work, "a", 1)
    f2 = loop.run_in_executor(one, work, "b", 1)
    await asyncio.sleep(0.5)
    print(f2.cancel())  # no thread has taken it: it never runs
    print(await f1)
    await asyncio.sleep(0)
    print(f2.cancelled())
    one.shutdown(wait=True)


asyncio.run(main())
