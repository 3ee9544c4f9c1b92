# SPDX-License-Identifier: MIT
"""Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier and the
queues, recorded as runtime/ls-primitives.c and ls-queue.c record them.

Those C files are CPython 3.11's asyncio/locks.py and queues.py transcribed
line by line with a PRIMITIVE record at each step that matters (a waiter
listed, a lock acquired, a handoff...). This file is the same transcription
the other way round: CPython 3.11's methods, unchanged but for the same
records at the same places, installed on asyncio's own classes (so the
program's isinstance() and its subclasses still work).

A transcription is only right for the code it was made from: each class is
replaced only when its source is the one transcribed (CPython 3.11.7, see
_TRANSCRIBED). Otherwise it is left alone and said so on stderr; its waits
are still named (the futures it makes say what a task waits on) but its
owners, permits and handoffs are not recorded.
"""
import collections
import hashlib
import inspect
import linecache
import os
import re
import sys

from asyncio import exceptions, locks, mixins, queues, tasks

from . import (OBJ_BARRIER, OBJ_BOUNDED_SEMAPHORE, OBJ_CONDITION, OBJ_EVENT, OBJ_LIFO_QUEUE,
               OBJ_LOCK, OBJ_PRIORITY_QUEUE, OBJ_QUEUE, OBJ_SEMAPHORE, OBJECT_NEW,
               BARRIER_BROKEN, BARRIER_DRAINING, BARRIER_FILLING, BARRIER_RESETTING,
               P_ACQUIRED, P_BARRIER_ENTER, P_BARRIER_LEAVE, P_BARRIER_STATE, P_CLEAR, P_GET,
               P_HANDOFF, P_JOIN, P_NOTIFY, P_PART_OF, P_PUT, P_PUT_WAIT_BEGIN, P_RELEASED,
               P_SET, P_TASK_DONE, P_WAIT_BEGIN, P_WAIT_END, PRIMITIVE, W_AS_COMPLETED,
               W_BARRIER, W_CONDITION, W_EVENT, W_LOCK, W_QUEUE_GET, W_QUEUE_JOIN, W_QUEUE_PUT,
               W_SEMAPHORE)

t = None  # the _tracer module: its globals (the current task, emit) change as it runs

# sha256 (first 16 hex digits) of inspect.getsource() of each class transcribed
_TRANSCRIBED = {
    "Lock": "91ab4cc2070172e2",
    "Event": "11f4dfa4dc42a3f7",
    "Condition": "ab6e8c582edead95",
    "Semaphore": "3ba265bb07eb023e",
    "BoundedSemaphore": "8baa2535be1f35ef",
    "Barrier": "c74095d32a712923",
    "Queue": "ee2c09c337192556",
}

_ASYNCIO_DIR = os.path.dirname(locks.__file__) + os.sep
_TRACER_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep
_ASSIGNED = re.compile(r"\s*([A-Za-z_][\w.]*)\s*(?::[^=]*)?=(?!=)")

_name_override = None   # the name of a private part being made
_as_completed = False   # making as_completed()'s private queue


def _creation_name(depth=3):
    """What the program calls a new primitive (or future): the name it is
    assigned to on the line that makes it (`lock = asyncio.Lock()` is
    "lock"), or ""."""
    if _name_override is not None:
        return _name_override
    f = sys._getframe(depth)
    while f is not None and f.f_code.co_filename.startswith((_ASYNCIO_DIR, _TRACER_DIR)):
        f = f.f_back
    if f is None:
        return ""
    m = _ASSIGNED.match(linecache.getline(f.f_code.co_filename, f.f_lineno))
    return m.group(1).rsplit(".", 1)[-1] if m else ""


def _declare(p, kind, capacity, wait_reason):
    """OBJECT_NEW, as _ls_primitive_init (); a primitive made where nothing
    is recorded (another thread, asyncio.run's housekeeping) stays untraced."""
    p._ls_part = None
    p._ls_name = ""
    if _as_completed:
        # as_completed()'s queue is its own business: its getters wait
        # "as_completed", like the C runtime's
        p._ls_id = 0
        p._ls_wait = (W_AS_COMPLETED, 0)
        return
    if not t.recording():
        p._ls_id = 0
        p._ls_wait = (wait_reason, 0)
        return
    pid = t.new_id()
    p._ls_id = pid
    p._ls_wait = (wait_reason, pid)
    p._ls_name = name = _creation_name()
    t.emit(OBJECT_NEW, kind, t.CURRENT_ID, pid, t.intern(name), capacity)


