# From 第9章:异步编程基础 (the Python asyncio chapter Loopscope accompanies), MIT License.
# Loopscope answers these URLs from its own local server, as httpbin.org would.
# 需要安装: pip install aiohttp
import asyncio
import aiohttp

async def fetch_url(session: aiohttp.ClientSession, url: str) -> str:
    """获取 URL 内容"""
    async with session.get(url) as response:
        response.raise_for_status()
        return await response.text()

async def fetch_multiple_urls(urls: list[str]) -> dict[str, str]:
    """并发获取多个 URL"""
    async with aiohttp.ClientSession() as session:
        tasks = [fetch_url(session, url) for url in urls]
        results = await asyncio.gather(*tasks, return_exceptions=True)

        return dict(zip(urls, results))

async def main():
    """主函数"""
    urls = [
        "https://httpbin.org/delay/1",
        "https://httpbin.org/delay/2",
        "https://httpbin.org/get"
    ]

    results = await fetch_multiple_urls(urls)

    for url, result in results.items():
        if isinstance(result, Exception):
            print(f"❌ {url}: {result}")
        else:
            print(f"✅ {url}: {len(result)} 字符")

asyncio.run(main())
