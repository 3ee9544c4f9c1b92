# SPDX-License-Identifier: MIT
"""The hooks: CPython's asyncio, recorded the way Loopscope's runtime records
its own loop (runtime/ls-loop.c, ls-future.c, ls-combinators.c).

What is hooked, and where the C runtime writes the same record:

* the loop (every asyncio loop, patched on BaseEventLoop): _run_once is
  transcribed from CPython 3.11 with the records of ls-loop.c's
  begin_iteration/run_one_handle (TIMER_FIRE, READY_PUSH, ITERATION_BEGIN,
  HANDLE_RUN, ITERATION_END); _call_soon, call_at, _add_callback and the
  thread-safe call_soon write READY_PUSH and TIMER_ADD; a cancelled timer
  TIMER_CANCEL; create_future tags a future with what a task awaiting it
  waits on, from the asyncio function that made it (sleep, wait_for...);
* the pure-Python Future: add_done_callback and __schedule_callbacks are
  transcribed (they are ten lines in every version) so that a completion
  writes FUTURE_DONE or TASK_DONE before its callbacks are queued, as
  ls-future.c does;
* the pure-Python Task: __step is wrapped (the current task), cancel writes
  CANCEL_REQUEST; a task suspends when its wakeup becomes a done callback
  (TASK_SUSPEND on what it awaits) or its step is queued again (a bare yield);
* gather's future, asyncio.timeout() (SCOPE_BEGIN/END), time.sleep on the
  virtual clock (LOOP_BLOCKED_*);
* the primitives and queues: see _primitives.py;
* asyncio.TaskGroup: see _taskgroups.py;
* run_in_executor and to_thread (their works and the threads' lanes, and a
  worker's time.sleep on the virtual clock): see _threads.py;
* sys.stdout: each line the program writes is a PRINT record.

Records are buffered and written at the end of a loop iteration (or while
the loop waits), never in the middle of one, so that asyncio.create_task(...,
name=) can still name the task it has just made (3.11 names it after
creating it), and a blocked stretch can still be marked after the HANDLE_RUN
of the callback that held the loop.
"""
import collections
import contextvars
import datetime
import functools
import heapq
import os
import re
import sys
import threading
import time
import traceback
import types

from . import (BLOCKED_BEGIN, BLOCKED_END, CANCEL_REQUEST, E_BROKEN_BARRIER, E_CANCELLED,
               E_EXCEPTION_GROUP, E_FAILED, E_INVALID_STATE, E_QUEUE_EMPTY, E_QUEUE_FULL, E_RUNTIME, E_TIMEOUT,
               E_VALUE, END_NOT_STARTED, END_RAISED, FRAME_STRING, FUTURE_DONE, H_CALLBACK,
               H_IO, H_TASK_STEP, H_TASK_WAKEUP, H_TIMER, HANDLE_RUN, IO_BEGIN, IO_COMPLETE,
               ITERATION_BEGIN, ITERATION_END, OBJ_FUTURE, OBJ_GATHER, OBJ_TASK, OBJECT_NEW,
               OUTCOME_CANCELLED, OUTCOME_FAILED, OUTCOME_RESULT, PRINT, READY_PUSH,
               SCOPE_BEGIN, SCOPE_END, SOURCE_LINE, TASK_DONE, TASK_SUSPEND, TIMER_ADD,
               TIMER_CANCEL, TIMER_FIRE, W_AS_COMPLETED, W_CALL_LATER, W_FUTURE, W_GATHER,
               W_IO, W_SHIELD, W_SLEEP, W_TASK, W_TASK_GROUP, W_TIMEOUT_SCOPE, W_WAIT,
               W_WAIT_FOR, W_YIELD, NotStarted, VirtualClockDeadlock)
from ._stream import FRAME_HEADER, RECORD


# ---- the record buffer --------------------------------------------------------

_pack = RECORD.pack


_pack2 = __import__("struct").Struct("<qHHIIIqqHHIIIq").pack  # two records


_pack_into = RECORD.pack_into
_buf = bytearray()
_extend = _buf.extend
_strings = bytearray()        # STRING frames not written yet
_string_ids = {}              # str -> id
_string_bytes = {}            # UTF-8 -> id: two texts that encode alike are one string
_n_strings = 1                # id 0 is "no string"

WRITER = None
_mono = time.monotonic_ns
_real_sleep = time.sleep
_real_time = time.time
_real_time_ns = time.time_ns
_real_monotonic = time.monotonic
_get_ident = threading.get_ident
_MethodType = types.MethodType
_CoroutineType = types.CoroutineType
_GeneratorType = types.GeneratorType
_partial = functools.partial

MAIN_THREAD = _get_ident()
VIRTUAL = False
SPEED = None                  # the virtual clock's pace, or None (instant)
NOW = 0                       # the virtual clock, ns
T0 = _mono()                  # real time: time 0 of the trace
BLOCKED_NS = 100000000        # real time: a callback longer than this is a blocked stretch
FLUSH_NS = 30000000           # real or paced time: the viewer sees records this often
MAX_LAG_NS = 50000000         # paced: falling further behind restarts the pacing
PACE_NS = 0
PACE_WALL = _mono()
_last_flush = _mono()
LAST_T = 0                    # the time of the last record written

NEXT_ID = 1                   # tasks, futures, timers, primitives, scopes, I/O
NEXT_HANDLE = 0               # ready-queue handles: a namespace of their own, as in C
SEQ = 0                       # timers: (deadline, scheduling order)
ITERATION = 0
IN_ITERATION = False
EPOCH = 0                     # counts iteration begins and ends: "the same iteration"
MUTED = 0

CURRENT = None                # the task whose step is running (until it suspends)
CURRENT_ID = 0
CAUSE = 0                     # what queued the running callback (a future, timer, I/O)
SCHEDULING = 0                # the future whose callbacks are being queued

PROGRAM = ""                  # the program's file: SOURCE_LINE refers to it
_FOREIGN = {}                 # handle -> info, for handles that are not ours (I/O)
_FOREIGN_PRINTS = collections.deque()


def _emit_virtual(kind, reason, subject, obj, peer, arg):
    _extend(_pack(NOW, kind, reason, subject, obj, peer, arg))


def _emit_real(kind, reason, subject, obj, peer, arg):
    _extend(_pack(_mono() - T0, kind, reason, subject, obj, peer, arg))


def _emit_nothing(kind, reason, subject, obj, peer, arg):
    pass


emit = _emit_virtual


def now_ns():
    return NOW if VIRTUAL else _mono() - T0


def new_id():
    global NEXT_ID
    i = NEXT_ID
    NEXT_ID = i + 1
    return i


def fid(f):
    """The id of a future (or anything with an _ls_id), given on first use."""
    global NEXT_ID
    i = f._ls_id
    if not i:
        i = NEXT_ID
        NEXT_ID = i + 1
        f._ls_id = i
    return i


def recording():
    return not MUTED and _get_ident() == MAIN_THREAD


def intern(text):
    """The id of @text in the stream (0 for an empty one)."""
    global _n_strings
    if not text:
        return 0
    i = _string_ids.get(text)
    if i is not None:
        return i
    data = text.replace("\0", "\ufffd").encode("utf-8", "replace")
    i = _string_bytes.get(data)
    if i is None:
        i = _n_strings
        _n_strings += 1
        _string_bytes[data] = i
        _strings.extend(FRAME_HEADER.pack(FRAME_STRING, 4 + len(data)))
        _strings.extend(i.to_bytes(4, "little"))
        _strings.extend(data)
    _string_ids[text] = i
    return i