def _set_wait_target(p, reason, obj):
    p._ls_wait = (reason, obj)
    part = p._ls_part
    if part is not None and getattr(part, "_ls_parent", 0) == p._ls_id:
        _set_wait_target(part, reason, obj)


def _add_part(owner, part, private):
    """PART_OF: @owner uses @part (a Condition its Lock, a Barrier its
    Condition, a Queue its join Event); a private part's waits are the
    owner's, as in ls-primitives.c."""
    owner._ls_part = part
    if owner._ls_id and part._ls_id:
        t.emit(PRIMITIVE, P_PART_OF, t.CURRENT_ID, part._ls_id, owner._ls_id, 1 if private else 0)
    if private:
        part._ls_parent = owner._ls_id
        _set_wait_target(part, *owner._ls_wait)


def _make_part(factory, owner_name, suffix):
    global _name_override
    prev = _name_override
    _name_override = owner_name + suffix if owner_name else ""
    try:
        return factory()
    finally:
        _name_override = prev


def _op(p, op, subject, peer, arg):
    pid = p._ls_id
    if pid:
        t.emit(PRIMITIVE, op, subject, pid, peer, arg)


def _append_waiter(p, waiters, fut, op):
    """fut = loop.create_future(); waiters.append(fut), as
    _ls_waiters_append (): the future says what its task waits on."""
    reason, obj = p._ls_wait
    if op == P_PUT_WAIT_BEGIN:
        reason = W_QUEUE_PUT
    fut._ls_reason = reason
    fut._ls_object = obj
    me = t.CURRENT_ID
    fut._ls_task = me
    if p._ls_id:
        t.emit(PRIMITIVE, op, me, p._ls_id, t.fid(fut), len(waiters))
    waiters.append(fut)


def _wake(p, fut, arg, value):
    """HANDOFF to the waiter's task, then its future completes
    (_ls_waiter_wake ())."""
    if p._ls_id:
        t.emit(PRIMITIVE, P_HANDOFF, t.CURRENT_ID, p._ls_id, fut._ls_task, arg)
    fut.set_result(value)


# ---- Lock ------------------------------------------------------------------------------

class Lock:
    def __init__(self):
        self._waiters = None
        self._locked = False
        _declare(self, OBJ_LOCK, 1, W_LOCK)

    async def acquire(self):
        if (not self._locked and (self._waiters is None or
                all(w.cancelled() for w in self._waiters))):
            self._locked = True
            _op(self, P_ACQUIRED, t.CURRENT_ID, 0, 1)
            return True

        if self._waiters is None:
            self._waiters = collections.deque()
        fut = self._get_loop().create_future()
        _append_waiter(self, self._waiters, fut, P_WAIT_BEGIN)

        # Finally block should be called before the CancelledError
        # handling as we don't want CancelledError to call
        # _wake_up_first() and attempt to wake up itself.
        try:
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        except exceptions.CancelledError:
            _op(self, P_WAIT_END, t.CURRENT_ID, 0, 1 if self._locked else 0)
            if not self._locked:
                self._wake_up_first()
            raise

        self._locked = True
        _op(self, P_ACQUIRED, t.CURRENT_ID, 0, 1)
        return True

    def release(self):
        if self._locked:
            self._locked = False
            _op(self, P_RELEASED, t.CURRENT_ID, 0, 0)
            self._wake_up_first()
        else:
            raise RuntimeError('Lock is not acquired.')

    def _wake_up_first(self):
        if not self._waiters:
            return
        try:
            fut = next(iter(self._waiters))
        except StopIteration:
            return

        if not fut.done():
            _wake(self, fut, 0, True)


# ---- Event -----------------------------------------------------------------------------

