# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio
from typing import Set

async def worker(name: str, running: asyncio.Event):
    """工作协程"""
    print(f"{name}: 启动")
    while running.is_set():
        print(f"{name}: 工作中...")
        await asyncio.sleep(1)
    print(f"{name}: 关闭")

async def main():
    """主函数"""
    running = asyncio.Event()
    running.set()

    # 启动多个工作协程
    workers = [
        asyncio.create_task(worker(f"Worker{i}", running))
        for i in range(3)
    ]

    print("运行5秒...")
    await asyncio.sleep(5)

    print("停止所有工作...")
    running.clear()

    # 等待所有工作完成
    await asyncio.gather(*workers)
    print("所有工作已停止")

asyncio.run(main())
