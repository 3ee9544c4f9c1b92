# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

class AsyncResource:
    """异步资源"""

    async def __aenter__(self):
        """进入上下文"""
        print("获取资源...")
        await asyncio.sleep(0.5)  # 模拟异步获取
        return self

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        """退出上下文"""
        print("释放资源...")
        await asyncio.sleep(0.5)  # 模拟异步释放
        return False

async def main():
    """使用异步上下文管理器"""
    async with AsyncResource() as resource:
        print("使用资源...")
        await asyncio.sleep(1)

asyncio.run(main())
