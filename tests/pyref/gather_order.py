"""gather() returns results in ARGUMENT order regardless of completion order:
children finish b (t=1), c (t=2), a (t=3); the result is ['a', 'b', 'c'] at
t=3, delivered one iteration after the last child's done callback (the
gather's own _done_callback runs in the iteration after the child finished,
sets the outer future, and the awaiter wakes the iteration after that).
"""
import asyncio
from vloop import run, logi


async def child(name, delay):
    await asyncio.sleep(delay)
    logi("%s: done" % name)
    return name


async def main():
    a = asyncio.create_task(child("a", 3), name="a")
    b = asyncio.create_task(child("b", 1), name="b")
    c = asyncio.create_task(child("c", 2), name="c")
    r = await asyncio.gather(a, b, c)
    logi("main: gather -> %r" % r)


run(main)
