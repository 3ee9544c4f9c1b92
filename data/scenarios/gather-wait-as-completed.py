# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

async def task(name: str, delay: float):
    """任务"""
    print(f"{name} 开始")
    await asyncio.sleep(delay)
    print(f"{name} 完成")
    return f"{name} 结果"

async def main():
    """主函数"""

    # 方式1: asyncio.gather - 并行执行多个协程
    print("=== gather ===")
    results = await asyncio.gather(
        task("A", 1),
        task("B", 2),
        task("C", 1.5)
    )
    print(f"结果: {results}")

    # 方式2: asyncio.wait - 等待一组任务完成
    print("\n=== wait ===")
    tasks = [
        asyncio.create_task(task("D", 1)),
        asyncio.create_task(task("E", 2))
    ]
    done, pending = await asyncio.wait(tasks)
    for task in done:
        print(f"完成: {task.result()}")

    # 方式3: asyncio.wait_for - 带超时的等待
    print("\n=== wait_for ===")
    try:
        result = await asyncio.wait_for(task("F", 5), timeout=2)
        print(f"结果: {result}")
    except asyncio.TimeoutError:
        print("任务超时")

    # 方式4: asyncio.as_completed - 按完成顺序处理
    print("\n=== as_completed ===")
    tasks = [
        asyncio.create_task(task("G", 3)),
        asyncio.create_task(task("H", 1)),
        asyncio.create_task(task("I", 2))
    ]
    for coro in asyncio.as_completed(tasks):
        result = await coro
        print(f"完成: {result}")

asyncio.run(main())
