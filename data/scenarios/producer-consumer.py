# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
import asyncio
import random
import time
from typing import Optional


class DataItem:
    """数据项"""
    def __init__(self, id: int, content: str):
        self.id = id
        self.content = content
        self.created_at = time.time()

    def __repr__(self):
        return f"DataItem(id={self.id}, content='{self.content}')"


class Producer:
    """生产者"""

    def __init__(
        self,
        name: str,
        queue: asyncio.Queue,
        production_time: tuple[float, float]
    ):
        self.name = name
        self.queue = queue
        self.production_time = production_time
        self.running = False
        self.produced = 0
        self.task: Optional[asyncio.Task] = None

    async def produce(self, item: DataItem) -> None:
        """
        生产一个数据项

        Args:
            item: 数据项
        """
        # 模拟生产耗时
        delay = random.uniform(*self.production_time)
        await asyncio.sleep(delay)

        await self.queue.put(item)
        self.produced += 1
        print(f"[{self.name}] 生产: {item} (总计: {self.produced})")

    async def run(self, max_items: int = -1) -> None:
        """
        运行生产者

        Args:
            max_items: 最大生产数量(-1 表示无限制)
        """
        self.running = True
        item_id = 1

        try:
            while self.running:
                if max_items > 0 and item_id > max_items:
                    print(f"[{self.name}] 达到最大生产数量")
                    break

                # 检查队列是否已满
                if self.queue.full():
                    print(f"[{self.name}] 队列已满,等待...")
                    await asyncio.sleep(0.5)
                    continue

                item = DataItem(item_id, f"{self.name}-产品{item_id}")
                await self.produce(item)
                item_id += 1

        except asyncio.CancelledError:
            print(f"[{self.name}] 被取消")
        finally:
            print(f"[{self.name}] 停止生产 (总计: {self.produced})")

    def start(self, max_items: int = -1) -> asyncio.Task:
        """
        启动生产者

        Args:
            max_items: 最大生产数量

        Returns:
            异步任务
        """
        self.task = asyncio.create_task(self.run(max_items))
        return self.task

    async def stop(self) -> None:
        """停止生产者"""
        self.running = False
        if self.task and not self.task.done():
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass


class Consumer:
    """消费者"""

    def __init__(
        self,
        name: str,
        queue: asyncio.Queue,
        processing_time: tuple[float, float]
    ):
        self.name = name
        self.queue = queue
        self.processing_time = processing_time
        self.running = False
        self.consumed = 0
        self.task: Optional[asyncio.Task] = None

    async def consume(self) -> None:
        """消费一个数据项"""
        # 模拟处理耗时
        delay = random.uniform(*self.processing_time)
        await asyncio.sleep(delay)

        try:
            item = await asyncio.wait_for(self.queue.get(), timeout=1.0)
            self.consumed += 1
            print(f"[{self.name}] 消费: {item} (总计: {self.consumed})")
            self.queue.task_done()
        except asyncio.TimeoutError:
            # 队列空闲
            pass

    async def run(self) -> None:
        """运行消费者"""
        self.running = True

        try:
            while self.running:
                await self.consume()

        except asyncio.CancelledError:
            print(f"[{self.name}] 被取消")
        finally:
            print(f"[{self.name}] 停止消费 (总计: {self.consumed})")

    def start(self) -> asyncio.Task:
        """启动消费者"""
        self.task = asyncio.create_task(self.run())
        return self.task

    async def stop(self) -> None:
        """停止消费者"""
        self.running = False
        if self.task and not self.task.done():
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass


class ProducerConsumerSystem:
    """生产者-消费者系统"""

    def __init__(
        self,
        queue_size: int = 10,
        num_producers: int = 2,
        num_consumers: int = 3
    ):
        """
        初始化系统

        Args:
            queue_size: 队列大小
            num_producers: 生产者数量
            num_consumers: 消费者数量
        """
        self.queue = asyncio.Queue(maxsize=queue_size)
        self.producers: list[Producer] = []
        self.consumers: list[Consumer] = []
        self.num_producers = num_producers
        self.num_consumers = num_consumers

    def setup(
        self,
        production_time: tuple[float, float] = (0.1, 0.5),
        processing_time: tuple[float, float] = (0.2, 0.8)
    ) -> None:
        """
        设置生产者和消费者

        Args:
            production_time: 生产时间范围
            processing_time: 处理时间范围
        """
        # 创建生产者
        for i in range(self.num_producers):
            producer = Producer(
                f"生产者{i+1}",
                self.queue,
                production_time
            )
            self.producers.append(producer)

        # 创建消费者
        for i in range(self.num_consumers):
            consumer = Consumer(
                f"消费者{i+1}",
                self.queue,
                processing_time
            )
            self.consumers.append(consumer)

    async def start(self, max_items_per_producer: int = 10) -> None:
        """
        启动系统

        Args:
            max_items_per_producer: 每个生产者的最大生产数量
        """
        print("=== 启动生产者-消费者系统 ===")
        print(f"队列大小: {self.queue.maxsize}")
        print(f"生产者数量: {len(self.producers)}")
        print(f"消费者数量: {len(self.consumers)}")
        print()

        # 启动所有生产者和消费者
        producer_tasks = [
            p.start(max_items_per_producer)
            for p in self.producers
        ]

        consumer_tasks = [
            c.start()
            for c in self.consumers
        ]

        # 等待所有生产者完成
        await asyncio.gather(*producer_tasks)

        print("\n=== 所有生产者已完成 ===")

        # 等待队列清空
        print("等待消费者处理剩余项目...")
        await self.queue.join()

        # 停止所有消费者
        for consumer in self.consumers:
            await consumer.stop()

        # 打印统计
        print("\n=== 统计信息 ===")
        total_produced = sum(p.produced for p in self.producers)
        total_consumed = sum(c.consumed for c in self.consumers)
        print(f"总生产量: {total_produced}")
        print(f"总消费量: {total_consumed}")
        print(f"队列剩余: {self.queue.qsize()}")


# 使用示例
async def main():
    """主函数"""

    # 创建系统
    system = ProducerConsumerSystem(
        queue_size=10,
        num_producers=2,
        num_consumers=3
    )

    # 设置生产者和消费者
    system.setup(
        production_time=(0.2, 0.8),  # 生产需要 0.2-0.8 秒
        processing_time=(0.3, 1.0)   # 处理需要 0.3-1.0 秒
    )

    # 运行系统
    await system.start(max_items_per_producer=10)


if __name__ == "__main__":
    asyncio.run(main())
