# SPDX-License-Identifier: MIT
import asyncio


async def producer(queue):
    for i in range(4):
        await queue.put(i)
        print(f"put {i}")
    await queue.join()
    print("all done")


async def consumer(queue, name):
    while True:
        item = await queue.get()
        await asyncio.sleep(0.5)
        print(f"{name} got {item}")
        queue.task_done()


async def main():
    queue = asyncio.Queue(maxsize=2)
    p = asyncio.create_task(producer(queue))
    consumers = [asyncio.create_task(consumer(queue, n)) for n in ("a", "b")]
    await p
    for c in consumers:
        c.cancel()
    await asyncio.gather(*consumers, return_exceptions=True)
    pq = asyncio.PriorityQueue()
    for item in (3, 1, 2):
        pq.put_nowait(item)
    print([pq.get_nowait() for _ in range(3)])
    lq = asyncio.LifoQueue()
    for item in (1, 2, 3):
        lq.put_nowait(item)
    print([lq.get_nowait() for _ in range(3)])


asyncio.run(main())
