# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio
import random

async def fetch_data(id: int) -> dict:
    """模拟获取数据"""
    delay = random.uniform(0.5, 2.0)
    await asyncio.sleep(delay)
    return {"id": id, "data": f"数据{id}", "delay": delay}

async def process_data(data: dict) -> None:
    """处理数据"""
    await asyncio.sleep(0.5)
    print(f"处理: {data}")

async def main():
    """主函数"""
    # 串行执行
    print("=== 串行执行 ===")
    start = asyncio.get_event_loop().time()
    data1 = await fetch_data(1)
    await process_data(data1)
    data2 = await fetch_data(2)
    await process_data(data2)
    print(f"耗时: {asyncio.get_event_loop().time() - start:.2f}\n")

    # 并发执行
    print("=== 并发执行 ===")
    start = asyncio.get_event_loop().time()
    task1 = asyncio.create_task(fetch_data(1))
    task2 = asyncio.create_task(fetch_data(2))
    data1, data2 = await asyncio.gather(task1, task2)
    await process_data(data1)
    await process_data(data2)
    print(f"耗时: {asyncio.get_event_loop().time() - start:.2f}秒")

asyncio.run(main())
