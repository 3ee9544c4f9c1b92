# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
# Python
import asyncio

async def fetch_data(id: int):
    await asyncio.sleep(1)
    return f"数据{id}"

async def main():
    results = await asyncio.gather(
        fetch_data(1),
        fetch_data(2),
        fetch_data(3)
    )
    print(results)

asyncio.run(main())

# 关键区别: a runnable version of the chapter's sketch (Loopscope's addition)
async def some_coroutine():
    print("协程开始执行")
    await asyncio.sleep(0.5)
    return "完成"

async def main2():
    # 创建任务(不会立即执行)
    task = asyncio.create_task(some_coroutine())
    print("任务已创建")
    # 直接调用协程函数: 只得到协程对象,什么也不执行
    coro = some_coroutine()
    print("协程对象已创建")
    # 需要等待才会执行
    await task
    print(await coro)

asyncio.run(main2())
