# SPDX-License-Identifier: MIT
"""The same work as bench-runtime.c, on CPython's asyncio (the baseline).

Output: one line per benchmark, "NAME VALUE UNIT", like the C side.
"""
import asyncio
import os
import sys
import time


def resident_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGESIZE")


async def switch_worker(rounds):
    for _ in range(rounds):
        await asyncio.sleep(0)


async def switch_main(n_tasks, rounds):
    tasks = [asyncio.create_task(switch_worker(rounds)) for _ in range(n_tasks)]
    for t in tasks:
        await t


async def trivial():
    return None


async def sleeper():
    await asyncio.sleep(1.0)


async def spawner(n, func, measure):
    before = resident_bytes() if measure else 0
    tasks = [asyncio.create_task(func()) for _ in range(n)]
    during = 0
    if measure:
        await asyncio.sleep(0)
        await asyncio.sleep(0.5)
        during = resident_bytes()
    for t in tasks:
        await t
    return before, during


async def lock_worker(lock, rounds):
    for _ in range(rounds):
        await lock.acquire()
        await asyncio.sleep(0)
        lock.release()


async def lock_main(n_tasks, rounds):
    lock = asyncio.Lock()
    tasks = [asyncio.create_task(lock_worker(lock, rounds)) for _ in range(n_tasks)]
    for t in tasks:
        await t


ITEM_POOL = 1024


async def queue_producer(q, n, pool):
    for i in range(n):
        await q.put(pool[i & (ITEM_POOL - 1)])


async def queue_consumer(q, n):
    for _ in range(n):
        await q.get()


async def queue_main(maxsize, n, pool):
    q = asyncio.Queue(maxsize)
    producer = asyncio.create_task(queue_producer(q, n, pool))
    consumer = asyncio.create_task(queue_consumer(q, n))
    await producer
    await consumer


def run_queue(label, maxsize, scale):
    n = int(1000000 * scale)
    pool = [1000 + i for i in range(ITEM_POOL)]  # like the C side: items made beforehand
    start = time.perf_counter()
    asyncio.run(queue_main(maxsize, n, pool))
    t = time.perf_counter() - start
    print("%s %.1f ns/item (1 producer, 1 consumer, %d items, maxsize %d, %.3f s)"
          % (label, t * 1e9 / n, n, maxsize, t))


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else "all"
    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    if which in ("all", "switch"):
        n_tasks, rounds = 100, int(10000 * scale)
        start = time.perf_counter()
        asyncio.run(switch_main(n_tasks, rounds))
        t = time.perf_counter() - start
        print("switch %.1f ns/switch (%d switches, %.3f s)"
              % (t * 1e9 / (n_tasks * rounds), n_tasks * rounds, t))
    if which in ("all", "spawn"):
        n = int(100000 * scale)
        start = time.perf_counter()
        asyncio.run(spawner(n, trivial, False))
        t = time.perf_counter() - start
        print("spawn %.1f ns/task (%d tasks, %.3f s)" % (t * 1e9 / n, n, t))
    if which in ("all", "suspend"):
        n = int(100000 * scale)
        start = time.perf_counter()
        before, during = asyncio.run(spawner(n, sleeper, True))
        t = time.perf_counter() - start
        print("suspend %.0f bytes/task (%d tasks suspended at once, %.3f s)"
              % ((during - before) / n, n, t))
    if which in ("all", "lock"):
        n_tasks, rounds = 1000, int(100 * scale)
        start = time.perf_counter()
        asyncio.run(lock_main(n_tasks, rounds))
        t = time.perf_counter() - start
        print("lock %.1f ns/acquire-release (%d tasks x %d rounds, sleep(0) holding it, %.3f s)"
              % (t * 1e9 / (n_tasks * rounds), n_tasks, rounds, t))
    if which in ("all", "queue0"):
        run_queue("queue0", 0, scale)
    if which in ("all", "queue100"):
        run_queue("queue100", 100, scale)


if __name__ == "__main__":
    main()
