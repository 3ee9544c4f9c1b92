# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

async def limited_task(semaphore: asyncio.Semaphore, name: str):
    """受限任务"""
    async with semaphore:
        print(f"{name}: 开始")
        await asyncio.sleep(2)
        print(f"{name}: 完成")

async def main():
    """主函数"""
    # 限制同时运行的任务数量
    semaphore = asyncio.Semaphore(3)

    # 创建10个任务
    tasks = [
        asyncio.create_task(limited_task(semaphore, f"任务{i}"))
        for i in range(10)
    ]

    await asyncio.gather(*tasks)

asyncio.run(main())
