# SPDX-License-Identifier: MIT
"""Virtual-clock asyncio event loop for the CPython 3.11 reference programs.

The loop is a plain ``asyncio.SelectorEventLoop``; only two things differ:

* ``loop.time()`` returns a virtual clock that starts at 0.0;
* the selector is a fake one whose ``select(timeout)`` never blocks: it
  advances the virtual clock by ``timeout`` and reports no I/O events.

Everything else (the ready deque, the ``heapq`` of ``TimerHandle``s, the
``end_time = time() + clock_resolution`` cut-off in ``_run_once``, Task and
Future implementations from ``_asyncio``) is CPython's own code, unchanged.
So the order of events is exactly the one CPython produces; only the clock is
fake, which makes the output independent of the speed of the machine.

``select(None)`` (nothing ready, no timer scheduled: the loop would block
forever, since there is no real I/O in these programs; the only registered fd
is the loop's own self-pipe) is reported as a deadlock: a ``DEADLOCK`` line is
printed and the process exits with status 3.

API for the test programs::

    import vloop
    async def main(): ...
    vloop.run(main)          # never returns: exits 0, or 1 on uncaught exc.
    vloop.log("text")        # "[   1.000] text"
    vloop.logi("text")       # "[   1.000] #7 text" (7 = loop iteration)

Loop iteration numbers count calls of ``BaseEventLoop._run_once``; iteration
#1 is the one that runs the first step of the main task (created, unnamed,
by asyncio.Runner, so it is "Task-1").

Exit status of ``run``: 0 main returned; 1 main raised (last line
``uncaught <ExcClass>`` or ``uncaught <ExcClass>: <str(exc)>``); 2 tasks were
still pending when main ended (``LEFTOVER TASKS: ...``; a bug in the test
program, unless it is run with ``run(main, shutdown=True)``, which lets
Runner.close() cancel them); 3 deadlock.

Set order.  Where asyncio goes through a set of tasks, the order is the
order of object addresses, which no program can rely on: Runner.close()
cancels the leftover tasks of ``all_tasks()`` and TaskGroup cancels its
children in set order.  Here both use creation order (the loop records it
in ``create_task``; TaskGroup's set keeps insertion order), which is the
order Loopscope uses.

Executors (``run_in_executor``, ``to_thread``) run on real threads, made
deterministic on the virtual clock the way Loopscope's executor is:

* a worker's ``time.sleep(d)`` is virtual: the work has a clock of its own
  (its start time plus its sleeps) and sleeps until the loop's clock
  reaches it, which lets the clock move on for everyone else;
* the loop waits for a worker's code between two sleeps (it takes no
  virtual time) whenever a work is submitted and whenever a worker's
  sleep ends, so nothing depends on how fast the threads run;
* the completion's ``call_soon_threadsafe`` from the worker enters the
  ready queue at the next ``select()``, works in the order they were
  submitted; a worker's sleep that ends with no timer due at that time
  lets its completion enter in the same ``select()``;
* the default executor has 8 threads (CPython: min(32, CPUs + 4)), and
  ``shutdown_default_executor`` waits until no work is left, then joins
  the threads.

Clock arithmetic: a timer's deadline is CPython's ``now + delay``; each
select() adds ``deadline - now`` to the clock.  Test programs use delays
that are exact binary fractions (0.25, 0.5, 1.5 ...) wherever equal
deadlines matter, so deadlines meant to be equal are bit-for-bit equal.

CPython 3.11.0 to 3.11.2 (Debian 12 ships 3.11.2) lack the fix for
gh-102780: asyncio.timeout() in a task that swallowed an earlier
cancellation let the CancelledError escape instead of raising TimeoutError.
Loopscope implements the fixed behaviour (3.11.3 and later), so on those
releases vloop puts 3.11.3's ``Timeout.__aenter__`` and ``__aexit__`` in
place (``_backport_gh102780``, Lib/asyncio/timeouts.py of 3.11.7).
Two smaller differences before 3.11.7 show in the reference programs too:
``Timeout.reschedule()`` on a scope that was never entered asserted instead
of raising RuntimeError, and a TaskGroup entered twice said "has been
already entered"; ``_backport_3_11_7`` puts 3.11.7's two methods in place.
Nothing else of asyncio is touched, and on 3.11.7 and later nothing at all.

The loop's exception handler is silenced (no "Task exception was never
retrieved" etc.), the "asyncio" logger is muted and debug mode is forced
off whatever PYTHONASYNCIODEBUG / -X dev say, so only the program's own
lines reach stdout.
"""

