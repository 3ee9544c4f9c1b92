# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

async def task_with_cleanup(name: str):
    """带清理的任务"""
    try:
        print(f"{name}: 开始")
        for i in range(10):
            await asyncio.sleep(1)
            print(f"{name}: 步骤 {i+1}/10")
    except asyncio.CancelledError:
        print(f"{name}: 被取消,执行清理...")
        await asyncio.sleep(0.5)
        print(f"{name}: 清理完成")
        raise

async def main():
    """主函数"""

    # 创建任务
    task = asyncio.create_task(task_with_cleanup("任务"))

    # 3秒后取消
    await asyncio.sleep(3)
    print("取消任务")
    task.cancel()

    try:
        await task
    except asyncio.CancelledError:
        print("任务已取消")

asyncio.run(main())
