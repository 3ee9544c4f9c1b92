# After 第9章:异步编程基础 (MIT License), section 并行执行: the chapter's
# gather() example written with asyncio.TaskGroup (Python 3.11), with one
# task failing (Loopscope's listing): the group cancels the others and
# raises an ExceptionGroup.
import asyncio

async def task(name: str, delay: float, fail: bool = False):
    """任务"""
    print(f"{name} 开始")
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"{name} 被取消")
        raise
    if fail:
        raise ValueError(f"{name} 失败")
    print(f"{name} 完成")
    return f"{name} 结果"

async def main():
    """主函数"""
    print("=== TaskGroup ===")
    try:
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(task("A", 1))
            b = tg.create_task(task("B", 2))
            c = tg.create_task(task("C", 1.5, fail=True))
        print(f"结果: {[a.result(), b.result(), c.result()]}")
    except* ValueError as eg:
        for e in eg.exceptions:
            print(f"错误: {e!r}")
    print(f"A: {a.result()}")
    print(f"B 已取消: {b.cancelled()}")

asyncio.run(main())