def flush():
    global _last_flush, LAST_T
    if _FOREIGN_PRINTS and _get_ident() == MAIN_THREAD:
        _drain_prints()
    if _buf:
        LAST_T = int.from_bytes(_buf[-32:-24], "little", signed=True)
    if _buf or _strings:
        WRITER.strings_and_records(_strings, _buf)
        del _strings[:]
        del _buf[:]
    _last_flush = _mono()


def _maybe_flush():
    if len(_buf) > 1 << 20 or (
            (not VIRTUAL or SPEED) and _mono() - _last_flush > FLUSH_NS):
        flush()


def _mute():
    global MUTED, emit
    MUTED += 1
    emit = _emit_nothing


def _unmute():
    global MUTED, emit
    MUTED -= 1
    if MUTED == 0:
        emit = _emit_virtual if VIRTUAL else _emit_real


def _seconds_to_ns(seconds):
    # ls_seconds_to_ns (): the same rounding as the C runtime
    return int(seconds * 1e9 + (0.5 if seconds >= 0 else -0.5))


def _loop_ns(when):
    """A loop.time() value as an instant of the trace."""
    if VIRTUAL:
        return round(when * 1e9)
    return round(when * 1e9) - T0


# ---- the virtual clock ----------------------------------------------------------

def _pace_wait(target):
    """Paced virtual clock: wall-clock seconds until it may reach @target."""
    global PACE_NS, PACE_WALL
    if not SPEED:
        return 0.0
    wall = _mono()
    limit = PACE_NS + (wall - PACE_WALL) * SPEED
    if limit >= target:
        if limit - target > MAX_LAG_NS * SPEED:
            # far behind (a stopped process, a slow machine): pace from here
            PACE_NS = target
            PACE_WALL = wall
        return 0.0
    return (target - limit) / SPEED / 1e9


def _virtual_sleep(seconds):
    """time.sleep on the virtual clock: the whole loop is blocked, as with
    ls_blocking_sleep (), and the clock moves on by exactly @seconds."""
    global NOW
    if _get_ident() != MAIN_THREAD:
        # an executor's worker sleeps on the virtual clock (_threads.py),
        # any other thread in real time
        if seconds < 0 or not _threads.worker_sleep(_seconds_to_ns(seconds)):
            return _real_sleep(seconds)
        return None
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    d = _seconds_to_ns(seconds)
    if d <= 0:
        return None
    task = CURRENT_ID
    emit(BLOCKED_BEGIN, 0, task, 0, 0, NOW + d)
    wait = _pace_wait(NOW + d)
    if wait > 0:
        if not IN_ITERATION:
            flush()
        _real_sleep(wait)
    NOW += d
    emit(BLOCKED_END, 0, task, 0, 0, 0)
    return None


_WALL0 = _real_time()


def _clock_ns():
    """The virtual clock as this thread reads it: the loop's on the main
    thread, a work's own on an executor's worker, None on any other thread:
    its time.sleep is real, and so is its clock (a library's thread that
    waits with a timeout on the virtual clock would spin forever)."""
    if _get_ident() == MAIN_THREAD:
        return NOW
    return _threads.work_clock()


def _virtual_time():
    n = _clock_ns()
    return _real_time() if n is None else _WALL0 + n / 1e9


def _virtual_time_ns():
    n = _clock_ns()
    return _real_time_ns() if n is None else int(_WALL0 * 1e9) + n


def _virtual_monotonic():
    n = _clock_ns()
    return _real_monotonic() if n is None else n / 1e9


class _RealInstances(type):
    """isinstance () and issubclass () against a virtual-clock class answer
    as for the class it stands in for: values made before the tracer, or
    by arithmetic, are still datetimes."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, cls._ls_real)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, cls._ls_real)

    def __init__(cls, name, bases, namespace):
        super().__init__(name, bases, namespace)
        # repr () (which reads the C type's name, "datetime.date") and
        # pickling name the class it stands in for
        cls.__name__ = "datetime." + cls._ls_real.__name__
        cls.__qualname__ = cls._ls_real.__qualname__
        cls.__module__ = cls._ls_real.__module__


class _VirtualDate(datetime.date, metaclass=_RealInstances):
    """datetime.date whose today () reads the virtual clock"""
    _ls_real = datetime.date

    @classmethod
    def today(cls):
        return cls.fromtimestamp(_virtual_time())


class _VirtualDatetime(datetime.datetime, metaclass=_RealInstances):
    """datetime.datetime whose now (), utcnow () and today () read the
    virtual clock, as time.time () does: a program that schedules by the
    wall clock sees it move with its sleeps"""
    _ls_real = datetime.datetime

    @classmethod
    def now(cls, tz=None):
        return cls.fromtimestamp(_virtual_time(), tz)

    @classmethod
    def utcnow(cls):
        return cls.utcfromtimestamp(_virtual_time())

    @classmethod
    def today(cls):
        return cls.fromtimestamp(_virtual_time())


def _virtual_monotonic_ns():
    n = _clock_ns()
    return _mono() if n is None else n


# ---- stdout ----------------------------------------------------------------------

def _program_line_here():
    f = sys._getframe(2)
    while f is not None:
        if f.f_code.co_filename == PROGRAM:
            return f.f_lineno
        f = f.f_back
    return 0


def _drain_prints():
    while _FOREIGN_PRINTS:
        emit(PRINT, 0, 0, 0, intern(_FOREIGN_PRINTS.popleft()), 0)


def _print_line(text):
    if _get_ident() != MAIN_THREAD:
        # stamped when the loop's thread takes it
        _FOREIGN_PRINTS.append(text)
        return
    if _FOREIGN_PRINTS:
        _drain_prints()
    task = CURRENT
    if task is not None:
        line = _program_line_here()
        if line and line != task._ls_line:
            task._ls_line = line
            emit(SOURCE_LINE, 0, CURRENT_ID, 0, 0, line)
    emit(PRINT, 0, CURRENT_ID, 0, intern(text), 0)
    if not IN_ITERATION:
        _maybe_flush()


class _Stdout(object):
    """sys.stdout while the program runs: every complete line is a PRINT
    record at the instant its newline is written; the text still reaches the
    real stdout (Loopscope sends that to /dev/null)."""

    def __init__(self, real):
        self._real = real
        self._pending = []

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        real = self._real
        if real is not None:
            real.write(s)
        if "\n" not in s:
            if s:
                self._pending.append(s)
            return len(s)
        parts = s.split("\n")
        if self._pending:
            parts[0] = "".join(self._pending) + parts[0]
            self._pending = []
        for line in parts[:-1]:
            _print_line(line)
        if parts[-1]:
            self._pending.append(parts[-1])
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if self._real is not None:
            self._real.flush()

    def finish(self):
        """The last line, when the program ended without its newline."""
        if self._pending:
            text = "".join(self._pending)
            self._pending = []
            _print_line(text)

    def writable(self):
        return True

    def readable(self):
        return False

    def __getattr__(self, name):
        return getattr(self._real, name)


# ---- handles ------------------------------------------------------------------------

from asyncio import base_events, events, exceptions, futures, tasks, timeouts  # noqa: E402
import asyncio  # noqa: E402

from . import _taskgroups, _threads  # noqa: E402

if not (tasks.Task is tasks._PyTask and futures.Future is futures._PyFuture):
    raise NotStarted("asyncio was imported with its C accelerator before the tracer could "
                     "block it (a sitecustomize module?): its tasks cannot be traced")


class _Handle(events.Handle):
    """A ready-queue handle that knows its record fields:
    (handle id, LsHandleKind, task, cause), or None on a loop not traced."""
    __slots__ = ("_ls",)


class _TimerHandle(events.TimerHandle):
    """A timer ordered by (deadline, scheduling order): with equal deadlines
    (on the virtual clock they are exact) timers fire in the order they were
    scheduled, as they do in a real run and in Loopscope's heap."""
    __slots__ = ("_ls", "_ls_key", "_ls_tid")

    def __lt__(self, other):
        return self._ls_key < other._ls_key

    def __le__(self, other):
        return self._ls_key <= other._ls_key

    def __gt__(self, other):
        return self._ls_key > other._ls_key

    def __ge__(self, other):
        return self._ls_key >= other._ls_key

    __hash__ = events.TimerHandle.__hash__


