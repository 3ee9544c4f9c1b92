# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio

class SharedResource:
    """共享资源"""

    def __init__(self):
        self.value = 0
        self.lock = asyncio.Lock()

    async def increment(self, name: str):
        """增加值"""
        async with self.lock:
            print(f"{name}: 获取锁")
            current = self.value
            await asyncio.sleep(0.1)  # 模拟耗时操作
            self.value = current + 1
            print(f"{name}: 值变为 {self.value}")
            print(f"{name}: 释放锁")

async def main():
    """主函数"""
    resource = SharedResource()

    # 多个任务并发修改资源
    tasks = [
        resource.increment(f"任务{i}")
        for i in range(5)
    ]
    await asyncio.gather(*tasks)

    print(f"最终值: {resource.value}")  # 应该是 5

asyncio.run(main())