import asyncio
import asyncio.runners
import concurrent.futures
import heapq
import itertools
import logging
import math
import os
import selectors
import sys
import threading
import time
import weakref

__all__ = ["run", "log", "logi", "fmt_exc", "now", "iteration",
           "VirtualDeadlock"]

# The clock resolution CPython uses on Linux (time.get_clock_info(
# 'monotonic').resolution == 1e-09).  Pinned so that the ``end_time`` cut-off
# in _run_once is the same on every platform.
CLOCK_RESOLUTION = 1e-09

# Threads of the default executor, whatever the machine (Loopscope's
# LS_EXECUTOR_DEFAULT_WORKERS).
DEFAULT_WORKERS = 8

_tls = threading.local()   # .work: the executor work this thread runs


def _backport_gh102780():
    """Timeout.__aenter__/__aexit__ as in CPython 3.11.3 (gh-102780).

    3.11.0-3.11.2 converted the scope's CancelledError into TimeoutError only
    when ``task.uncancel() == 0``; a task that had swallowed a cancellation
    before entering the scope never got there.  3.11.3 remembers
    ``task.cancelling()`` at entry and compares with that.  The code below is
    Lib/asyncio/timeouts.py of 3.11.7, the release the expected files come
    from, with the module's names qualified.
    """
    from asyncio import exceptions, tasks, timeouts

    async def __aenter__(self):
        if self._state is not timeouts._State.CREATED:
            raise RuntimeError("Timeout has already been entered")
        task = tasks.current_task()
        if task is None:
            raise RuntimeError("Timeout should be used inside a task")
        self._state = timeouts._State.ENTERED
        self._task = task
        self._cancelling = self._task.cancelling()
        self.reschedule(self._when)
        return self

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        assert self._state in (timeouts._State.ENTERED, timeouts._State.EXPIRING)

        if self._timeout_handler is not None:
            self._timeout_handler.cancel()
            self._timeout_handler = None

        if self._state is timeouts._State.EXPIRING:
            self._state = timeouts._State.EXPIRED

            if (self._task.uncancel() <= self._cancelling
                    and exc_type is exceptions.CancelledError):
                # Since there are no new cancel requests, we're
                # handling this.
                raise TimeoutError from exc_val
        elif self._state is timeouts._State.ENTERED:
            self._state = timeouts._State.EXITED

        return None

    timeouts.Timeout.__aenter__ = __aenter__
    timeouts.Timeout.__aexit__ = __aexit__


def _backport_3_11_7():
    """Timeout.reschedule and TaskGroup.__aenter__ as in CPython 3.11.7.

    Lib/asyncio/timeouts.py and taskgroups.py of 3.11.7, with the modules'
    names qualified: the expected files come from that release.
    """
    from asyncio import events, taskgroups, tasks, timeouts

    def reschedule(self, when):
        """Reschedule the timeout."""
        if self._state is not timeouts._State.ENTERED:
            if self._state is timeouts._State.CREATED:
                raise RuntimeError("Timeout has not been entered")
            raise RuntimeError(
                f"Cannot change state of {self._state.value} Timeout",
            )

        self._when = when

        if self._timeout_handler is not None:
            self._timeout_handler.cancel()

        if when is None:
            self._timeout_handler = None
        else:
            loop = events.get_running_loop()
            if when <= loop.time():
                self._timeout_handler = loop.call_soon(self._on_timeout)
            else:
                self._timeout_handler = loop.call_at(when, self._on_timeout)

    async def __aenter__(self):
        if self._entered:
            raise RuntimeError(
                f"TaskGroup {self!r} has already been entered")
        if self._loop is None:
            self._loop = events.get_running_loop()
        self._parent_task = tasks.current_task(self._loop)
        if self._parent_task is None:
            raise RuntimeError(
                f'TaskGroup {self!r} cannot determine the parent task')
        self._entered = True

        return self

    timeouts.Timeout.reschedule = reschedule
    taskgroups.TaskGroup.__aenter__ = __aenter__


if sys.version_info[:2] == (3, 11) and sys.version_info < (3, 11, 3):
    _backport_gh102780()