# ---- tasks and futures ------------------------------------------------------------------

_PENDING = futures._PENDING
_CANCELLED = futures._CANCELLED
_Task = tasks.Task
_Future = futures.Future
_step = _Task._Task__step
_wakeup_func = _Task._Task__wakeup
_orig_cancel = _Task.cancel
_orig_set_name = _Task.set_name
# private names of asyncio the hooks look for; a Python without one of
# them loses only what it serves (a wait reason, a timer's purpose)
_release_waiter = getattr(tasks, "_release_waiter", None)
_set_result_unless_cancelled = futures._set_result_unless_cancelled


_current_tasks = tasks._current_tasks


def _enter_task(loop, task):
    """tasks._enter_task (), at the start of Task.__step: the task is also the
    current one for the records made while its coroutine runs, as
    _ls_current_task is in ls-future.c."""
    global CURRENT, CURRENT_ID
    current_task = _current_tasks.get(loop)
    if current_task is not None:
        raise RuntimeError(f"Cannot enter into task {task!r} while another "
                           f"task {current_task!r} is being executed.")
    _current_tasks[loop] = task
    # only the main thread's tasks are declared: a loop in another thread
    # leaves the current task alone
    tid = task._ls_id
    if tid:
        CURRENT = task
        CURRENT_ID = tid


def _leave_task(loop, task):
    """tasks._leave_task ()"""
    global CURRENT, CURRENT_ID
    current_task = _current_tasks.get(loop)
    if current_task is not task:
        raise RuntimeError(f"Leaving task {task!r} does not match "
                           f"the current task {current_task!r}.")
    del _current_tasks[loop]
    if task._ls_id:
        CURRENT = None
        CURRENT_ID = 0


def _task_number(name):
    if name.startswith("Task-") and name[5:].isdigit():
        return 0, int(name[5:])
    return intern(name), 0


def _declare_task(task):
    global NEXT_ID
    tid = NEXT_ID
    NEXT_ID = tid + 1
    task._ls_id = tid
    task._ls_born = EPOCH
    name = task._name
    if name.startswith("Task-") and name[5:].isdigit():
        emit(OBJECT_NEW, OBJ_TASK, CURRENT_ID, tid, 0, int(name[5:]))
    else:
        emit(OBJECT_NEW, OBJ_TASK, CURRENT_ID, tid, intern(name), 0)
    return tid


# how far back a rename looks for the task's OBJECT_NEW
_RENAME_RECORDS = 4096


def _set_name(self, value):
    _orig_set_name(self, value)
    # asyncio.create_task(coro, name=...) names the task just after making
    # it: its OBJECT_NEW, among the last records, is still in the buffer
    # (written at the end of the iteration), and takes the name. A name
    # given in a later iteration is not the one it was made with.
    tid = self._ls_id
    if not tid or self._ls_born != EPOCH:
        return
    size = RECORD.size
    stop = max(0, len(_buf) - _RENAME_RECORDS * size)
    off = len(_buf) - size
    while off >= stop:
        if (_buf[off + 8] == OBJECT_NEW and _buf[off + 9] == 0 and _buf[off + 10] == OBJ_TASK
                and int.from_bytes(_buf[off + 16:off + 20], "little") == tid):
            peer, number = _task_number(self._name)
            _pack_into(_buf, off, *(RECORD.unpack_from(_buf, off)[:5] + (peer, number)))
            return
        off -= size


def _source_line(task):
    """SOURCE_LINE: where in the program the task is, the innermost of its
    coroutines that is the program's own. It runs at every suspension, so
    the usual case is made short: the task's own coroutine stopped where it
    stopped last time, awaiting something that is not the program's (a
    line number is looked up only when that changes: finding it walks the
    code's line table)."""
    coro = task._coro
    if type(coro) is not _CoroutineType:
        return
    f = coro.cr_frame
    if f is None:
        return
    lasti = f.f_lasti
    if f is task._ls_frame and lasti == task._ls_lasti:
        return
    inner = f
    if f.f_code.co_filename == PROGRAM:
        coro = coro.cr_await
        # the program's own coroutines it awaits, down to asyncio's
        while type(coro) is _CoroutineType:
            frame = coro.cr_frame
            if frame is None or frame.f_code.co_filename != PROGRAM:
                break
            inner = frame
            coro = coro.cr_await
    else:
        # a task of a library's coroutine: the program's code, if any, is
        # deeper down
        for _ in range(64):
            coro = coro.cr_await
            if type(coro) is not _CoroutineType or coro.cr_frame is None:
                return
            inner = coro.cr_frame
            if inner.f_code.co_filename == PROGRAM:
                break
        else:
            return
    if inner is f:
        # the short way next time, while it stops at the same place
        task._ls_frame = f
        task._ls_lasti = lasti
    else:
        task._ls_frame = None
    line = inner.f_lineno
    if line and line != task._ls_line:
        task._ls_line = line
        emit(SOURCE_LINE, 0, task._ls_id, 0, 0, line)


def _suspend(task, fut):
    """The running task awaits @fut (its wakeup becomes a done callback)."""
    global CURRENT, CURRENT_ID
    _source_line(task)
    f = fut._ls_id or fid(fut)
    emit(TASK_SUSPEND, fut._ls_reason, task._ls_id, fut._ls_object or f, f, fut._ls_deadline)
    CURRENT = None
    CURRENT_ID = 0


def _suspend_yield(task):
    """The running task yields bare (sleep(0)): its step is queued again."""
    global CURRENT, CURRENT_ID
    _source_line(task)
    if not MUTED:
        _extend(_pack(NOW if VIRTUAL else _mono() - T0, TASK_SUSPEND, W_YIELD, task._ls_id, 0, 0,
                      -1))
    CURRENT = None
    CURRENT_ID = 0


