"""Cancel a task before it ever ran: cancel() returns True but the task is
not yet cancelled (cancelled() False, done() False) until its first step
runs in the next iteration; that step throws CancelledError into the
coroutine before its first line, so the body never runs.  Awaiting it
raises CancelledError carrying the cancel message.
"""
import asyncio
from vloop import run, logi


async def body():
    logi("body: running (must not happen)")


async def main():
    t = asyncio.create_task(body(), name="victim")
    logi("main: cancel('early') -> %s" % t.cancel("early"))
    logi("main: right after cancel: done=%s cancelled=%s"
         % (t.done(), t.cancelled()))
    await asyncio.sleep(0)
    logi("main: after sleep(0): done=%s cancelled=%s"
         % (t.done(), t.cancelled()))
    try:
        await t
    except asyncio.CancelledError as e:
        logi("main: await victim -> CancelledError args=%r" % (e.args,))


run(main)
