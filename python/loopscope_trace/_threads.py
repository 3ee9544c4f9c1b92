# SPDX-License-Identifier: MIT
"""Executors: loop.run_in_executor () and asyncio.to_thread (), recorded as
runtime/ls-executor.c records them, and made to run on the virtual clock the
way that file runs them.

The records (runtime/ls-trace.h): THREAD_WORK_SUBMIT when the program
submits a function, THREAD_WORK_BEGIN when a thread takes it (with an
OBJECT_NEW of kind thread the first time that thread is drawn, and the
work's IO_BEGIN "thread <function>"), THREAD_WORK_END when it returns (or
when it is cancelled before a thread took it), then its completion enters
the ready queue as I/O (IO_COMPLETE, READY_PUSH of kind I/O) and its handle,
futures._chain_future's _set_state, completes the future the task awaits.

Which thread: the loop's thread keeps the books, as ls-executor.c does. An
executor has max_workers places, a work takes the lowest free one or waits
in FIFO order for one (ThreadPoolExecutor's own queue is FIFO, so the same
work waits), and each place is a lane, "thread N", numbered per loop in the
order they are first used. The lane is the place, not the operating
system's thread that CPython's pool happened to wake for it: which idle
thread takes a work is up to the pool, and on the virtual clock the trace
must not depend on it.

Real time: a work's begin and end are stamped with the instants its thread
really began and returned, read on that thread, unless the trace has
already gone past them (records are written by the loop's thread, in time
order): then with the instant the loop's thread saw them.

The virtual clock (ls-executor.c's design, and tests/pyref/vloop.py's):

* the work runs on CPython's own ThreadPoolExecutor, wrapped so that its
  thread says which work it runs; its time.sleep (d) is scenario time: the
  work has a clock of its own (its start plus its sleeps), it reports that
  it sleeps and waits until the loop's clock reaches its wake-up (a park,
  a deadline like a timer's, which records nothing);
* the loop waits for a worker's code between two sleeps, which takes no
  scenario time, when a work is submitted and when a park ends (settling);
  so the clock only jumps when no worker is running, and where a
  completion lands never depends on how fast the threads are;
* the loop handles what the workers reported in the order the works began
  (the lowest I/O id first), and completions enter the ready queue at the
  start of an iteration, in that order, once no worker is running;
* a worker that calls back into the loop (call_soon_threadsafe,
  run_coroutine_threadsafe) waits for the loop, and one that runs longer
  than BUSY_NS of real time without sleeping or returning is left behind
  (stderr says so): the loop stops waiting for them and the clock goes on,
  their reports are handled when they come; with nothing else to do the
  loop waits for them in real time, and VirtualClockDeadlock is raised only
  when no work is left that could ever report;
* executor.shutdown (wait=True) on the loop's thread (a `with
  ThreadPoolExecutor ()` block ending) blocks the loop until the executor's
  works are over, as it does in CPython: the clock moves on to their
  wake-ups in a blocked stretch (LOOP_BLOCKED_BEGIN/END);
* when the loop is closed, or the program ends, a worker still asleep is
  let go at once: nothing is recorded any more.

Executors that are not ThreadPoolExecutors (a process pool, the program's
own) are I/O operations only, as before: IO_BEGIN "thread <function>" and
IO_COMPLETE, no lane, and the virtual clock waits for them in real time.
"""
import collections
import concurrent.futures
import functools
import heapq
import sys
import threading

from . import (BLOCKED_BEGIN, BLOCKED_END, H_IO, IO_BEGIN, IO_COMPLETE, OBJ_THREAD, OBJECT_NEW,
               OUTCOME_CANCELLED, OUTCOME_FAILED, OUTCOME_RESULT, READY_PUSH, THREAD_WORK_BEGIN,
               THREAD_WORK_END, THREAD_WORK_SUBMIT, W_EXECUTOR)

t = None  # the _tracer module: its globals (the clock, the current task, emit) change as it runs

