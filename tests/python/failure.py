# SPDX-License-Identifier: MIT
import asyncio


async def boom():
    await asyncio.sleep(0.5)
    raise ValueError("boom")


async def missing():
    await asyncio.sleep(0.25)
    raise FileNotFoundError("missing.txt")


async def main():
    t = asyncio.create_task(boom())
    try:
        await t
    except ValueError as e:
        print(f"caught {e}")
    try:
        await asyncio.create_task(missing())
    except OSError as e:
        print(f"caught {type(e).__name__}: {e}")
    results = await asyncio.gather(boom(), asyncio.sleep(1, "ok"), return_exceptions=True)
    print(len(results))
    await boom()


asyncio.run(main())