class Event:
    def __init__(self):
        self._waiters = collections.deque()
        self._value = False
        _declare(self, OBJ_EVENT, 0, W_EVENT)

    def set(self):
        if not self._value:
            self._value = True
            _op(self, P_SET, t.CURRENT_ID, 0, 1)

            for fut in self._waiters:
                if not fut.done():
                    _wake(self, fut, 1, True)

    def clear(self):
        # the C runtime records a change only
        if self._value:
            _op(self, P_CLEAR, t.CURRENT_ID, 0, 0)
        self._value = False

    async def wait(self):
        if self._value:
            _op(self, P_ACQUIRED, t.CURRENT_ID, 0, 1)
            return True

        fut = self._get_loop().create_future()
        _append_waiter(self, self._waiters, fut, P_WAIT_BEGIN)
        try:
            await fut
        except BaseException:
            self._waiters.remove(fut)
            _op(self, P_WAIT_END, t.CURRENT_ID, 0, 1 if self._value else 0)
            raise
        else:
            self._waiters.remove(fut)
            _op(self, P_ACQUIRED, t.CURRENT_ID, 0, 1 if self._value else 0)
            return True


# ---- Condition -------------------------------------------------------------------------

class Condition:
    def __init__(self, lock=None):
        _declare(self, OBJ_CONDITION, 0, W_CONDITION)
        if lock is None:
            lock = _make_part(locks.Lock, self._ls_name, ":lock")
            _add_part(self, lock, True)
        else:
            _add_part(self, lock, False)

        self._lock = lock
        # Export the lock's locked(), acquire() and release() methods.
        self.locked = lock.locked
        self.acquire = lock.acquire
        self.release = lock.release

        self._waiters = collections.deque()

    async def wait(self):
        if not self.locked():
            raise RuntimeError('cannot wait on un-acquired lock')

        self.release()
        try:
            fut = self._get_loop().create_future()
            _append_waiter(self, self._waiters, fut, P_WAIT_BEGIN)
            try:
                await fut
            except BaseException:
                self._waiters.remove(fut)
                _op(self, P_WAIT_END, t.CURRENT_ID, 0, 0)
                raise
            else:
                self._waiters.remove(fut)
                _op(self, P_ACQUIRED, t.CURRENT_ID, 0, 0)
                return True

        finally:
            # Must reacquire lock even if wait is cancelled
            cancelled = False
            while True:
                try:
                    await self.acquire()
                    break
                except exceptions.CancelledError:
                    cancelled = True

            if cancelled:
                raise exceptions.CancelledError

    def notify(self, n=1):
        if not self.locked():
            raise RuntimeError('cannot notify on un-acquired lock')
        _op(self, P_NOTIFY, t.CURRENT_ID, 0, n)

        idx = 0
        for fut in self._waiters:
            if idx >= n:
                break

            if not fut.done():
                idx += 1
                _wake(self, fut, 0, False)


# ---- Semaphore, BoundedSemaphore -----------------------------------------------------------

class Semaphore:
    def __init__(self, value=1):
        if value < 0:
            raise ValueError("Semaphore initial value must be >= 0")
        self._waiters = None
        self._value = value
        _declare(self, OBJ_BOUNDED_SEMAPHORE if isinstance(self, locks.BoundedSemaphore)
                 else OBJ_SEMAPHORE, value, W_SEMAPHORE)

    async def acquire(self):
        if not self.locked():
            self._value -= 1
            _op(self, P_ACQUIRED, t.CURRENT_ID, 0, self._value)
            return True

        if self._waiters is None:
            self._waiters = collections.deque()
        fut = self._get_loop().create_future()
        _append_waiter(self, self._waiters, fut, P_WAIT_BEGIN)

        try:
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        except exceptions.CancelledError:
            handed = not fut.cancelled()
            if handed:
                self._value += 1
            _op(self, P_WAIT_END, t.CURRENT_ID, 0, self._value)
            if handed:
                self._wake_up_next()
            raise

        _op(self, P_ACQUIRED, t.CURRENT_ID, 0, self._value)
        if self._value > 0:
            self._wake_up_next()
        return True

    def release(self):
        self._value += 1
        _op(self, P_RELEASED, t.CURRENT_ID, 0, self._value)
        self._wake_up_next()

    def _wake_up_next(self):
        if not self._waiters:
            return

        for fut in self._waiters:
            if not fut.done():
                self._value -= 1
                _wake(self, fut, self._value, True)
                return


