# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

async def task1():
    """任务1"""
    print("任务1 开始")
    await asyncio.sleep(1)
    print("任务1 完成")
    return "结果1"

async def task2():
    """任务2"""
    print("任务2 开始")
    await asyncio.sleep(2)
    print("任务2 完成")
    return "结果2"

async def main():
    """主函数"""
    # 获取当前事件循环
    loop = asyncio.get_running_loop()
    print(f"事件循环: {loop}")

    # 创建任务
    t1 = asyncio.create_task(task1())
    t2 = asyncio.create_task(task2())

    # 等待任务完成
    result1 = await t1
    result2 = await t2

    print(f"结果1: {result1}, 结果2: {result2}")

asyncio.run(main())