def _add_done_callback(self, fn, *, context=None):
    global SCHEDULING
    if type(fn) is _MethodType:
        if fn.__func__ is _wakeup_func:
            task = fn.__self__
            if task is CURRENT and task is not None:
                _suspend(task, self)
    elif (type(fn) is _partial and fn.func is _release_waiter and fn.args
          and _traced(self._loop)):
        # wait_for: its waiter waits for this future
        fn.args[0]._ls_object = fid(self)
    if self._state != _PENDING:
        if not _traced(self._loop):
            self._loop.call_soon(fn, self, context=context)
            return
        prev = SCHEDULING
        SCHEDULING = fid(self)
        try:
            self._loop.call_soon(fn, self, context=context)
        finally:
            SCHEDULING = prev
    else:
        if context is None:
            context = contextvars.copy_context()
        self._callbacks.append((fn, context))


def _error_code(exc):
    if isinstance(exc, exceptions.CancelledError):
        return E_CANCELLED
    if isinstance(exc, TimeoutError):
        return E_TIMEOUT
    if isinstance(exc, exceptions.InvalidStateError):
        return E_INVALID_STATE
    if isinstance(exc, exceptions.BrokenBarrierError):
        return E_BROKEN_BARRIER
    if isinstance(exc, asyncio.QueueFull):
        return E_QUEUE_FULL
    if isinstance(exc, asyncio.QueueEmpty):
        return E_QUEUE_EMPTY
    if isinstance(exc, BaseExceptionGroup):
        return E_EXCEPTION_GROUP
    if isinstance(exc, ValueError):
        return E_VALUE
    if isinstance(exc, RuntimeError):
        return E_RUNTIME
    return E_FAILED


_CODE_NAMES = {E_CANCELLED: "CancelledError", E_TIMEOUT: "TimeoutError",
               E_INVALID_STATE: "InvalidStateError", E_BROKEN_BARRIER: "BrokenBarrierError",
               E_QUEUE_FULL: "QueueFull", E_QUEUE_EMPTY: "QueueEmpty", E_VALUE: "ValueError",
               E_RUNTIME: "RuntimeError", E_FAILED: "Exception",
               E_EXCEPTION_GROUP: "ExceptionGroup"}


def _error_arg(exc):
    """TASK_DONE's arg (ls_trace_error_arg () in ls-trace.h): the code, and
    the name of the exception's class where the code does not say it"""
    code = _error_code(exc)
    name = type(exc).__qualname__
    if name == _CODE_NAMES.get(code):
        return code
    return code | (intern(name) << 8)


def _text(exc):
    try:
        return str(exc)
    except Exception:
        return type(exc).__name__


def _traced(loop):
    """Whether @loop is recorded: one of asyncio's, made in the main thread"""
    return getattr(loop, "_ls_traced", False)


_foreign_loops = set()


def _foreign_loop(loop):
    """A loop that is not asyncio's own (uvloop's, say): nothing of it is
    recorded, and stderr says so once."""
    name = type(loop).__module__ + "." + type(loop).__qualname__
    if name not in _foreign_loops:
        _foreign_loops.add(name)
        sys.stderr.write("loopscope_trace: the program runs on %s, not on asyncio's own event "
                         "loop: its iterations, timers and tasks are not recorded (its output "
                         "is)\n" % name)
    return False


def _schedule_callbacks(self):
    """Future.__schedule_callbacks, writing first what completed, as
    ls-future.c does: TASK_DONE for a task, FUTURE_DONE for any other."""
    global CURRENT, CURRENT_ID, SCHEDULING
    loop = self._loop
    f = 0
    try:
        traced = loop._ls_traced
    except AttributeError:
        traced = _foreign_loop(loop)
    if traced:
        if self._ls_is_task:
            f = self._ls_id
            if f:
                if self is CURRENT:
                    CURRENT = None
                    CURRENT_ID = 0
                if self._state == _CANCELLED:
                    exc = self._cancelled_exc
                    text = _text(exc) if exc is not None else (self._cancel_message or "")
                    emit(TASK_DONE, OUTCOME_CANCELLED, f, 0, intern(str(text)), E_CANCELLED)
                elif self._exception is not None:
                    exc = self._exception
                    emit(TASK_DONE, OUTCOME_FAILED, f, 0, intern(_text(exc)), _error_arg(exc))
                else:
                    emit(TASK_DONE, OUTCOME_RESULT, f, 0, 0, 0)
        else:
            f = self._ls_id or fid(self)
            emit(FUTURE_DONE, OUTCOME_CANCELLED if self._state == _CANCELLED
                 else OUTCOME_FAILED if self._exception is not None else OUTCOME_RESULT,
                 CURRENT_ID, f, CAUSE, 0)
    callbacks = self._callbacks[:]
    if not callbacks:
        return
    self._callbacks[:] = []
    if not traced:
        for callback, ctx in callbacks:
            loop.call_soon(callback, self, context=ctx)
        return
    prev = SCHEDULING
    SCHEDULING = f
    try:
        for callback, ctx in callbacks:
            loop.call_soon(callback, self, context=ctx)
    finally:
        SCHEDULING = prev


def _cancel(self, msg=None):
    r = _orig_cancel(self, msg)
    tid = self._ls_id
    if tid and getattr(self._loop, "_ls_traced", False):
        emit(CANCEL_REQUEST, 0, CURRENT_ID, tid, intern(str(msg)) if msg is not None else 0,
             1 if r else 0)
    return r


_orig_gathering_init = tasks._GatheringFuture.__init__


def _gathering_init(self, children, *, loop):
    _orig_gathering_init(self, children, loop=loop)
    if getattr(self._loop, "_ls_traced", False) and recording():
        emit(OBJECT_NEW, OBJ_GATHER, CURRENT_ID, fid(self), 0, len(children))


# ---- asyncio.timeout() ---------------------------------------------------------------

_orig_timeout_aenter = timeouts.Timeout.__aenter__
_orig_timeout_aexit = timeouts.Timeout.__aexit__
_timeout_on_timeout = timeouts.Timeout._on_timeout


async def _timeout_aenter(self):
    if recording():
        sid = new_id()
        self._ls_id = sid
        when = self._when
        emit(SCOPE_BEGIN, 0, CURRENT_ID, sid, 0, _loop_ns(when) if when is not None else -1)
    return await _orig_timeout_aenter(self)


async def _timeout_aexit(self, exc_type, exc_val, exc_tb):
    sid = getattr(self, "_ls_id", 0)
    try:
        r = await _orig_timeout_aexit(self, exc_type, exc_val, exc_tb)
    except TimeoutError:
        if sid:
            emit(SCOPE_END, OUTCOME_FAILED, CURRENT_ID, sid, 0, 1)
        raise
    if sid:
        emit(SCOPE_END, OUTCOME_RESULT, CURRENT_ID, sid, 0, 1 if self.expired() else 0)
    return r


# ---- the loop --------------------------------------------------------------------------

_BaseEventLoop = base_events.BaseEventLoop
_orig_loop_init = _BaseEventLoop.__init__
_orig_run_once = _BaseEventLoop._run_once
_orig_run_until_complete = _BaseEventLoop.run_until_complete
_orig_run_in_executor = _BaseEventLoop.run_in_executor
_orig_loop_close = _BaseEventLoop.close
_orig_call_soon_threadsafe = _BaseEventLoop.call_soon_threadsafe
_MAXIMUM_SELECT_TIMEOUT = base_events.MAXIMUM_SELECT_TIMEOUT
_MIN_SCHEDULED = base_events._MIN_SCHEDULED_TIMER_HANDLES
_MIN_CANCELLED_FRACTION = base_events._MIN_CANCELLED_TIMER_HANDLES_FRACTION
_HOUSEKEEPING = {_BaseEventLoop.shutdown_asyncgens.__code__,
                 _BaseEventLoop.shutdown_default_executor.__code__}