QUEUED = 0      # waiting for a free thread
RUNNING = 1     # a thread runs its code (or is about to take it)
SLEEPING = 2    # it called time.sleep (virtual clock): the loop parks it
PARKED = 3      # asleep until the loop's clock reaches its wake-up
DONE = 4        # it returned and posted its completion
FINISHED = 5    # the loop recorded its end (or its cancellation while it waited)

# Virtual clock: how long (real time) the loop waits for a worker's code
# between two sleeps before it goes on without it
BUSY_NS = 1000000000

_cond = threading.Condition()
_tls = threading.local()
_loops = []                # every traced loop's books, to let sleeping workers go at the end
SUBMITTING = None          # the work run_in_executor submits (wrap_future's future is its)
_warned = False
_ThreadPoolExecutor = concurrent.futures.ThreadPoolExecutor
_orig_shutdown = _ThreadPoolExecutor.shutdown
_orig_run_in_executor = None


class _Work(object):
    """One run_in_executor () call. State changes under _cond; the rest
    belongs to the loop's thread."""
    __slots__ = ("books", "pool", "name", "submitter", "future", "io", "lane", "slot", "state",
                 "clock", "wake_at", "since", "detached", "abandoned", "handle", "failed",
                 "t_begin", "t_end")

    def __init__(self, books, pool, name, submitter):
        self.books = books
        self.pool = pool
        self.name = name
        self.submitter = submitter
        self.future = None
        self.io = 0
        self.lane = 0
        self.slot = -1
        self.state = QUEUED
        self.clock = 0
        self.wake_at = 0
        self.since = 0
        self.detached = False
        self.abandoned = False
        self.handle = None
        self.failed = False
        self.t_begin = -1
        self.t_end = -1


class _Pool(object):
    """An executor as the trace draws it: max_workers places for a thread,
    each a lane once used, and the works waiting for one"""
    __slots__ = ("slots", "lanes", "queued", "n_running")

    def __init__(self, max_workers):
        self.slots = [None] * max_workers
        self.lanes = [0] * max_workers
        self.queued = collections.deque()
        self.n_running = 0


class _Books(object):
    """One traced loop's executors and works, kept by the loop's thread"""
    __slots__ = ("loop", "pools", "running", "parks", "io_done", "deliver", "n_threads")

    def __init__(self, loop):
        self.loop = loop
        self.pools = {}         # executor -> _Pool
        self.running = []       # works a thread has taken, not finished
        self.parks = []         # heap of (wake-up, io id, work)
        self.io_done = []       # works whose completion waits to enter the ready queue
        self.deliver = []       # ... that enters it in this iteration
        self.n_threads = 0      # lanes named so far


def _books(loop):
    books = loop._ls_threads
    if books is None:
        books = loop._ls_threads = _Books(loop)
        _loops.append(books)
    return books


def _wake(loop):
    """Wakes the loop's thread if it waits in select ()"""
    try:
        loop._write_to_self()
    except Exception:
        pass


def _emit_at(when, kind, reason, subject, obj, peer, arg):
    """Real time: a record at @when (read on a worker's thread), or later
    if the trace has gone past it"""
    if t.VIRTUAL or when < 0:
        t.emit(kind, reason, subject, obj, peer, arg)
        return
    if t.MUTED:
        return
    buf = t._buf
    last = int.from_bytes(buf[-32:-24], "little", signed=True) if buf else t.LAST_T
    t._extend(t._pack(max(when, last), kind, reason, subject, obj, peer, arg))


# ---- the worker's side ------------------------------------------------------------

def _run(work, func, *args):
    """What the pool's thread runs: the function, knowing its work"""
    _tls.work = work
    work.t_begin = t._mono() - t.T0
    try:
        return func(*args)
    finally:
        work.t_end = t._mono() - t.T0
        _tls.work = None


def worker_sleep(ns):
    """time.sleep on the virtual clock, off the loop's thread: the work sleeps
    until the loop's clock reaches its own clock plus @ns. False when this
    thread runs no work (it then sleeps in real time)."""
    work = getattr(_tls, "work", None)
    if work is None:
        return False
    if ns <= 0:
        return True
    with _cond:
        if work.abandoned:
            return True
        # a work that waited for the loop is at least where the loop is
        work.wake_at = work.clock = max(work.clock, t.NOW) + ns
        work.state = SLEEPING
        _cond.notify_all()
        _wake(work.books.loop)
        while work.state != RUNNING and not work.abandoned:
            _cond.wait()
    return True


