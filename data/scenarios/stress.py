# Loopscope's stress scenario (not from the chapter): many tasks, many waits.
import asyncio
import random

async def worker(gate: asyncio.Semaphore, rounds: int):
    for i in range(rounds):
        if i % 4 == 0:
            async with gate:  # now and then through a narrow gate
                await asyncio.sleep(random.uniform(0.001, 0.01))
        else:
            await asyncio.sleep(random.uniform(0.01, 0.5))

async def main():
    gate = asyncio.Semaphore(100)
    tasks = [asyncio.create_task(worker(gate, 12)) for _ in range(10000)]
    await asyncio.gather(*tasks)
    print(f"{len(tasks)} tasks done")

asyncio.run(main())