if sys.version_info[:2] == (3, 11) and sys.version_info < (3, 11, 7):
    _backport_3_11_7()


class VirtualDeadlock(RuntimeError):
    """The loop would block forever: nothing ready and no timer pending."""


class _VirtualSelector(selectors._BaseSelectorImpl):
    """Selector that never reports events; select() advances the clock."""

    def __init__(self):
        super().__init__()
        self.loop = None  # set by VirtualClockLoop.__init__

    def select(self, timeout=None):
        loop = self.loop
        if not loop._executors:
            # no thread ever ran: the plain virtual select
            if timeout is None:
                raise VirtualDeadlock(
                    "loop would block forever (no ready callbacks, no timers)")
            if timeout > 0:
                loop._vtime += timeout
            return []
        while True:
            if loop._deliver():
                return []
            if loop._ready:
                loop._fire_due_parks()
                return []
            timer = loop._scheduled[0]._when if loop._scheduled else None
            park = loop._parks[0][0] / 1e9 if loop._parks else None
            if timer is None and park is None:
                raise VirtualDeadlock(
                    "loop would block forever (no ready callbacks, no timers)")
            if park is not None and (timer is None or park <= timer):
                if park > loop._vtime:
                    loop._vtime = park
                loop._fire_due_parks()
                if timer is not None and timer < loop._vtime + CLOCK_RESOLUTION:
                    return []  # the timers due now run first
                continue
            timeout = timer - loop._vtime
            if timeout > 0:
                loop._vtime += timeout
            return []


class _SeqTimerHandle(asyncio.TimerHandle):
    """A TimerHandle that breaks deadline ties by scheduling order.

    With CPython's real monotonic clock two call_later()/call_at() calls never
    get the same deadline by accident: time moves on between them, so timers
    with the same delay fire in the order they were scheduled.  A virtual
    clock that stands still makes such ties exact, and heapq (which is not
    stable) would then pop them in an order no real run shows.  Ordering by
    (deadline, scheduling order) keeps the virtual run faithful to real ones;
    it is the order Loopscope's timer heap uses.
    """

    __slots__ = ("_seq",)
    _counter = itertools.count()

    def __init__(self, when, callback, args, loop, context=None):
        super().__init__(when, callback, args, loop, context=context)
        self._seq = next(_SeqTimerHandle._counter)

    def _key(self):
        return (self._when, self._seq)

    def __lt__(self, other):
        return self._key() < other._key()

    def __le__(self, other):
        return self._key() <= other._key()

    def __gt__(self, other):
        return self._key() > other._key()

    def __ge__(self, other):
        return self._key() >= other._key()

    __hash__ = asyncio.TimerHandle.__hash__


class _Work:
    """One run_in_executor call: its thread reports sleeps and its end."""

    _seq = itertools.count()

    def __init__(self, loop, stats):
        self.loop = loop
        self.stats = stats
        self.seq = next(_Work._seq)
        self.clock_ns = 0
        self.parked = False

    def run(self, func, *args):
        loop = self.loop
        with loop._cv:   # run_in_executor has chained the futures
            self.clock_ns = loop._now_ns()
        _tls.work = self
        return func(*args)

    def done(self, cf):
        # the concurrent future is done: on this worker, or cancelled on
        # the loop's thread before any thread took it
        with self.loop._cv:
            self.stats.unfinished -= 1
            self.loop._cv.notify_all()


class _ExecutorStats:
    def __init__(self, max_workers):
        self.max_workers = max_workers
        self.unfinished = 0
        self.parked = 0


def thread_sleep(seconds):
    """time.sleep on an executor's worker: sleep on the virtual clock.
    Returns False when not called from a worker."""
    work = getattr(_tls, "work", None)
    if work is None:
        return False
    if seconds <= 0:
        return True
    loop = work.loop
    with loop._cv:
        work.clock_ns += int(seconds * 1e9 + 0.5)
        heapq.heappush(loop._parks, (work.clock_ns, work.seq, work))
        work.parked = True
        work.stats.parked += 1
        loop._cv.notify_all()
        loop._cv.wait_for(lambda: not work.parked)
    return True


_real_sleep = time.sleep


def _sleep(seconds):
    if not thread_sleep(seconds):
        _real_sleep(seconds)


time.sleep = _sleep


