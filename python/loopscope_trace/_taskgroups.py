# SPDX-License-Identifier: MIT
"""asyncio.TaskGroup, recorded as runtime/ls-task-group.c records it.

The group's own methods are wrapped, not transcribed: what they do differs
from one CPython to the next (3.12 runs the done callback of a task that
finished eagerly at once, 3.12 and 3.13 move the parent's uncancel()), and
each record only needs to know when a method is entered or left:

* __aenter__, once it succeeded: OBJECT_NEW of kind task group (subject:
  the parent task);
* create_task, once the task exists (its OBJECT_NEW and first READY_PUSH
  are just before): TASK_GROUP_ADD;
* _abort, before it cancels: TASK_GROUP_ABORT with the number of tasks not
  done yet and, when a task's failure made the group abort, that task
  (_on_task_done is wrapped to say which; the body's error or the parent's
  cancellation abort from __aexit__, with no task);
* __aexit__, when it returns or raises: TASK_GROUP_EXIT with the outcome,
  the error's text and how many errors the ExceptionGroup holds.

The future __aexit__ waits on is tagged where the tracer tags every future
(_tracer._create_future): its waiting task waits on the group.

CPython keeps a group's tasks in a set, so _abort cancels them in an order
of object addresses; here they are kept in creation order, the order
Loopscope's runtime and the reference programs' virtual loop use (one of
the orders CPython may take, and the same on every run).
"""
from asyncio import exceptions, taskgroups

from . import (OBJ_TASK_GROUP, OBJECT_NEW, OUTCOME_CANCELLED, OUTCOME_FAILED, OUTCOME_RESULT,
               TASK_GROUP_ABORT, TASK_GROUP_ADD, TASK_GROUP_EXIT)

t = None  # the _tracer module: its globals (the current task, emit) change as it runs

_TaskGroup = taskgroups.TaskGroup
_orig_init = _TaskGroup.__init__
_orig_aenter = _TaskGroup.__aenter__
_orig_aexit = _TaskGroup.__aexit__
_orig_create_task = _TaskGroup.create_task
_orig_abort = getattr(_TaskGroup, "_abort", None)
_orig_on_task_done = getattr(_TaskGroup, "_on_task_done", None)

# the task whose end _on_task_done is handling: the one whose failure aborts
_ending = 0


class _OrderedSet(object):
    """A group's set of tasks, iterated in the order they were added"""
    __slots__ = ("_items",)

    def __init__(self, items=()):
        self._items = dict.fromkeys(items)

    def add(self, item):
        self._items[item] = None

    def discard(self, item):
        self._items.pop(item, None)

    def remove(self, item):
        del self._items[item]

    def __contains__(self, item):
        return item in self._items

    def __iter__(self):
        return iter(list(self._items))

    def __len__(self):
        return len(self._items)


def _init(self, *args, **kwargs):
    _orig_init(self, *args, **kwargs)
    self._ls_id = 0
    if type(getattr(self, "_tasks", None)) is set:
        self._tasks = _OrderedSet(self._tasks)


async def _aenter(self):
    r = await _orig_aenter(self)
    parent = self._parent_task
    if t._traced(self._loop) and t.recording() and getattr(parent, "_ls_id", 0):
        gid = t.new_id()
        self._ls_id = gid
        t.emit(OBJECT_NEW, OBJ_TASK_GROUP, parent._ls_id, gid, 0, 0)
    return r


async def _aexit(self, et, exc, tb):
    gid = getattr(self, "_ls_id", 0)
    try:
        r = await _orig_aexit(self, et, exc, tb)
    except BaseException as e:
        if gid:
            parent = self._parent_task._ls_id
            if isinstance(e, exceptions.CancelledError):
                t.emit(TASK_GROUP_EXIT, OUTCOME_CANCELLED, parent, gid, t.intern(t._text(e)), 0)
            else:
                n = len(e.exceptions) if isinstance(e, BaseExceptionGroup) else 1
                t.emit(TASK_GROUP_EXIT, OUTCOME_FAILED, parent, gid, t.intern(t._text(e)), n)
        raise
    if gid:
        t.emit(TASK_GROUP_EXIT, OUTCOME_RESULT, self._parent_task._ls_id, gid, 0, 0)
    return r


def _create_task(self, coro, *, name=None, context=None):
    task = _orig_create_task(self, coro, name=name, context=context)
    gid = getattr(self, "_ls_id", 0)
    if gid and task._ls_id:
        t.emit(TASK_GROUP_ADD, 0, task._ls_id, gid, 0, 0)
    return task


def _abort(self):
    gid = getattr(self, "_ls_id", 0)
    if gid:
        n = 0
        for task in self._tasks:
            if not task.done():
                n += 1
        t.emit(TASK_GROUP_ABORT, 0, _ending, gid, 0, n)
    return _orig_abort(self)


def _on_task_done(self, task):
    # _abort from here: this task's failure is the reason
    global _ending
    prev = _ending
    _ending = getattr(task, "_ls_id", 0)
    try:
        return _orig_on_task_done(self, task)
    finally:
        _ending = prev


def install(tracer):
    global t
    t = tracer
    _TaskGroup._ls_id = 0
    _TaskGroup.__init__ = _init
    _TaskGroup.__aenter__ = _aenter
    _TaskGroup.__aexit__ = _aexit
    _TaskGroup.create_task = _create_task
    if _orig_abort is not None and _orig_on_task_done is not None:
        _TaskGroup._abort = _abort
        _TaskGroup._on_task_done = _on_task_done


def aexit_codes():
    """The code objects that make the future __aexit__ waits on (3.13
    moved that wait into _aexit)"""
    codes = [_orig_aexit.__code__]
    inner = getattr(_TaskGroup, "_aexit", None)
    if inner is not None and hasattr(inner, "__code__"):
        codes.append(inner.__code__)
    return codes