class BoundedSemaphore:
    def __init__(self, value=1):
        self._bound_value = value
        super(locks.BoundedSemaphore, self).__init__(value)


# ---- Barrier -------------------------------------------------------------------------------

_BARRIER_STATES = {
    locks._BarrierState.FILLING: BARRIER_FILLING,
    locks._BarrierState.DRAINING: BARRIER_DRAINING,
    locks._BarrierState.RESETTING: BARRIER_RESETTING,
    locks._BarrierState.BROKEN: BARRIER_BROKEN,
}


def _barrier_state(b, state):
    b._state = state
    _op(b, P_BARRIER_STATE, t.CURRENT_ID, 0, _BARRIER_STATES[state])


class Barrier:
    def __init__(self, parties):
        if parties < 1:
            raise ValueError('parties must be > 0')

        _declare(self, OBJ_BARRIER, parties, W_BARRIER)
        self._cond = _make_part(locks.Condition, self._ls_name, ":cond")
        _add_part(self, self._cond, True)

        self._parties = parties
        self._state = locks._BarrierState.FILLING
        self._count = 0       # count tasks in Barrier

    async def wait(self):
        async with self._cond:
            await self._block() # Block while the barrier drains or resets.
            try:
                index = self._count
                self._count += 1
                _op(self, P_BARRIER_ENTER, t.CURRENT_ID, 0, self._count)
                if index + 1 == self._parties:
                    # We release the barrier
                    await self._release()
                else:
                    await self._wait()
                return index
            finally:
                self._count -= 1
                _op(self, P_BARRIER_LEAVE, t.CURRENT_ID, 0, self._count)
                # Wake up any tasks waiting for barrier to drain.
                self._exit()

    async def _release(self):
        _barrier_state(self, locks._BarrierState.DRAINING)
        self._cond.notify_all()

    def _exit(self):
        if self._count == 0:
            if self._state in (locks._BarrierState.RESETTING, locks._BarrierState.DRAINING):
                _barrier_state(self, locks._BarrierState.FILLING)
            self._cond.notify_all()

    async def reset(self):
        async with self._cond:
            if self._count > 0:
                if self._state is not locks._BarrierState.RESETTING:
                    #reset the barrier, waking up tasks
                    _barrier_state(self, locks._BarrierState.RESETTING)
            else:
                _barrier_state(self, locks._BarrierState.FILLING)
            self._cond.notify_all()

    async def abort(self):
        async with self._cond:
            _barrier_state(self, locks._BarrierState.BROKEN)
            self._cond.notify_all()


# ---- Queue, PriorityQueue, LifoQueue ---------------------------------------------------------