class _OrderedSet:
    """TaskGroup's set of tasks, iterated in insertion order."""

    def __init__(self):
        self._items = {}

    def add(self, item):
        self._items[item] = None

    def discard(self, item):
        self._items.pop(item, None)

    def __contains__(self, item):
        return item in self._items

    def __iter__(self):
        return iter(list(self._items))

    def __len__(self):
        return len(self._items)


_taskgroup_init = asyncio.TaskGroup.__init__


def _ordered_taskgroup_init(self):
    _taskgroup_init(self)
    self._tasks = _OrderedSet()


asyncio.TaskGroup.__init__ = _ordered_taskgroup_init


def _cancel_all_tasks(loop):
    # asyncio.runners._cancel_all_tasks, in creation order
    to_cancel = asyncio.all_tasks(loop)
    if not to_cancel:
        return
    order = getattr(loop, "_task_order", {})
    to_cancel = sorted(to_cancel, key=lambda t: order.get(t, -1))
    for task in to_cancel:
        task.cancel()
    loop.run_until_complete(asyncio.gather(*to_cancel, return_exceptions=True))
    for task in to_cancel:
        if task.cancelled():
            continue
        if task.exception() is not None:
            loop.call_exception_handler({
                'message': 'unhandled exception during asyncio.run() shutdown',
                'exception': task.exception(),
                'task': task,
            })


asyncio.runners._cancel_all_tasks = _cancel_all_tasks


class VirtualClockLoop(asyncio.SelectorEventLoop):
    def __init__(self):
        self._vtime = 0.0
        self._iteration = 0
        self._task_order = weakref.WeakKeyDictionary()
        self._task_seq = itertools.count()
        self._cv = threading.Condition()
        self._executors = {}        # id(executor) -> _ExecutorStats
        self._parks = []            # heap of (wake time ns, work seq, work)
        self._pending = []          # (work seq, n, Handle) from worker threads
        self._pending_seq = itertools.count()
        self._idle_waiters = []
        self._loop_thread = threading.get_ident()
        selector = _VirtualSelector()
        super().__init__(selector)
        selector.loop = self
        self._clock_resolution = CLOCK_RESOLUTION
        self.set_debug(False)
        # Silence "exception was never retrieved", "Task was destroyed but it
        # is pending" and the like: only the program's own log lines are
        # part of the expected output.
        self.set_exception_handler(lambda loop, context: None)

    def time(self):
        return self._vtime

    def call_at(self, when, callback, *args, context=None):
        # BaseEventLoop.call_at with the tie-breaking handle (see above).
        if when is None:
            raise TypeError("when cannot be None")
        self._check_closed()
        # Deadlines on a nanosecond grid, like Loopscope's clock: ten
        # sleep(0.1) in a row then end exactly at 1.0 (in binary floating
        # point they would end at 0.9999999999999999, a hair before a
        # sleep(1) begun at the same moment, which no real run shows either:
        # there, every wake-up comes a little late).
        when = round(when * 1e9) / 1e9
        timer = _SeqTimerHandle(when, callback, args, self, context)
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def _run_once(self):
        self._iteration += 1
        super()._run_once()

    def create_task(self, coro, *, name=None, context=None):
        task = super().create_task(coro, name=name, context=context)
        self._task_order[task] = next(self._task_seq)
        return task

    # ---- executors on the virtual clock ----

    def _now_ns(self):
        return round(self._vtime * 1e9)

    def _settled(self):
        return all(st.parked == min(st.unfinished, st.max_workers)
                   for st in self._executors.values())

    def run_in_executor(self, executor, func, *args):
        # BaseEventLoop.run_in_executor, with the work reporting to us
        self._check_closed()
        if executor is None:
            executor = self._default_executor
            self._check_default_executor()
            if executor is None:
                executor = concurrent.futures.ThreadPoolExecutor(
                    max_workers=DEFAULT_WORKERS, thread_name_prefix='asyncio')
                self._default_executor = executor
        stats = self._executors.setdefault(
            id(executor), _ExecutorStats(executor._max_workers))
        work = _Work(self, stats)
        with self._cv:
            stats.unfinished += 1
            cf = executor.submit(work.run, func, *args)
            fut = asyncio.futures.wrap_future(cf, loop=self)
            cf.add_done_callback(work.done)
        with self._cv:
            self._cv.wait_for(self._settled)
        return fut

    def call_soon_threadsafe(self, callback, *args, context=None):
        if threading.get_ident() == self._loop_thread:
            return super().call_soon_threadsafe(callback, *args, context=context)
        work = getattr(_tls, "work", None)
        handle = asyncio.Handle(callback, args, self, context)
        with self._cv:
            self._pending.append((work.seq if work is not None else math.inf,
                                  next(self._pending_seq), handle))
            self._cv.notify_all()
        return handle

    def _deliver(self):
        """What workers queued enters the ready queue, in submission order."""
        with self._cv:
            self._cv.wait_for(self._settled)
            pending, self._pending = sorted(self._pending), []
        for _, _, handle in pending:
            self._ready.append(handle)
        if self._idle_waiters and not any(
                st.unfinished for st in self._executors.values()):
            waiters, self._idle_waiters = self._idle_waiters, []
            for fut in waiters:
                if not fut.done():
                    fut.set_result(None)
        return bool(pending)

    def _fire_due_parks(self):
        now = self._now_ns()
        while self._parks and self._parks[0][0] <= now:
            _, _, work = heapq.heappop(self._parks)
            with self._cv:
                work.parked = False
                work.stats.parked -= 1
                self._cv.notify_all()
                self._cv.wait_for(self._settled)

    async def shutdown_default_executor(self):
        self._executor_shutdown_called = True
        executor = self._default_executor
        if executor is None:
            return
        stats = self._executors.get(id(executor))
        if stats is not None and stats.unfinished:
            fut = self.create_future()
            self._idle_waiters.append(fut)
            await fut
        executor.shutdown(wait=True)

    def set_debug(self, enabled):
        # Debug mode (slow-callback warnings, coroutine origin tracking,
        # ...) is never wanted here, whatever PYTHONASYNCIODEBUG / -X dev say.
        super().set_debug(False)


