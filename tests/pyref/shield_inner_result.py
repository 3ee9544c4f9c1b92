"""shield() without cancellation is transparent: the result (or exception)
of the inner task comes through.  It costs one extra loop iteration: the
inner finishes in iteration N, the shield's _inner_done_callback copies the
result to the outer future in N+1, and the awaiter resumes in N+2 (compare
the direct await of a task: N+1).  shield() of an already-done task returns
that task itself (no new future), so awaiting it does not suspend.
"""
import asyncio
from vloop import run, logi, fmt_exc


async def child(name, delay, fail=False):
    await asyncio.sleep(delay)
    logi("%s: finishing" % name)
    if fail:
        raise ValueError("boom from %s" % name)
    return name


async def main():
    t = asyncio.create_task(child("direct", 1), name="direct")
    logi("main: await direct -> %r" % (await t))
    t = asyncio.create_task(child("shielded", 1), name="shielded")
    logi("main: await shield(shielded) -> %r" % (await asyncio.shield(t)))
    t = asyncio.create_task(child("bad", 1, fail=True), name="bad")
    try:
        await asyncio.shield(t)
    except ValueError as e:
        logi("main: await shield(bad) raised %s" % fmt_exc(e))
    s = asyncio.shield(t)
    logi("main: shield(done task) is the task: %s" % (s is t))
    t2 = asyncio.create_task(child("ok", 0.5), name="ok")
    await asyncio.sleep(1)
    logi("main: before await shield(done ok)")
    logi("main: await shield(done ok) -> %r" % (await asyncio.shield(t2)))


run(main)
