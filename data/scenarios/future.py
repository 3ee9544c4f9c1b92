# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

async def set_future(future: asyncio.Future):
    """设置 Future 的值"""
    print("开始工作...")
    await asyncio.sleep(2)
    future.set_result("工作完成")
    print("Future 已设置")

async def wait_for_future(future: asyncio.Future):
    """等待 Future"""
    print("等待 Future...")
    result = await future
    print(f"Future 结果: {result}")

async def main():
    """主函数"""

    # 创建 Future
    future = asyncio.Future()

    # 同时运行设置和等待
    await asyncio.gather(
        set_future(future),
        wait_for_future(future)
    )

asyncio.run(main())