_loop = None


def _factory():
    global _loop
    _loop = VirtualClockLoop()
    return _loop


def now():
    """Current virtual time."""
    return _loop.time() if _loop is not None else 0.0


def iteration():
    """Number of the loop iteration currently running (1-based)."""
    return _loop._iteration if _loop is not None else 0


def log(text):
    """Print ``[time] text`` (one prefixed line per line of ``text``)."""
    t = now()
    for line in str(text).split("\n"):
        print("[%8.3f] %s" % (t, line))


def logi(text):
    """Print ``[time] #iteration text`` (one prefixed line per line)."""
    t = now()
    i = iteration()
    for line in str(text).split("\n"):
        print("[%8.3f] #%d %s" % (t, i, line))


def fmt_exc(exc):
    """``ValueError('boom')``, ``CancelledError()``: class name + args."""
    return "%s(%s)" % (type(exc).__name__, ", ".join(repr(a) for a in exc.args))


def _die(status, text):
    # os._exit: do not let Runner.close() run the loop again.
    log(text)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def run(main_coro_fn, shutdown=False):
    """Run ``main_coro_fn()`` as the main task on a virtual-clock loop.

    Exits the process: status 0 when the main coroutine returns, 1 (after a
    final ``uncaught <ExcClass>[: message]`` line) when it raises.  Tasks
    still pending when main ends are a bug in the test program and are
    reported (status 2), unless ``shutdown`` is true: then Runner.close()
    cancels them (in creation order, see above) and runs them to the end,
    as asyncio.run() does.
    """
    logging.getLogger("asyncio").setLevel(logging.CRITICAL + 1)
    status = 0
    with asyncio.Runner(loop_factory=_factory, debug=False) as runner:
        try:
            runner.run(main_coro_fn())
        except VirtualDeadlock:
            _die(3, "DEADLOCK")
        except Exception as exc:  # CancelledError is not an Exception...
            status = 1
            _log_uncaught(exc)
        except asyncio.CancelledError as exc:  # ... so catch it explicitly
            status = 1
            _log_uncaught(exc)
        leftover = asyncio.all_tasks(runner.get_loop())
        if leftover and not shutdown:
            _die(2, "LEFTOVER TASKS: " +
                 ", ".join(sorted(t.get_name() for t in leftover)))
    sys.stdout.flush()
    sys.exit(status)


def _log_uncaught(exc):
    msg = str(exc)
    if msg:
        log("uncaught %s: %s" % (type(exc).__name__, msg))
    else:
        log("uncaught %s" % type(exc).__name__)
