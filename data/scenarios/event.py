# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

async def waiter(event: asyncio.Event, name: str):
    """等待事件"""
    print(f"{name}: 等待事件...")
    await event.wait()
    print(f"{name}: 事件已触发!")

async def setter(event: asyncio.Event):
    """触发事件"""
    print("触发器: 等待3秒...")
    await asyncio.sleep(3)
    print("触发器: 触发事件!")
    event.set()

async def main():
    """主函数"""
    event = asyncio.Event()

    # 创建多个等待任务
    waiters = [
        waiter(event, f"等待者{i}")
        for i in range(3)
    ]

    # 创建触发任务
    setter_task = asyncio.create_task(setter(event))

    # 运行所有任务
    await asyncio.gather(*waiters, setter_task)

asyncio.run(main())