class Queue:
    def __init__(self, maxsize=0):
        global _as_completed
        kind = (OBJ_PRIORITY_QUEUE if isinstance(self, queues.PriorityQueue)
                else OBJ_LIFO_QUEUE if isinstance(self, queues.LifoQueue) else OBJ_QUEUE)
        prev = _as_completed
        _as_completed = sys._getframe(1).f_code is _AS_COMPLETED_CODE
        try:
            _declare(self, kind, maxsize, W_QUEUE_GET)
            self._maxsize = maxsize

            # Futures.
            self._getters = collections.deque()
            # Futures.
            self._putters = collections.deque()
            self._unfinished_tasks = 0
            self._finished = _make_part(locks.Event, self._ls_name, ":finished")
            _add_part(self, self._finished, True)
            if self._ls_id:
                _set_wait_target(self._finished, W_QUEUE_JOIN, self._ls_id)
            self._finished.set()
            self._init(maxsize)
        finally:
            _as_completed = prev

    def _wakeup_next(self, waiters):
        # Wake up the next waiter (if any) that isn't cancelled.
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                _wake(self, waiter, self.qsize(), None)
                break
            _op(self, P_WAIT_END, waiter._ls_task, t.CURRENT_ID, self.qsize())

    async def put(self, item):
        while self.full():
            putter = self._get_loop().create_future()
            _append_waiter(self, self._putters, putter, P_PUT_WAIT_BEGIN)
            try:
                await putter
            except:
                putter.cancel()  # Just in case putter is not done yet.
                try:
                    # Clean self._putters from canceled putters.
                    self._putters.remove(putter)
                    _op(self, P_WAIT_END, t.CURRENT_ID, 0, self.qsize())
                except ValueError:
                    # The putter could be removed from self._putters by a
                    # previous get_nowait call.
                    pass
                if not self.full() and not putter.cancelled():
                    # We were woken up by get_nowait(), but can't take
                    # the call.  Wake up the next in line.
                    self._wakeup_next(self._putters)
                raise
        return self.put_nowait(item)

    def put_nowait(self, item):
        if self.full():
            raise queues.QueueFull
        self._put(item)
        self._unfinished_tasks += 1
        _op(self, P_PUT, t.CURRENT_ID, 0, self.qsize())
        self._finished.clear()
        self._wakeup_next(self._getters)

    async def get(self):
        while self.empty():
            getter = self._get_loop().create_future()
            _append_waiter(self, self._getters, getter, P_WAIT_BEGIN)
            try:
                await getter
            except:
                getter.cancel()  # Just in case getter is not done yet.
                try:
                    # Clean self._getters from canceled getters.
                    self._getters.remove(getter)
                    _op(self, P_WAIT_END, t.CURRENT_ID, 0, self.qsize())
                except ValueError:
                    # The getter could be removed from self._getters by a
                    # previous put_nowait call.
                    pass
                if not self.empty() and not getter.cancelled():
                    # We were woken up by put_nowait(), but can't take
                    # the call.  Wake up the next in line.
                    self._wakeup_next(self._getters)
                raise
        return self.get_nowait()

    def get_nowait(self):
        if self.empty():
            raise queues.QueueEmpty
        item = self._get()
        _op(self, P_GET, t.CURRENT_ID, 0, self.qsize())
        self._wakeup_next(self._putters)
        return item

    def task_done(self):
        if self._unfinished_tasks <= 0:
            raise ValueError('task_done() called too many times')
        self._unfinished_tasks -= 1
        _op(self, P_TASK_DONE, t.CURRENT_ID, 0, self._unfinished_tasks)
        if self._unfinished_tasks == 0:
            self._finished.set()

    async def join(self):
        _op(self, P_JOIN, t.CURRENT_ID, 0, self._unfinished_tasks)
        if self._unfinished_tasks > 0:
            await self._finished.wait()


_AS_COMPLETED_CODE = tasks.as_completed.__code__

_METHODS = {
    "Lock": (locks.Lock, Lock, ("__init__", "acquire", "release", "_wake_up_first")),
    "Event": (locks.Event, Event, ("__init__", "set", "clear", "wait")),
    "Condition": (locks.Condition, Condition, ("__init__", "wait", "notify")),
    "Semaphore": (locks.Semaphore, Semaphore,
                  ("__init__", "acquire", "release", "_wake_up_next")),
    "BoundedSemaphore": (locks.BoundedSemaphore, BoundedSemaphore, ("__init__",)),
    "Barrier": (locks.Barrier, Barrier,
                ("__init__", "wait", "_release", "_exit", "reset", "abort")),
    "Queue": (queues.Queue, Queue,
              ("__init__", "_wakeup_next", "put", "put_nowait", "get", "get_nowait",
               "task_done", "join")),
}


def _fingerprint(cls):
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return None
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def install(tracer):
    global t
    t = tracer
    skipped = []
    for name, (cls, transcription, methods) in _METHODS.items():
        if _fingerprint(cls) != _TRANSCRIBED[name]:
            skipped.append(name)
            continue
        for method in methods:
            setattr(cls, method, transcription.__dict__[method])
    for cls in (locks.Lock, locks.Event, locks.Condition, locks.Semaphore, locks.Barrier,
                queues.Queue):
        cls._ls_id = 0
        cls._ls_part = None
        cls._ls_parent = 0
        cls._ls_wait = (0, 0)
        cls._ls_name = ""
    if skipped:
        sys.stderr.write("loopscope_trace: asyncio's %s of this Python (%s) are not the ones "
                         "Loopscope transcribed (CPython 3.11.7): their waits are traced, their "
                         "owners, permits and handoffs are not\n"
                         % (", ".join(skipped), sys.version.split()[0]))
