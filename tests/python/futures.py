# SPDX-License-Identifier: MIT
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    loop.call_later(1, future.set_result, "value")
    print(await future)
    other = loop.create_future()
    other.add_done_callback(lambda f: print("callback", f.result()))
    loop.call_soon(other.set_result, 2)
    await asyncio.sleep(0)
    await asyncio.sleep(0)


asyncio.run(main())
