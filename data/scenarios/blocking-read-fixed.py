# After 第9章:异步编程基础 (MIT License), section 阻塞 vs 非阻塞: the chapter's
# blocking read, moved off the event loop with asyncio.to_thread (Loopscope's
# listing): now it blocks a worker thread, and the heartbeat keeps ticking.
import asyncio
import time

def blocking_read(filename: str) -> str:
    """阻塞读取文件"""
    with open(filename, 'r') as f:
        time.sleep(1)  # 模拟慢速磁盘: 读取要 1 秒
        return f.read()  # 等待读取完成

async def ticker():
    for i in range(1, 6):
        await asyncio.sleep(0.25)
        print(f"心跳 {i}")

async def main():
    with open("data.txt", "w") as f:
        f.write("一些数据")

    print("=== 在线程中阻塞读取 ===")
    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)  # 让心跳任务先开始
    content = await asyncio.to_thread(blocking_read, "data.txt")
    print(f"读取完成: {content}")
    await t

asyncio.run(main())
