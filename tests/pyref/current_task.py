"""asyncio.current_task() inside tasks returns the task running the code:
its name is the one given to create_task(name=...); code awaited directly
(a plain coroutine, not a task) runs in the caller's task.  The main task
created by asyncio.Runner has the default name "Task-1" (first task of the
process; default names come from a process-wide counter).

Surprise (CPython 3.11): asyncio.create_task(coro, name=...) creates the
task with a DEFAULT name first (consuming a counter value) and then renames
it with set_name(), so the named tasks alpha and beta use up Task-2 and
Task-3 and the next unnamed task is "Task-4".  (loop.create_task(coro,
name=...) would not consume a number.)
"""
import asyncio
from vloop import run, log


async def helper():
    return asyncio.current_task().get_name()


async def worker():
    me = asyncio.current_task()
    log("worker: current_task name=%r" % me.get_name())
    log("worker: helper() sees %r" % (await helper()))
    await asyncio.sleep(1)
    log("worker: after sleep, still %r" % asyncio.current_task().get_name())
    return me


async def main():
    log("main: current_task name=%r" % asyncio.current_task().get_name())
    a = asyncio.create_task(worker(), name="alpha")
    b = asyncio.create_task(worker(), name="beta")
    ra = await a
    rb = await b
    log("main: alpha returned itself: %s, beta: %s" % (ra is a, rb is b))
    u = asyncio.create_task(helper())
    log("main: unnamed task sees %r" % (await u))
    log("main: after awaits, main is %r" % asyncio.current_task().get_name())


run(main)
