# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
"""
asyncio 是 Python 的异步 I/O 库,提供:
- 事件循环
- 协程
- 任务和 Future
- 同步原语
"""

import asyncio

# 基本用法
async def main():
    """主协程"""
    print("Hello")
    await asyncio.sleep(1)  # 等待1秒
    print("World")

# 运行协程
asyncio.run(main())
