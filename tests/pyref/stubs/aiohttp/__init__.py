# SPDX-License-Identifier: MIT
"""A stand-in for aiohttp (not installable here) for run_listing.py.

It answers the httpbin.org URLs the chapter uses the way httpbin does in
time (/delay/N answers after N seconds, on the virtual clock; /get and
/status/CODE at once), which is what the listings' printed output depends
on. Bodies are a placeholder JSON document, delivered in one chunk.
"""
import asyncio
import json
import re


class ClientError(Exception):
    pass


class ClientResponseError(ClientError):
    def __init__(self, status, message):
        super().__init__("%d, message='%s'" % (status, message))
        self.status = status


class ClientTimeout:
    def __init__(self, total=None, **kwargs):
        self.total = total


class _Content:
    def __init__(self, body):
        self._body = body

    async def iter_chunked(self, n):
        for i in range(0, len(self._body), n):
            yield self._body[i:i + n]


class _Response:
    def __init__(self, url, status, body):
        self.url = url
        self.status = status
        self._body = body
        self.headers = {"content-length": str(len(body))}
        self.content = _Content(body)

    def raise_for_status(self):
        if self.status >= 400:
            raise ClientResponseError(self.status, "NOT FOUND" if self.status == 404 else "ERROR")

    async def text(self):
        return self._body.decode("utf-8")

    async def read(self):
        return self._body


class _Request:
    def __init__(self, url):
        self._url = url

    async def __aenter__(self):
        path = re.sub(r"^https?://[^/]+", "", self._url)
        status = 200
        m = re.match(r"/delay/(\d+(?:\.\d+)?)", path)
        if m:
            await asyncio.sleep(min(float(m.group(1)), 10))
        m = re.match(r"/status/(\d+)", path)
        if m:
            status = int(m.group(1))
        body = json.dumps({"url": self._url}).encode("utf-8")
        return _Response(self._url, status, body)

    async def __aexit__(self, *exc):
        return False


class ClientSession:
    def __init__(self, timeout=None, **kwargs):
        self.timeout = timeout

    def get(self, url, **kwargs):
        return _Request(url)

    async def close(self):
        pass

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()
        return False
