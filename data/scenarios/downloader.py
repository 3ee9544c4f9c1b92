# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
# Loopscope answers the httpbin.org URLs from its own local server.
import asyncio
import aiohttp
from pathlib import Path
from typing import Optional
import time

class ConcurrentDownloader:
    """并发下载器"""

    def __init__(self, max_concurrent: int = 5):
        """
        初始化下载器

        Args:
            max_concurrent: 最大并发数
        """
        self.semaphore = asyncio.Semaphore(max_concurrent)
        self.session: Optional[aiohttp.ClientSession] = None
        self.downloaded = 0
        self.failed = 0

    async def __aenter__(self):
        """进入上下文"""
        timeout = aiohttp.ClientTimeout(total=30)
        self.session = aiohttp.ClientSession(timeout=timeout)
        return self

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        """退出上下文"""
        if self.session:
            await self.session.close()

    async def download_one(
        self,
        url: str,
        save_path: str,
        index: int,
        total: int
    ) -> bool:
        """
        下载单个文件

        Args:
            url: 下载 URL
            save_path: 保存路径
            index: 当前索引
            total: 总数

        Returns:
            是否成功
        """
        async with self.semaphore:
            try:
                print(f"[{index}/{total}] 下载: {url}")

                async with self.session.get(url) as response:
                    response.raise_for_status()

                    # 获取文件大小
                    total_size = int(response.headers.get('content-length', 0))
                    downloaded = 0

                    # 创建保存目录
                    Path(save_path).parent.mkdir(parents=True, exist_ok=True)

                    # 下载并显示进度
                    with open(save_path, 'wb') as f:
                        async for chunk in response.content.iter_chunked(8192):
                            f.write(chunk)
                            downloaded += len(chunk)

                            if total_size > 0:
                                progress = downloaded / total_size * 100
                                print(f"[{index}/{total}] 进度: {progress:.1f}%")

                print(f"[{index}/{total}] 完成: {save_path}")
                self.downloaded += 1
                return True

            except Exception as e:
                print(f"[{index}/{total}] 失败: {url} - {e}")
                self.failed += 1
                return False

    async def download_all(
        self,
        urls: list[tuple[str, str]]
    ) -> dict[str, bool]:
        """
        下载所有文件

        Args:
            urls: (url, save_path) 元组列表

        Returns:
            下载结果映射
        """
        start = time.time()
        total = len(urls)

        print(f"开始下载 {total} 个文件...")

        tasks = [
            self.download_one(url, path, i + 1, total)
            for i, (url, path) in enumerate(urls)
        ]

        results = await asyncio.gather(*tasks, return_exceptions=True)

        elapsed = time.time() - start
        print(f"\n下载完成!")
        print(f"成功: {self.downloaded}")
        print(f"失败: {self.failed}")
        print(f"耗时: {elapsed:.2f}秒")

        return dict(zip(urls, results))


# 使用示例
async def main():
    """主函数"""

    # 示例 URL(使用 httpbin 测试)
    urls = [
        ("https://httpbin.org/delay/1", "downloads/file1.json"),
        ("https://httpbin.org/delay/2", "downloads/file2.json"),
        ("https://httpbin.org/delay/1", "downloads/file3.json"),
        ("https://httpbin.org/delay/3", "downloads/file4.json"),
        ("https://httpbin.org/get", "downloads/file5.json"),
    ]

    async with ConcurrentDownloader(max_concurrent=3) as downloader:
        await downloader.download_all(urls)


if __name__ == "__main__":
    asyncio.run(main())
