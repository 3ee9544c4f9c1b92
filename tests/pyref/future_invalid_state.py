"""InvalidStateError and Future.exception().

set_result/set_exception on a done future raise InvalidStateError with
the message 'invalid state', whatever the state (finished or cancelled).
result() of a pending future: 'Result is not set.'; exception() of a
pending one: 'Exception is not set.'.  exception() of a cancelled future
raises CancelledError (with the cancel message), a new one each call.
exception() of a task whose coroutine raised CancelledError hands out that
very CancelledError once, then a bare CancelledError().
"""
import asyncio
from vloop import run, logi, fmt_exc


def attempt(label, fn):
    try:
        r = fn()
        logi("%s -> %r" % (label, r))
    except (Exception, asyncio.CancelledError) as e:
        logi("%s -> %s" % (label, fmt_exc(e)))


async def raises_cancelled():
    raise asyncio.CancelledError("from inside")


async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    attempt("pending: result()", f.result)
    attempt("pending: exception()", f.exception)
    f.set_result(1)
    attempt("finished: set_result(2)", lambda: f.set_result(2))
    attempt("finished: set_exception()", lambda: f.set_exception(ValueError("x")))
    attempt("finished: exception()", f.exception)

    c = loop.create_future()
    c.cancel("why")
    attempt("cancelled: set_result(2)", lambda: c.set_result(2))
    attempt("cancelled: set_exception()", lambda: c.set_exception(ValueError("x")))
    attempt("cancelled: exception()", c.exception)
    attempt("cancelled: exception() again", c.exception)
    attempt("cancelled: result()", c.result)

    e = loop.create_future()
    e.set_exception(ValueError("boom"))
    attempt("failed: exception()", lambda: fmt_exc(e.exception()))

    t = asyncio.create_task(raises_cancelled(), name="t")
    await asyncio.sleep(0)
    attempt("task: exception()", t.exception)
    attempt("task: exception() again", t.exception)


run(main)