def _closure_code(func, name):
    for const in getattr(func, "__code__", types.CodeType).co_consts:
        if isinstance(const, types.CodeType) and const.co_name == name:
            return const
    return None


_SET_STATE_CODE = _closure_code(futures._chain_future, "_set_state")
_AS_COMPLETED_TIMEOUT_CODE = _closure_code(tasks.as_completed, "_on_timeout")


def _future_reasons():
    """What a task awaiting a future waits on, by the asyncio function that
    made the future (the C runtime tags its futures the same way)."""
    reasons = {}
    for module, name, reason in ((tasks, "sleep", W_SLEEP), (tasks, "wait_for", W_WAIT_FOR),
                                 (tasks, "_cancel_and_wait", W_WAIT_FOR),
                                 (tasks, "_wait", W_WAIT), (tasks, "shield", W_SHIELD),
                                 (futures, "wrap_future", W_IO)):
        func = getattr(module, name, None)
        if func is not None:
            reasons[func] = reason
    from asyncio import selector_events, streams, base_subprocess
    for cls, names in ((selector_events.BaseSelectorEventLoop,
                        ("sock_recv", "sock_recv_into", "sock_recvfrom", "sock_recvfrom_into",
                         "sock_sendall", "sock_sendto", "sock_connect", "sock_accept")),
                       (streams.StreamReader, ("_wait_for_data",)),
                       (streams.FlowControlMixin, ("_drain_helper",)),
                       (base_subprocess.BaseSubprocessTransport, ("_wait",))):
        for name in names:
            func = getattr(cls, name, None)
            if func is not None:
                reasons[func] = W_IO
    codes = {f.__code__: r for f, r in reasons.items() if hasattr(f, "__code__")}
    for code in _taskgroups.aexit_codes():
        codes[code] = W_TASK_GROUP
    return codes


_FUTURE_REASONS = _future_reasons()
_SHIELD_CODE = tasks.shield.__code__
_WRAP_FUTURE_CODE = futures.wrap_future.__code__
_WAIT_FOR_CODE = tasks.wait_for.__code__
_ASYNCIO_DIR = os.path.dirname(tasks.__file__) + os.sep
_TRACER_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _loop_init(self, *args, **kwargs):
    _orig_loop_init(self, *args, **kwargs)
    # only loops of the program's main thread are traced
    self._ls_traced = _get_ident() == MAIN_THREAD
    self._ls_foreign = collections.deque()
    self._ls_in_flight = 0        # executors that are no pools of threads (_threads.py)
    self._ls_threads = None       # the books of its executors' works (_threads.py)


def _loop_close(self):
    books = getattr(self, "_ls_threads", None)
    if books is not None:
        _threads.abandon(books)
    return _orig_loop_close(self)


def _loop_time(self):
    return NOW / 1e9


def _create_future(self):
    fut = _Future(loop=self)
    if self._ls_traced:
        code = sys._getframe(1).f_code
        r = _FUTURE_REASONS.get(code)
        if r is not None:
            fut._ls_reason = r
            if code is _SHIELD_CODE:
                inner = sys._getframe(1).f_locals.get("inner")
                if inner is not None and hasattr(inner, "_ls_id"):
                    fut._ls_object = fid(inner)
            elif r == W_TASK_GROUP:
                # TaskGroup.__aexit__ waits for the group's tasks
                fut._ls_object = getattr(sys._getframe(1).f_locals.get("self"), "_ls_id", 0)
            elif code is _WRAP_FUTURE_CODE and _threads.SUBMITTING is not None:
                # run_in_executor's future, known as the work's before
                # _chain_future can post its completion
                _threads.SUBMITTING.future = fut
                fut._ls_work = _threads.SUBMITTING
        elif (not code.co_filename.startswith((_ASYNCIO_DIR, _TRACER_DIR))
              and recording()):
            # a future of the program's own is an object of its own, as
            # ls_future_new () declares it; asyncio's are not
            from ._primitives import _creation_name
            emit(OBJECT_NEW, OBJ_FUTURE, CURRENT_ID, fid(fut),
                 intern(_creation_name(2)), 0)
    return fut


_new_handle = _Handle.__new__
_copy_context = contextvars.copy_context


def _call_soon_public(self, callback, *args, context=None):
    """BaseEventLoop.call_soon, with _call_soon's work done in place."""
    if self._closed:
        raise RuntimeError('Event loop is closed')
    if self._debug:
        self._check_thread()
        self._check_callback(callback, 'call_soon')
        handle = self._call_soon(callback, args, context)
        if handle._source_traceback:
            del handle._source_traceback[-1]
        return handle
    return _call_soon(self, callback, args, context)


def _call_soon(self, callback, args, context):
    global CURRENT, CURRENT_ID, NEXT_HANDLE
    if self._debug:
        handle = _Handle(callback, args, self, context)
        if handle._source_traceback:
            del handle._source_traceback[-1]
    else:
        # Handle.__init__ without a debug loop, written out: it runs at
        # every switch
        handle = _new_handle(_Handle)
        handle._context = context if context is not None else _copy_context()
        handle._loop = self
        handle._callback = callback
        handle._args = args
        handle._cancelled = False
        handle._repr = None
        handle._source_traceback = None
    if self._ls_traced:
        task = 0
        if type(callback) is _MethodType:
            func = callback.__func__
            if func is _step:
                kind = H_TASK_STEP
                owner = callback.__self__
                task = owner._ls_id
                if owner is CURRENT and task:
                    # a bare yield (sleep(0)), the switch loop's path: the
                    # task suspends and its step is queued again
                    NEXT_HANDLE += 1
                    hid = NEXT_HANDLE
                    handle._ls = (hid, H_TASK_STEP, task, task)
                    if not MUTED:
                        _source_line(owner)
                        t = NOW if VIRTUAL else _mono() - T0
                        _extend(_pack2(t, TASK_SUSPEND, W_YIELD, task, 0, 0, -1,
                                       t, READY_PUSH, H_TASK_STEP, task, hid, task, 0))
                    CURRENT = None
                    CURRENT_ID = 0
                    self._ready.append(handle)
                    return handle
                if not task:
                    # Task.__init__ queues the first step: the task is born
                    cause = CURRENT_ID
                    if not MUTED and _get_ident() == MAIN_THREAD:
                        task = _declare_task(owner)
                elif owner is CURRENT:
                    _suspend_yield(owner)
                    cause = task
                else:
                    cause = 0
            elif func is _wakeup_func:
                kind = H_TASK_WAKEUP
                task = callback.__self__._ls_id
                cause = SCHEDULING or (fid(args[0]) if args else 0)
            else:
                kind = H_CALLBACK
                cause = SCHEDULING or CAUSE
        else:
            kind = H_CALLBACK
            cause = SCHEDULING or CAUSE
        NEXT_HANDLE += 1
        handle._ls = (NEXT_HANDLE, kind, task, cause)
        if not MUTED:
            _extend(_pack(NOW if VIRTUAL else _mono() - T0, READY_PUSH, kind, task, NEXT_HANDLE,
                          cause, 0))
    else:
        handle._ls = None
    self._ready.append(handle)
    return handle


