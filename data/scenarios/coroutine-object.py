# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio
from typing import Coroutine

# 定义协程
async def coroutine_function():
    """协程函数"""
    print("协程开始")
    await asyncio.sleep(1)
    print("协程结束")
    return "协程结果"

# 协程不会自动执行
coro = coroutine_function()
print(coro)  # <coroutine object coroutine_function at 0x...>
print(type(coro))  # <class 'coroutine'>

# 需要通过事件循环运行
async def main():
    result = await coro
    print(result)

asyncio.run(main())
