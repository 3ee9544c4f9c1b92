# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

async def cancellable_task(name: str, duration: float):
    """可取消的任务"""
    try:
        print(f"{name} 开始")
        for i in range(int(duration * 10)):
            await asyncio.sleep(0.1)
            print(f"{name}: 进度 {i+1}/{int(duration*10)}")
        print(f"{name} 完成")
        return f"{name} 成功"
    except asyncio.CancelledError:
        print(f"{name} 被取消")
        raise  # 重新抛出取消异常

async def main():
    """主函数"""

    # 创建任务
    task = asyncio.create_task(cancellable_task("长时间任务", 10))

    # 等待1秒后取消
    await asyncio.sleep(1)
    print("取消任务...")
    task.cancel()

    try:
        await task
    except asyncio.CancelledError:
        print("任务已被取消")

asyncio.run(main())