def _call_soon_threadsafe(self, callback, *args, context=None):
    if not self._ls_traced:
        return _orig_call_soon_threadsafe(self, callback, *args, context=context)
    work = None
    if getattr(callback, "__code__", None) is _SET_STATE_CODE and len(args) == 2:
        # futures._chain_future: an executor's work is over
        work = _threads.work_of(args[0])
        if work is not None and args[1].cancelled() and _get_ident() == MAIN_THREAD:
            # cancelled before a thread took it
            _threads.cancelled(work)
            return _orig_call_soon_threadsafe(self, callback, *args, context=context)
    if work is None and _get_ident() == MAIN_THREAD:
        return _orig_call_soon_threadsafe(self, callback, *args, context=context)
    # From another thread (or a work that was over before wrap_future
    # chained it): the handle enters the ready queue at the start of the
    # loop's next iteration, as finished I/O does in Loopscope's loop, so
    # that the records keep the order of the ready queue.
    self._check_closed()
    if self._debug:
        self._check_callback(callback, "call_soon_threadsafe")
    handle = _Handle(callback, args, self, context)
    handle._ls = None
    if handle._source_traceback:
        del handle._source_traceback[-1]
    if work is not None:
        # the loop's thread takes it in the works' order
        _threads.posted(work, handle, args[1])
        return handle
    _threads.touched_loop()
    self._ls_foreign.append(handle)
    self._write_to_self()
    return handle


def _deliver_foreign(self):
    global NEXT_HANDLE
    foreign = self._ls_foreign
    while foreign:
        h = foreign.popleft()
        io = 0
        cb = h._callback
        if cb is not None and getattr(cb, "__code__", None) is _SET_STATE_CODE and h._args:
            dest, source = h._args[0], h._args[1]
            io = getattr(dest, "_ls_io", 0)
            if io:
                self._ls_in_flight -= 1
                failed = source.cancelled() or source.exception() is not None
                emit(IO_COMPLETE, OUTCOME_FAILED if failed else OUTCOME_RESULT, 0, io, 0, 0)
        NEXT_HANDLE += 1
        h._ls = (NEXT_HANDLE, H_IO, 0, io)
        emit(READY_PUSH, H_IO, 0, NEXT_HANDLE, io, 0)
        self._ready.append(h)


def _add_callback(self, handle):
    global NEXT_HANDLE
    if not handle._cancelled:
        if self._ls_traced:
            cb = handle._callback
            if getattr(cb, "__self__", None) is self and getattr(cb, "__name__", "") == (
                    "_read_from_self"):
                # the loop's own wake-up (call_soon_threadsafe): its bytes
                # are read at once, not as a handle of an iteration, as
                # Loopscope's loop is woken without a record
                handle._run()
                return
            NEXT_HANDLE += 1
            info = (NEXT_HANDLE, H_IO, 0, 0)
            try:
                handle._ls = info
            except AttributeError:
                _FOREIGN[handle] = info
            emit(READY_PUSH, H_IO, 0, NEXT_HANDLE, 0, 0)
        self._ready.append(handle)


def _timer_purpose(callback, args, deadline):
    """(LsWaitReason, related id) of a timer, from its callback; tags the
    future a task will wait on with the timer's deadline."""
    if callback is _set_result_unless_cancelled and args:
        fut = args[0]
        if getattr(fut, "_ls_reason", 0) == W_SLEEP:
            fut._ls_deadline = deadline
            return W_SLEEP, fid(fut), fut
    elif callback is _release_waiter and args:
        waiter = args[0]
        r = getattr(waiter, "_ls_reason", 0)
        if r == W_WAIT_FOR:
            waiter._ls_deadline = deadline
            return r, _wait_for_target(waiter), None
        if r == W_WAIT:
            waiter._ls_deadline = deadline
            return r, fid(waiter), None
    elif type(callback) is _MethodType and callback.__func__ is _timeout_on_timeout:
        return W_TIMEOUT_SCOPE, getattr(callback.__self__, "_ls_id", 0), None
    elif getattr(callback, "__code__", None) is _AS_COMPLETED_TIMEOUT_CODE:
        return W_AS_COMPLETED, 0, None
    return W_CALL_LATER, 0, None


def _wait_for_target(waiter):
    """What wait_for () waits for, when it is a future already: its timer
    names it, as ls_wait_for ()'s does (a coroutine becomes a task only
    after the timer is set, in CPython 3.11)."""
    f = sys._getframe(3)
    for _ in range(4):
        if f is None:
            break
        if f.f_code is _WAIT_FOR_CODE:
            fut = f.f_locals.get("fut")
            if isinstance(fut, _Future):
                waiter._ls_object = fid(fut)
                return waiter._ls_object
            break
        f = f.f_back
    return 0


def _add_timer(loop, when, ns, callback, args, context):
    global SEQ
    timer = _TimerHandle(when, callback, args, loop, context)
    if timer._source_traceback:
        del timer._source_traceback[-1]
    SEQ += 1
    timer._ls_key = (ns if VIRTUAL else when, SEQ)
    timer._ls = None
    if loop._ls_traced and recording():
        tid = new_id()
        timer._ls_tid = tid
        reason, related, fut = _timer_purpose(callback, args, ns)
        if fut is not None:
            fut._ls_object = tid
        emit(TIMER_ADD, reason, CURRENT_ID, tid, related, ns)
    else:
        timer._ls_tid = 0
    heapq.heappush(loop._scheduled, timer)
    timer._scheduled = True
    return timer


def _call_at(self, when, callback, *args, context=None):
    if when is None:
        raise TypeError("when cannot be None")
    self._check_closed()
    if self._debug:
        self._check_thread()
        self._check_callback(callback, "call_at")
    ns = _loop_ns(when)
    if VIRTUAL:
        when = ns / 1e9
    return _add_timer(self, when, ns, callback, args, context)


def _call_later(self, delay, callback, *args, context=None):
    if delay is None:
        raise TypeError("delay must not be None")
    if not VIRTUAL:
        timer = self.call_at(self.time() + delay, callback, *args, context=context)
    else:
        # deadlines as the C runtime computes them: now + delay, in ns
        self._check_closed()
        if self._debug:
            self._check_thread()
            self._check_callback(callback, "call_later")
        ns = NOW + _seconds_to_ns(delay)
        timer = _add_timer(self, ns / 1e9, ns, callback, args, context)
    if timer._source_traceback:
        del timer._source_traceback[-1]
    return timer


def _timer_handle_cancelled(self, handle):
    if handle._scheduled:
        self._timer_cancelled_count += 1
        tid = getattr(handle, "_ls_tid", 0)
        if tid:
            emit(TIMER_CANCEL, 0, 0, tid, 0, 0)


def _waiting_on_fds(loop):
    """Whether something besides the loop's own self-pipe is registered."""
    selector = loop._selector
    if selector is None:
        return False
    ssock = getattr(loop, "_ssock", None)
    own = ssock.fileno() if ssock is not None else -1
    for key in selector.get_map().values():
        if key.fd != own:
            return True
    return False


def _other_threads():
    main = threading.main_thread()
    for t in threading.enumerate():
        if t is not main and not t.name.startswith(("asyncio_", "ThreadPoolExecutor-")):
            return True
    return False