def work_clock():
    """The virtual clock on a worker's thread: its work's own (where its
    sleeps have taken it, or the loop's clock after it waited for the
    loop), or None on a thread that runs no work"""
    work = getattr(_tls, "work", None)
    if work is None:
        return None
    return max(work.clock, t.NOW)


def posted(work, handle, source):
    """The function returned: its thread posts the completion
    (call_soon_threadsafe (_set_state, ...)); the loop's thread takes it"""
    with _cond:
        work.handle = handle
        work.failed = source.cancelled() or source.exception() is not None
        work.state = DONE
        _cond.notify_all()
    _wake(work.books.loop)


def touched_loop():
    """A worker calls back into the loop (call_soon_threadsafe): it may wait
    for what the loop does next, so the loop no longer waits for it"""
    work = getattr(_tls, "work", None)
    if work is not None:
        with _cond:
            work.detached = True
            _cond.notify_all()


def work_of(future):
    return getattr(future, "_ls_work", None)


# ---- the loop's side -------------------------------------------------------------

def run_in_executor(loop, executor, func, args):
    """BaseEventLoop.run_in_executor, on a traced loop, recorded"""
    global SUBMITTING
    if executor is None:
        loop._check_closed()
        executor = loop._default_executor
        check = getattr(loop, "_check_default_executor", None)
        if check is not None:
            check()
        if executor is None:
            executor = _ThreadPoolExecutor(thread_name_prefix="asyncio")
            loop._default_executor = executor
    name = t._callable_name(func)
    if not isinstance(executor, _ThreadPoolExecutor) or not hasattr(executor, "_max_workers"):
        # not a pool of threads: an I/O operation, no lane
        fut = _orig_run_in_executor(loop, executor, func, *args)
        io = t.new_id()
        fut._ls_io = io
        loop._ls_in_flight += 1
        t.emit(IO_BEGIN, 0, t.CURRENT_ID, io, t.intern("thread " + name), 0)
        return fut
    books = _books(loop)
    pool = books.pools.get(executor)
    if pool is None:
        pool = books.pools[executor] = _Pool(max(1, executor._max_workers))
    work = _Work(books, pool, name, t.CURRENT_ID)
    # real time: the thread may begin before submit () returns
    when = t._mono() - t.T0
    # the books first: the thread may run (and sleep) as soon as it is submitted
    with _cond:
        if pool.n_running < len(pool.slots) and not pool.queued:
            _take(books, pool, work)
            position = 0
        else:
            pool.queued.append(work)
            position = len(pool.queued)
    SUBMITTING = work
    try:
        fut = _orig_run_in_executor(loop, executor, functools.partial(_run, work, func), *args)
    except BaseException:
        with _cond:
            if work in pool.queued:
                pool.queued.remove(work)
            elif work in books.running:
                _release(books, work)
            work.state = FINISHED
        raise
    finally:
        SUBMITTING = None
    fut._ls_reason = W_EXECUTOR
    fut._ls_work = work
    work.future = fut
    _emit_at(when, THREAD_WORK_SUBMIT, 0, work.submitter, t.fid(fut), t.intern(name), position)
    if position == 0:
        _begin(books, work, when)
    if t.VIRTUAL:
        process(books, True)
    return fut


def _take(books, pool, work):
    """A thread takes @work: the lowest free place (_cond held)"""
    slot = pool.slots.index(None)
    pool.slots[slot] = work
    pool.n_running += 1
    work.slot = slot
    work.io = t.new_id()
    if work.state == QUEUED:
        work.state = RUNNING
    work.clock = t.NOW
    work.since = t._mono()
    books.running.append(work)


def _release(books, work):
    """(_cond held)"""
    books.running.remove(work)
    pool = work.pool
    pool.slots[work.slot] = None
    pool.n_running -= 1


