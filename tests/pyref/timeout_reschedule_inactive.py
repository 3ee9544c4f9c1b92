"""Timeout.reschedule() works only on an active scope.

Before `async with` it raises RuntimeError('Timeout has not been
entered'); once the deadline fired and the body is still running
('expiring') and after the block ('expired' or 'finished') it raises
RuntimeError('Cannot change state of <state> Timeout').  Entering a scope
twice raises RuntimeError('Timeout has already been entered').
"""
import asyncio
from vloop import run, logi, fmt_exc


def try_reschedule(label, cm, when):
    try:
        cm.reschedule(when)
        logi("%s: reschedule -> when=%r" % (label, cm.when()))
    except RuntimeError as e:
        logi("%s: reschedule -> %s" % (label, fmt_exc(e)))


async def main():
    loop = asyncio.get_running_loop()
    cm = asyncio.timeout(1)
    try_reschedule("created", cm, loop.time() + 2)
    async with cm:
        try_reschedule("active", cm, loop.time() + 2)
    try_reschedule("finished", cm, None)
    try:
        async with cm:
            pass
    except RuntimeError as e:
        logi("enter again -> %s" % fmt_exc(e))

    cm = asyncio.timeout(0.5)
    try:
        async with cm:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                try_reschedule("expiring", cm, loop.time() + 5)
                raise
    except TimeoutError:
        logi("TimeoutError")
    try_reschedule("expired", cm, loop.time() + 5)


run(main)