def _virtual_select(self):
    """The poll of an iteration on the virtual clock: nothing waits in real
    time unless something real (a worker thread's code, a socket) is
    awaited; when nothing is ready the clock jumps to the next deadline, a
    timer's or a sleeping worker's (paced, with --speed), never while a
    worker runs. As ls-loop.c's begin_iteration: completions of works
    enter first, then the clock may jump, then the sleeps that end now end."""
    global NOW
    selector = self._selector
    books = self._ls_threads
    completions = books is not None and _threads.before_select(books)
    if self._ready or self._stopping or self._ls_foreign or completions:
        if books is not None:
            _threads.fire_due_parks(books)
        return selector.select(0)
    scheduled = self._scheduled
    target = scheduled[0]._ls_key[0] if scheduled else None
    if books is not None:
        park = _threads.next_park(books)
        if park is not None and (target is None or park < target):
            target = park
        if (target is None or target > NOW) and not _threads.settled(books):
            # a worker's code between two sleeps takes no time: wait for it
            flush()
            return selector.select(_threads.busy_wait(books))
    if target is not None:
        event_list = selector.select(0)
        if event_list:
            return event_list
        if target > NOW:
            if self._ls_in_flight > 0:
                flush()
                return selector.select(None)
            wait = _pace_wait(target)
            if wait > 0:
                flush()
                event_list = selector.select(wait)
                if event_list or self._ls_foreign:
                    return event_list
            NOW = target
        if books is not None:
            _threads.fire_due_parks(books)
        return []
    if (self._ls_in_flight > 0 or (books is not None and _threads.in_flight(books))
            or _waiting_on_fds(self) or _other_threads()):
        flush()
        return selector.select(None)
    raise VirtualClockDeadlock("nothing is ready, no timer is pending and nothing is in "
                               "flight: on the virtual clock the program would wait forever")


def _run_once(self):
    """BaseEventLoop._run_once (CPython 3.11), recording what ls-loop.c
    records; an iteration with nothing to run records nothing."""
    global ITERATION, IN_ITERATION, CAUSE, NEXT_HANDLE, EPOCH
    if not self._ls_traced:
        return _orig_run_once(self)
    scheduled = self._scheduled
    sched_count = len(scheduled)
    if (sched_count > _MIN_SCHEDULED and
            self._timer_cancelled_count / sched_count > _MIN_CANCELLED_FRACTION):
        new_scheduled = []
        for handle in scheduled:
            if handle._cancelled:
                handle._scheduled = False
            else:
                new_scheduled.append(handle)
        heapq.heapify(new_scheduled)
        self._scheduled = scheduled = new_scheduled
        self._timer_cancelled_count = 0
    else:
        while scheduled and scheduled[0]._cancelled:
            self._timer_cancelled_count -= 1
            handle = heapq.heappop(scheduled)
            handle._scheduled = False

    ready = self._ready
    if VIRTUAL:
        event_list = _virtual_select(self)
    else:
        timeout = None
        if ready or self._stopping or self._ls_foreign:
            timeout = 0
        elif scheduled:
            timeout = min(max(0, scheduled[0]._when - self.time()), _MAXIMUM_SELECT_TIMEOUT)
        if timeout != 0:
            flush()
        event_list = self._selector.select(timeout)
    self._process_events(event_list)
    event_list = None
    books = self._ls_threads
    if books is not None:
        if not VIRTUAL:
            _threads.after_select(books)
        if books.deliver:
            _threads.deliver(self, books)
    if self._ls_foreign:
        _deliver_foreign(self)
    if _FOREIGN_PRINTS:
        _drain_prints()

    if VIRTUAL:
        while scheduled and scheduled[0]._ls_key[0] <= NOW:
            _timer_due(self, heapq.heappop(scheduled))
    else:
        end_time = self.time() + self._clock_resolution
        while scheduled:
            if scheduled[0]._when >= end_time:
                break
            _timer_due(self, heapq.heappop(scheduled))

    ntodo = len(ready)
    if ntodo == 0:
        return
    if not MUTED:
        ITERATION += 1
    EPOCH += 1
    emit(ITERATION_BEGIN, 0, 0, ntodo, 0, ITERATION)
    IN_ITERATION = True
    popleft = ready.popleft
    try:
        if VIRTUAL or MUTED:
            for _ in range(ntodo):
                handle = popleft()
                try:
                    info = handle._ls
                except AttributeError:
                    info = _FOREIGN.pop(handle, None)
                if info is None:
                    NEXT_HANDLE += 1
                    info = (NEXT_HANDLE, H_CALLBACK, 0, 0)
                hid, kind, task, cause = info
                if handle._cancelled:
                    emit(HANDLE_RUN, kind, task, hid, cause, 1)
                    continue
                CAUSE = cause if kind >= H_CALLBACK else 0
                emit(HANDLE_RUN, kind, task, hid, cause, 0)
                try:
                    handle._context.run(handle._callback, *handle._args)
                except (SystemExit, KeyboardInterrupt):
                    raise
                except BaseException as exc:
                    _callback_failed(handle, exc)
            CAUSE = 0
        else:
            # real time: one reading of the clock per handle; the next
            # handle's start is where this one ended
            t0 = -1
            for _ in range(ntodo):
                handle = popleft()
                try:
                    info = handle._ls
                except AttributeError:
                    info = _FOREIGN.pop(handle, None)
                if info is None:
                    NEXT_HANDLE += 1
                    info = (NEXT_HANDLE, H_CALLBACK, 0, 0)
                hid, kind, task, cause = info
                t = _mono() - T0
                if t0 >= 0 and t - t0 > BLOCKED_NS:
                    _blocked(pos, t0, t, last_task)
                if handle._cancelled:
                    t0 = -1
                    _extend(_pack(t, HANDLE_RUN, kind, task, hid, cause, 1))
                    continue
                CAUSE = cause if kind >= H_CALLBACK else 0
                _extend(_pack(t, HANDLE_RUN, kind, task, hid, cause, 0))
                pos = len(_buf)
                t0 = t
                last_task = task
                # Handle._run (), in place
                try:
                    handle._context.run(handle._callback, *handle._args)
                except (SystemExit, KeyboardInterrupt):
                    raise
                except BaseException as exc:
                    _callback_failed(handle, exc)
            CAUSE = 0
            if t0 >= 0:
                t = _mono() - T0
                if t - t0 > BLOCKED_NS:
                    _blocked(pos, t0, t, last_task)
    finally:
        IN_ITERATION = False
    handle = None
    EPOCH += 1
    emit(ITERATION_END, 0, 0, 0, 0, ITERATION)
    _maybe_flush()


def _callback_failed(handle, exc):
    """The except clause of Handle._run ()"""
    from asyncio import format_helpers
    cb = format_helpers._format_callback_source(handle._callback, handle._args)
    context = {'message': f'Exception in callback {cb}', 'exception': exc, 'handle': handle}
    if handle._source_traceback:
        context['source_traceback'] = handle._source_traceback
    handle._loop.call_exception_handler(context)


def _timer_due(loop, timer):
    global NEXT_HANDLE
    timer._scheduled = False
    tid = timer._ls_tid
    NEXT_HANDLE += 1
    if not timer._cancelled and tid:
        emit(TIMER_FIRE, 0, 0, tid, NEXT_HANDLE, 0)
    timer._ls = (NEXT_HANDLE, H_TIMER, 0, tid)
    emit(READY_PUSH, H_TIMER, 0, NEXT_HANDLE, tid, 0)
    loop._ready.append(timer)