def _begin(books, work, when):
    """The records of a thread taking @work (ls-executor.c's start_work)"""
    pool = work.pool
    lane = pool.lanes[work.slot]
    if not lane:
        books.n_threads += 1
        lane = pool.lanes[work.slot] = t.new_id()
        _emit_at(when, OBJECT_NEW, OBJ_THREAD, 0, lane,
                 t.intern("thread %d" % books.n_threads), books.n_threads)
    work.lane = lane
    _emit_at(when, IO_BEGIN, 0, t.CURRENT_ID, work.io, t.intern("thread " + work.name), 0)
    _emit_at(when, THREAD_WORK_BEGIN, 0, work.submitter, lane, t.fid(work.future), work.io)


def cancelled(work):
    """The future of a work no thread has taken was cancelled: the work
    never runs (futures._chain_future cancels it from _call_check_cancel)"""
    with _cond:
        if work.state != QUEUED or work not in work.pool.queued:
            return
        work.pool.queued.remove(work)
        work.state = FINISHED
    t.emit(THREAD_WORK_END, OUTCOME_CANCELLED, work.submitter, 0, t.fid(work.future), 0)


def _overdue(books):
    """Leaves behind the works that ran too long without a report (_cond held)"""
    global _warned
    now = t._mono()
    for w in books.running:
        if w.state == RUNNING and not w.detached and now - w.since >= BUSY_NS:
            w.detached = True
            if not _warned:
                _warned = True
                sys.stderr.write("loopscope_trace: a worker thread ran %s for more than %g s "
                                 "without sleeping or returning: the virtual clock goes on "
                                 "without waiting for it\n" % (w.name, BUSY_NS / 1e9))


def _busy_since(books):
    """The oldest start of a worker's code the loop waits for, or None (_cond held)"""
    oldest = None
    for w in books.running:
        if w.state == RUNNING and not w.detached and (oldest is None or w.since < oldest):
            oldest = w.since
    return oldest


def _settle(books):
    """Waits until no worker the loop waits for is running (_cond held)"""
    while True:
        oldest = _busy_since(books)
        if oldest is None:
            return
        left = oldest + BUSY_NS - t._mono()
        if left <= 0:
            _overdue(books)
            continue
        _cond.wait(left / 1e9)


def settled(books):
    with _cond:
        _overdue(books)
        return _busy_since(books) is None


def busy_wait(books):
    """Real seconds the loop may wait for a running worker"""
    with _cond:
        oldest = _busy_since(books)
    if oldest is None:
        return 0
    return max(0.001, (oldest + BUSY_NS - t._mono()) / 1e9)


def process(books, wait):
    """ls-executor.c's process (): with @wait, first waits until no worker
    runs; then handles the reports (a sleep to park, a function that
    returned) in the order the works began, until none is left"""
    while True:
        started = []
        with _cond:
            if wait:
                _settle(books)
            nxt = None
            for w in books.running:
                if (w.state == SLEEPING or w.state == DONE) and (nxt is None or w.io < nxt.io):
                    nxt = w
            if nxt is None:
                return
            if nxt.state == SLEEPING:
                nxt.state = PARKED
                heapq.heappush(books.parks, (nxt.wake_at, nxt.io, nxt))
                continue
            nxt.state = FINISHED
            _release(books, nxt)
            pool = nxt.pool
            while pool.n_running < len(pool.slots) and pool.queued:
                w = pool.queued.popleft()
                _take(books, pool, w)
                started.append(w)
        _emit_at(nxt.t_end, THREAD_WORK_END, OUTCOME_FAILED if nxt.failed else OUTCOME_RESULT,
                 nxt.submitter, nxt.lane, t.fid(nxt.future), nxt.io)
        books.io_done.append(nxt)
        for w in started:
            # real time: its thread took it when it began it, or else (not
            # known yet) right when the work before it ended
            _begin(books, w, w.t_begin if w.t_begin >= 0 else nxt.t_end)


