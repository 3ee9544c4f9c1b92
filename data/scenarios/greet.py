# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

# 定义异步函数
async def greet(name: str) -> str:
    """异步打招呼"""
    await asyncio.sleep(1)  # 模拟耗时操作
    return f"Hello, {name}!"

# 调用异步函数
async def main():
    # 方式1: 直接 await
    result1 = await greet("Python")
    print(result1)

    # 方式2: 创建任务
    task = asyncio.create_task(greet("JavaScript"))
    result2 = await task
    print(result2)

asyncio.run(main())
