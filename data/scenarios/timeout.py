# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

async def slow_operation(name: str, duration: float):
    """慢操作"""
    print(f"{name}: 开始 ({duration}秒)")
    await asyncio.sleep(duration)
    print(f"{name}: 完成")
    return f"{name} 结果"

async def main():
    """主函数"""

    # 方式1: wait_for
    try:
        result = await asyncio.wait_for(
            slow_operation("任务1", 5),
            timeout=2
        )
        print(f"结果: {result}")
    except asyncio.TimeoutError:
        print("任务1 超时")

    # 方式2: timeout(Python 3.11+)
    async with asyncio.timeout(2):
        await slow_operation("任务2", 5)

asyncio.run(main())
