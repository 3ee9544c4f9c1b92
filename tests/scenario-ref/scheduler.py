# What the chapter means, with its retries and cancellation working (see the
# scenario notes), on the loop's clock instead of datetime.now(); from 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio
from datetime import datetime, timedelta


def now_s():
    return asyncio.get_running_loop().time()
from typing import Callable, Optional
import enum

class TaskStatus(enum.Enum):
    """任务状态"""
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class ScheduledTask:
    """定时任务"""

    def __init__(
        self,
        name: str,
        func: Callable,
        run_at: datetime,
        max_retries: int = 0
    ):
        self.name = name
        self.func = func
        self.run_at = run_at
        self.max_retries = max_retries
        self.retries = 0
        self.status = TaskStatus.PENDING
        self.result = None
        self.error = None
        self.task: Optional[asyncio.Task] = None

    async def execute(self) -> None:
        """执行任务"""
        self.status = TaskStatus.RUNNING
        print(f"[{self.name}] 开始执行")

        try:
            result = await self.func()
            self.result = result
            self.status = TaskStatus.COMPLETED
            print(f"[{self.name}] 执行成功")
        except Exception as e:
            self.error = e
            print(f"[{self.name}] 执行失败: {e}")

            # 重试逻辑
            if self.retries < self.max_retries:
                self.retries += 1
                print(f"[{self.name}] 重试 {self.retries}/{self.max_retries}")
                self.status = TaskStatus.PENDING
                self.run_at = now_s() + 5
            else:
                self.status = TaskStatus.FAILED
                print(f"[{self.name}] 达到最大重试次数,放弃")

    def cancel(self) -> None:
        """取消任务"""
        if self.status in (TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED):
            return
        if self.task and not self.task.done():
            self.task.cancel()
        self.status = TaskStatus.CANCELLED
        print(f"[{self.name}] 已取消")


class AsyncTaskScheduler:
    """异步任务调度器"""

    def __init__(self):
        """初始化调度器"""
        self.tasks: list[ScheduledTask] = []
        self.running = False
        self.worker_task: Optional[asyncio.Task] = None

    def schedule(
        self,
        name: str,
        func: Callable,
        delay: float = 0,
        max_retries: int = 0
    ) -> ScheduledTask:
        """
        添加定时任务

        Args:
            name: 任务名称
            func: 异步函数
            delay: 延迟时间(秒)
            max_retries: 最大重试次数

        Returns:
            ScheduledTask 实例
        """
        run_at = now_s() + delay
        task = ScheduledTask(name, func, run_at, max_retries)
        self.tasks.append(task)
        print(f"[调度器] 已添加任务: {name} (延迟 {delay}秒)")
        return task

    async def _worker(self):
        """工作协程"""
        while self.running or self.tasks:
            now = now_s()

            # 找到到期的任务 (it stays listed, so a retry can run again)
            for task in self.tasks[:]:
                if task.run_at <= now and task.status == TaskStatus.PENDING:
                    task.status = TaskStatus.RUNNING
                    task.task = asyncio.create_task(task.execute())

            # 清理已完成/失败的任务
            self.tasks = [
                t for t in self.tasks
                if t.status in [TaskStatus.PENDING, TaskStatus.RUNNING]
            ]

            await asyncio.sleep(0.1)  # 避免忙等待

    async def start(self):
        """启动调度器"""
        if self.running:
            return

        self.running = True
        print("[调度器] 启动")
        self.worker_task = asyncio.create_task(self._worker())

    async def stop(self):
        """停止调度器"""
        self.running = False
        print("[调度器] 停止中...")

        if self.worker_task:
            await self.worker_task

        # 取消所有待执行的任务
        for task in self.tasks:
            if task.status == TaskStatus.PENDING:
                task.cancel()

        print("[调度器] 已停止")

    async def wait_until_complete(self, timeout: Optional[float] = None):
        """等待所有任务完成"""
        start = now_s()

        while self.tasks:
            if timeout and now_s() - start > timeout:
                print("[调度器] 等待超时")
                break
            await asyncio.sleep(0.5)

        print("[调度器] 所有任务已完成")


# 使用示例
async def sample_task(name: str, duration: float, fail: bool = False):
    """示例任务"""
    print(f"[{name}] 开始执行...")
    await asyncio.sleep(duration)

    if fail:
        raise RuntimeError(f"{name} 模拟失败")

    print(f"[{name}] 执行完成")
    return f"{name} 的结果"


async def main():
    """主函数"""
    scheduler = AsyncTaskScheduler()
    await scheduler.start()

    # 添加各种任务
    scheduler.schedule("任务1", lambda: sample_task("任务1", 1), delay=1)
    scheduler.schedule("任务2", lambda: sample_task("任务2", 2), delay=2)
    scheduler.schedule(
        "任务3(会失败)",
        lambda: sample_task("任务3", 1, fail=True),
        delay=3,
        max_retries=2
    )
    scheduler.schedule("任务4", lambda: sample_task("任务4", 1), delay=10)

    # 等待大部分任务完成
    await asyncio.sleep(8)

    # 取消未执行的任务
    pending = [t for t in scheduler.tasks if t.status == TaskStatus.PENDING]
    for task in pending:
        task.cancel()

    await scheduler.stop()


if __name__ == "__main__":
    asyncio.run(main())
