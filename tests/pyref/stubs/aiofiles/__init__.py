# SPDX-License-Identifier: MIT
"""A stand-in for aiofiles (not installable here) for run_listing.py.

The chapter's listings use aiofiles.open(...) as an async context manager
with awaitable read() and write(). The real aiofiles runs each call in a
thread pool, so the awaiting task resumes in a later loop iteration, after
whatever else was ready; on the virtual clock the I/O itself takes no
scenario time. These do the work directly after yielding once, which
orders the output the same way.
"""
import asyncio
import builtins


class _File:
    def __init__(self, f):
        self._f = f

    async def read(self, *args):
        await asyncio.sleep(0)
        return self._f.read(*args)

    async def write(self, data):
        await asyncio.sleep(0)
        return self._f.write(data)


class _Open:
    def __init__(self, *args, **kwargs):
        self._args = args
        self._kwargs = kwargs
        self._f = None

    async def __aenter__(self):
        self._f = builtins.open(*self._args, **self._kwargs)
        return _File(self._f)

    async def __aexit__(self, *exc):
        self._f.close()
        return False


def open(*args, **kwargs):  # noqa: A001 - the aiofiles API
    return _Open(*args, **kwargs)
