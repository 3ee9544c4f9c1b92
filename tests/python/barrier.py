# SPDX-License-Identifier: MIT
import asyncio


async def party(barrier, name, delay):
    await asyncio.sleep(delay)
    print(f"{name} arrives")
    index = await barrier.wait()
    print(f"{name} passes ({index})")


async def main():
    barrier = asyncio.Barrier(3)
    parties = [asyncio.create_task(party(barrier, n, d))
               for n, d in (("a", 0.5), ("b", 1), ("c", 1.5))]
    await asyncio.gather(*parties)


asyncio.run(main())