def fire_due_parks(books):
    """The sleeps that end at the clock's instant, earliest (then first
    begun) first; the loop waits for each worker's code that follows"""
    parks = books.parks
    while parks and parks[0][0] <= t.NOW:
        w = heapq.heappop(parks)[2]
        with _cond:
            if w.state != PARKED:
                continue
            w.state = RUNNING
            w.since = t._mono()
            w.detached = False
            _cond.notify_all()
        process(books, True)


def next_park(books):
    return books.parks[0][0] if books.parks else None


def in_flight(books):
    """Whether a work could still report something"""
    return bool(books.running or books.io_done)


def before_select(books):
    """Virtual clock, at the start of an iteration: what the workers
    reported meanwhile, and the completions that enter the ready queue now
    (ls-loop.c's io_deliver: only when no worker runs). True when some do."""
    if books.running or books.io_done:
        if settled(books):
            process(books, False)
            if books.io_done:
                books.io_done.sort(key=_io_of)
                books.deliver.extend(books.io_done)
                del books.io_done[:]
    return bool(books.deliver)


def after_select(books):
    """Real time: every report, and completions enter at once"""
    if books.running:
        process(books, False)
    if books.io_done:
        books.io_done.sort(key=_io_of)
        books.deliver.extend(books.io_done)
        del books.io_done[:]


def _io_of(work):
    return work.io


def deliver(loop, books):
    for w in books.deliver:
        t.emit(IO_COMPLETE, OUTCOME_FAILED if w.failed else OUTCOME_RESULT, 0, w.io, 0, 0)
        t.NEXT_HANDLE += 1
        h = w.handle
        h._ls = (t.NEXT_HANDLE, H_IO, 0, w.io)
        t.emit(READY_PUSH, H_IO, 0, t.NEXT_HANDLE, w.io, 0)
        loop._ready.append(h)
        w.handle = None
    del books.deliver[:]


def _block_until_idle(books, pool):
    """The loop's thread waits for @pool's works (executor.shutdown (wait=
    True)): the loop is blocked, and the clock goes to their wake-ups"""
    if not pool.n_running and not pool.queued:
        return
    start = t.NOW
    task = t.CURRENT_ID
    pos = len(t._buf)
    process(books, True)
    while pool.n_running:
        if all(w.t_end >= 0 for w in books.running if w.pool is pool):
            break  # their functions returned: what is left is the loop's to take
        when = next_park(books)
        if when is not None:
            if when > t.NOW:
                wait = t._pace_wait(when)
                if wait > 0:
                    t._real_sleep(wait)
                t.NOW = when
            fire_due_parks(books)
        else:
            with _cond:
                _settle(books)
                if not any(w.state in (SLEEPING, DONE) for w in books.running):
                    _cond.wait(0.05)
            process(books, False)
    if t.NOW > start and not t.MUTED:
        t._buf[pos:pos] = t._pack(start, BLOCKED_BEGIN, 0, task, 0, 0, t.NOW)
        t.emit(BLOCKED_END, 0, task, 0, 0, 0)


def _shutdown(self, wait=True, *, cancel_futures=False):
    """ThreadPoolExecutor.shutdown: on the virtual clock, the loop's thread
    joining its workers waits for their sleeps to end on that clock"""
    if wait and t.VIRTUAL and t._get_ident() == t.MAIN_THREAD:
        if cancel_futures:
            _orig_shutdown(self, wait=False, cancel_futures=True)
        for books in list(_loops):
            pool = books.pools.get(self)
            if pool is not None:
                _block_until_idle(books, pool)
    return _orig_shutdown(self, wait, cancel_futures=cancel_futures)


def abandon(books):
    """The loop is closed: its sleeping workers go on at once, unrecorded"""
    with _cond:
        for w in books.running:
            w.abandoned = True
        for pool in books.pools.values():
            for w in pool.queued:
                w.abandoned = True
        _cond.notify_all()
    if books in _loops:
        _loops.remove(books)


def abandon_all():
    for books in list(_loops):
        abandon(books)


def install(tracer, orig_run_in_executor):
    global t, _orig_run_in_executor
    t = tracer
    _orig_run_in_executor = orig_run_in_executor
    _ThreadPoolExecutor.shutdown = _shutdown
