# After 第9章:异步编程基础 (MIT License), section 并发 vs 并行, which explains
# it in comments only; this runnable listing is Loopscope's.
# 并发(Concurrency)- 交替执行: 同一时间段处理多个任务,但任何时刻只执行一个
# Python 异步是并发,不是并行
import asyncio
import time

def cpu_work(seconds: float):
    """CPU 密集型工作: 一直占着线程,中间没有 await"""
    time.sleep(seconds)  # 代表计算: 这期间事件循环无法切换到别的任务

async def cpu_bound(name: str):
    print(f"{name} 开始计算")
    cpu_work(1)
    print(f"{name} 计算完成")

async def io_bound(name: str):
    print(f"{name} 开始等待 I/O")
    await asyncio.sleep(1)  # I/O 等待: 事件循环可以运行别的任务
    print(f"{name} I/O 完成")

async def main():
    start = time.time()
    await asyncio.gather(cpu_bound("A"), cpu_bound("B"))
    print(f"CPU 密集: {time.time() - start:.2f}秒")

    start = time.time()
    await asyncio.gather(io_bound("C"), io_bound("D"))
    print(f"I/O 密集: {time.time() - start:.2f}秒")

asyncio.run(main())
