# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
# 同步代码 - 按顺序执行
import time

def sync_task(name: str, duration: float):
    """同步任务"""
    print(f"{name} 开始")
    time.sleep(duration)  # 阻塞等待
    print(f"{name} 完成")

start = time.time()
sync_task("任务1", 2)
sync_task("任务2", 1)
sync_task("任务3", 1.5)
print(f"总耗时: {time.time() - start:.2f}秒")
# 输出:总耗时: 4.50秒(2 + 1 + 1.5)

# 异步代码 - 并发执行
import asyncio

async def async_task(name: str, duration: float):
    """异步任务"""
    print(f"{name} 开始")
    await asyncio.sleep(duration)  # 非阻塞等待
    print(f"{name} 完成")

async def main():
    start = time.time()
    # 并发执行多个任务
    await asyncio.gather(
        async_task("任务1", 2),
        async_task("任务2", 1),
        async_task("任务3", 1.5)
    )
    print(f"总耗时: {time.time() - start:.2f}秒")

asyncio.run(main())
# 输出:总耗时: 2.00秒(取最长的任务时间)
