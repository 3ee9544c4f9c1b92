# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio
import random

async def producer(queue: asyncio.Queue, name: str):
    """生产者"""
    for i in range(5):
        item = f"{name}-商品{i}"
        await queue.put(item)
        print(f"{name}: 生产 {item}")
        await asyncio.sleep(random.uniform(0.1, 0.5))

async def consumer(queue: asyncio.Queue, name: str):
    """消费者"""
    while True:
        item = await queue.get()
        print(f"{name}: 消费 {item}")
        await asyncio.sleep(random.uniform(0.2, 0.8))
        queue.task_done()

async def main():
    """主函数"""
    queue = asyncio.Queue(maxsize=10)

    # 创建生产者和消费者
    producers = [
        asyncio.create_task(producer(queue, f"生产者{i}"))
        for i in range(2)
    ]

    consumers = [
        asyncio.create_task(consumer(queue, f"消费者{i}"))
        for i in range(3)
    ]

    # 等待所有生产者完成
    await asyncio.gather(*producers)

    # 等待队列中的所有项目被处理
    await queue.join()

    # 取消消费者
    for c in consumers:
        c.cancel()

asyncio.run(main())