def _blocked(pos, t0, t1, task):
    """Real time: the callback that just ran held the loop from t0 to t1.
    LOOP_BLOCKED_BEGIN goes right after its HANDLE_RUN (records are written
    only at the end of an iteration, so it is still in the buffer)."""
    _buf[pos:pos] = _pack(t0, BLOCKED_BEGIN, 0, task, 0, 0, t1)
    _extend(_pack(t1, BLOCKED_END, 0, task, 0, 0, 0))


def _run_until_complete(self, future):
    # asyncio.run's housekeeping after the program's main task
    # (shutdown_asyncgens, shutdown_default_executor) is not the program's
    if getattr(future, "cr_code", None) in _HOUSEKEEPING:
        _mute()
        try:
            return _orig_run_until_complete(self, future)
        finally:
            _unmute()
    return _orig_run_until_complete(self, future)


def _callable_name(func):
    while isinstance(func, functools.partial):
        if func.func is contextvars.Context.run or getattr(func.func, "__name__", "") == "run":
            if func.args:
                func = func.args[0]
                continue
        func = func.func
    return getattr(func, "__qualname__", None) or getattr(func, "__name__", None) or repr(func)


def _run_in_executor(self, executor, func, *args):
    if not (self._ls_traced and recording()):
        return _orig_run_in_executor(self, executor, func, *args)
    return _threads.run_in_executor(self, executor, func, args)


# ---- installing ------------------------------------------------------------------------

def _install(virtual, speed, blocked_threshold):
    global VIRTUAL, SPEED, BLOCKED_NS, emit, PACE_WALL
    VIRTUAL = virtual
    SPEED = speed
    BLOCKED_NS = int(blocked_threshold * 1e9)
    emit = _emit_virtual if virtual else _emit_real
    PACE_WALL = _mono()

    # what a task awaiting each kind of future waits on
    _Future._ls_id = 0
    _Future._ls_reason = W_FUTURE
    _Future._ls_object = 0
    _Future._ls_deadline = -1
    _Future._ls_task = 0
    _Future._ls_io = 0
    _Future._ls_is_task = False
    _Task._ls_reason = W_TASK
    _Task._ls_is_task = True
    _Task._ls_line = 0
    _Task._ls_born = -1
    _Task._ls_frame = None
    _Task._ls_lasti = -1
    tasks._GatheringFuture._ls_reason = W_GATHER
    timeouts.Timeout._ls_id = 0

    _Future.add_done_callback = _add_done_callback
    _Future._Future__schedule_callbacks = _schedule_callbacks
    tasks._enter_task = _enter_task
    tasks._leave_task = _leave_task
    _Task.cancel = _cancel
    _Task.set_name = _set_name
    tasks._GatheringFuture.__init__ = _gathering_init
    timeouts.Timeout.__aenter__ = _timeout_aenter
    timeouts.Timeout.__aexit__ = _timeout_aexit

    _BaseEventLoop._ls_traced = False
    _BaseEventLoop.__init__ = _loop_init
    _BaseEventLoop._run_once = _run_once
    _BaseEventLoop._call_soon = _call_soon
    _BaseEventLoop.call_soon = _call_soon_public
    _BaseEventLoop.call_soon_threadsafe = _call_soon_threadsafe
    _BaseEventLoop.call_at = _call_at
    _BaseEventLoop.call_later = _call_later
    _BaseEventLoop._add_callback = _add_callback
    _BaseEventLoop._timer_handle_cancelled = _timer_handle_cancelled
    _BaseEventLoop.create_future = _create_future
    _BaseEventLoop.run_until_complete = _run_until_complete
    _BaseEventLoop.run_in_executor = _run_in_executor

    _BaseEventLoop.close = _loop_close
    _BaseEventLoop._ls_threads = None

    from . import _primitives
    _primitives.install(sys.modules[__name__])
    _taskgroups.install(sys.modules[__name__])
    _threads.install(sys.modules[__name__], _orig_run_in_executor)

    if virtual:
        _BaseEventLoop.time = _loop_time
        time.sleep = _virtual_sleep
        time.time = _virtual_time
        time.time_ns = _virtual_time_ns
        datetime.datetime = _VirtualDatetime
        datetime.date = _VirtualDate
        time.monotonic = _virtual_monotonic
        time.monotonic_ns = _virtual_monotonic_ns
        time.perf_counter = _virtual_monotonic
        time.perf_counter_ns = _virtual_monotonic_ns


def _forked():
    # a child of the program writes nothing on the parent's stream
    WRITER.dead = True
    _mute()


def _exit_text(code):
    if code is None:
        return 0, ""
    if isinstance(code, int):
        return code, ("SystemExit: %d" % code) if code else ""
    sys.stderr.write("%s\n" % (code,))
    return 1, "SystemExit: %s" % (code,)


def _finish(status, flags, text):
    flush()
    WRITER.end(status, flags, now_ns(), text)


def run(writer, program, args, virtual, speed, blocked_threshold):
    """Runs @program as `python3 PROGRAM.py ARGS` would, traced; returns the
    exit status."""
    global WRITER, PROGRAM, T0, _WALL0
    WRITER = writer
    path = os.path.abspath(program)
    try:
        with open(path, "rb") as f:
            source = f.read()
    except OSError as exc:
        return _not_started("%s: %s" % (program, exc.strerror or exc))
    try:
        code = compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return _not_started("%s:%s: %s: %s" % (program, exc.lineno, type(exc).__name__, exc.msg))
    except (ValueError, UnicodeError) as exc:
        return _not_started("%s: %s: %s" % (program, type(exc).__name__, exc))

    PROGRAM = path
    _install(virtual, speed, blocked_threshold)
    os.register_at_fork(after_in_child=_forked)

    main = types.ModuleType("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    sys.argv[:] = [program] + list(args)
    sys.path[0] = os.path.dirname(path)

    real_exit = os._exit

    def traced_exit(status):
        try:
            stdout.finish()
            _finish(status, END_RAISED if status else 0,
                    ("os._exit(%d)" % status) if status else "")
        finally:
            real_exit(status)

    stdout = _Stdout(sys.stdout)
    sys.stdout = stdout
    os._exit = traced_exit
    T0 = _mono()
    _WALL0 = _real_time()
    status, flags, text = 0, 0, ""
    try:
        exec(code, main.__dict__)
    except SystemExit as exc:
        status, text = _exit_text(exc.code)
        flags = END_RAISED if status else 0
    except BaseException as exc:  # the program's uncaught exception
        tb = exc.__traceback__
        # from the program's code on, as python3 PROGRAM.py shows it
        traceback.print_exception(type(exc), exc, tb.tb_next if tb is not None else None)
        status = 1
        flags = END_RAISED
        text = traceback.format_exception_only(type(exc), exc)[-1].strip()
    finally:
        try:
            stdout.finish()
        except Exception:
            pass
        sys.stdout = stdout._real
        try:
            sys.stdout.flush()
        except (OSError, ValueError, AttributeError):
            pass
        # a worker still asleep on the virtual clock would hold the
        # interpreter's exit (it joins the pools' threads)
        _threads.abandon_all()
    _finish(status, flags, text)
    return status


def _not_started(message):
    sys.stderr.write("loopscope_trace: %s\n" % message)
    WRITER.end(2, END_NOT_STARTED, 0, message)
    return 2
