# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
# 需要安装: pip install aiofiles
import asyncio
import aiofiles
from pathlib import Path

async def read_file(filename: str) -> str:
    """异步读取文件"""
    async with aiofiles.open(filename, 'r', encoding='utf-8') as f:
        return await f.read()

async def write_file(filename: str, content: str) -> None:
    """异步写入文件"""
    async with aiofiles.open(filename, 'w', encoding='utf-8') as f:
        await f.write(content)

async def process_files(files: list[str]) -> None:
    """并发处理多个文件"""
    tasks = [read_file(file) for file in files]
    contents = await asyncio.gather(*tasks)

    for file, content in zip(files, contents):
        print(f"{file}: {len(content)} 字符")

# 创建示例文件
async def main():
    # 创建测试文件
    Path('test1.txt').write_text("文件1内容", encoding='utf-8')
    Path('test2.txt').write_text("文件2内容", encoding='utf-8')
    Path('test3.txt').write_text("文件3内容", encoding='utf-8')

    # 并发读取
    await process_files(['test1.txt', 'test2.txt', 'test3.txt'])

asyncio.run(main())
