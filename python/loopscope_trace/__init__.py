# SPDX-License-Identifier: MIT
"""Loopscope's tracer for real CPython asyncio programs.

    python3 -m loopscope_trace [--virtual-time | --speed=FACTOR]
                               [--records-fd=N] [--blocked-threshold=SECONDS]
                               PROGRAM.py [ARGS...]

It runs PROGRAM.py on CPython's own asyncio (the pure-Python Task and Future,
so that they can be hooked) and writes the records Loopscope's C runtime
writes at the same scheduling decisions, with the same meaning, so that
Loopscope draws a CPython run with no special case. The numbers below are
runtime/ls-trace.h's enums; tests/test-python.c checks that they agree.

This file only holds constants: it is imported by any python3, even one too
old to run the tracer, which then says so (see __main__.py).
"""

FORMAT_MAGIC = b"LSTRACE\x00"
FORMAT_VERSION = 1

# Header flags
FLAG_VIRTUAL_CLOCK = 1

# Frame types
FRAME_STRING = 1    # u32 id, then UTF-8 text
FRAME_RECORDS = 2   # 32-byte records
FRAME_END = 3       # i32 exit status, u32 flags, then UTF-8 text
FRAME_INFO = 4      # UTF-8 text: the Python that ran the program

# END flags
END_RAISED = 1       # the program ended with an uncaught exception (or a non-zero exit)
END_NOT_STARTED = 2  # the program could not start: the text says why

MAX_FRAME = 16 * 1024 * 1024

# LsTraceKind
ITERATION_BEGIN = 1
ITERATION_END = 2
BLOCKED_BEGIN = 3
BLOCKED_END = 4
OBJECT_NEW = 5
READY_PUSH = 6
HANDLE_RUN = 7
TASK_SUSPEND = 8
TASK_DONE = 9
FUTURE_DONE = 10
CANCEL_REQUEST = 11
TIMER_ADD = 12
TIMER_CANCEL = 13
TIMER_FIRE = 14
PRINT = 15
IO_BEGIN = 16
IO_COMPLETE = 17
SCOPE_BEGIN = 18
SCOPE_END = 19
PRIMITIVE = 20
SOURCE_LINE = 21
THREAD_WORK_SUBMIT = 22
THREAD_WORK_BEGIN = 23
THREAD_WORK_END = 24
TASK_GROUP_ADD = 25
TASK_GROUP_ABORT = 26
TASK_GROUP_EXIT = 27

# LsObjectKind
OBJ_TASK = 1
OBJ_FUTURE = 2
OBJ_GATHER = 3
OBJ_TIMEOUT_SCOPE = 4
OBJ_LOCK = 5
OBJ_EVENT = 6
OBJ_CONDITION = 7
OBJ_SEMAPHORE = 8
OBJ_BOUNDED_SEMAPHORE = 9
OBJ_BARRIER = 10
OBJ_QUEUE = 11
OBJ_PRIORITY_QUEUE = 12
OBJ_LIFO_QUEUE = 13
OBJ_IO = 14
OBJ_THREAD = 15
OBJ_TASK_GROUP = 16

# LsHandleKind
H_TASK_STEP = 1
H_TASK_WAKEUP = 2
H_CALLBACK = 3
H_TIMER = 4
H_IO = 5

# LsWaitReason
W_NONE = 0
W_YIELD = 1
W_SLEEP = 2
W_FUTURE = 3
W_TASK = 4
W_GATHER = 5
W_WAIT = 6
W_WAIT_FOR = 7
W_AS_COMPLETED = 8
W_SHIELD = 9
W_IO = 10
W_LOCK = 11
W_EVENT = 12
W_CONDITION = 13
W_SEMAPHORE = 14
W_QUEUE_GET = 15
W_QUEUE_PUT = 16
W_QUEUE_JOIN = 17
W_BARRIER = 18
W_TIMEOUT_SCOPE = 19
W_CALL_LATER = 20
W_BLOCKED = 21
W_EXECUTOR = 22
W_TASK_GROUP = 23

# LsOutcome
OUTCOME_RESULT = 0
OUTCOME_FAILED = 1
OUTCOME_CANCELLED = 2

# LsPrimitiveOp
P_WAIT_BEGIN = 1
P_ACQUIRED = 2
P_RELEASED = 3
P_HANDOFF = 4
P_SET = 5
P_CLEAR = 6
P_NOTIFY = 7
P_PUT = 8
P_GET = 9
P_WAIT_END = 10
P_PUT_WAIT_BEGIN = 11
P_TASK_DONE = 12
P_JOIN = 13
P_PART_OF = 14
P_BARRIER_ENTER = 15
P_BARRIER_LEAVE = 16
P_BARRIER_STATE = 17

# LsBarrierState
BARRIER_FILLING = 0
BARRIER_DRAINING = 1
BARRIER_RESETTING = 2
BARRIER_BROKEN = 3

# LsRuntimeError codes, for a task's error (TASK_DONE's arg)
E_CANCELLED = 0
E_TIMEOUT = 1
E_INVALID_STATE = 2
E_VALUE = 3
E_RUNTIME = 4
E_QUEUE_FULL = 6
E_QUEUE_EMPTY = 7
E_BROKEN_BARRIER = 8
E_FAILED = 9
E_EXCEPTION_GROUP = 10


class NotStarted(Exception):
    """The program cannot start: the message says why, on one line."""


class VirtualClockDeadlock(RuntimeError):
    """On the virtual clock nothing is ready, no timer is pending and nothing
    is in flight: the program would wait forever (the loop raises this out
    of run_forever () instead)."""
