# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

async def background_task(name: str, duration: float):
    """后台任务"""
    print(f"{name} 开始")
    await asyncio.sleep(duration)
    print(f"{name} 完成")
    return f"{name} 结果"

async def main():
    """主函数"""

    # 创建任务
    task1 = asyncio.create_task(background_task("任务1", 2))
    task2 = asyncio.create_task(background_task("任务2", 1))

    # 检查任务状态
    print(f"task1.done(): {task1.done()}")
    print(f"task2.done(): {task2.done()}")

    # 等待任务完成
    await task1
    await task2

    print(f"task1.done(): {task1.done()}")
    print(f"task2.done(): {task2.done()}")

    # 获取结果
    print(f"task1.result(): {task1.result()}")
    print(f"task2.result(): {task2.result()}")

asyncio.run(main())
