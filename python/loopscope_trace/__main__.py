# SPDX-License-Identifier: MIT
"""python3 -m loopscope_trace [OPTIONS] PROGRAM.py [ARGS...]

  --virtual-time         run on a virtual clock: exact and instant (the clock
                         jumps to the next timer when nothing is ready)
  --speed=FACTOR         the virtual clock, paced: FACTOR virtual seconds per
                         second of wall-clock time (0.1 to 100)
  --records-fd=N         write the record stream (see _stream.py) on file
                         descriptor N; without it, records go to stderr as text
  --blocked-threshold=S  real time only: a callback that holds the loop longer
                         than S seconds (default 0.1) is a blocked stretch

Without --virtual-time or --speed the program runs in real time.

Exit status: the program's (1 after an uncaught exception); 2 when it could
not start (a bad option, a file that cannot be read or compiled, a Python
older than 3.11), with one line on stderr saying why.

The C accelerator of asyncio is blocked before asyncio is imported, so the
program runs on the pure-Python Task and Future that the tracer hooks. Kept to
plain syntax up to the version check, so that an old python3 gets that far.
"""
import os
import sys

# Before anything imports asyncio: the pure-Python Task and Future, please.
if "asyncio" not in sys.modules:
    sys.modules["_asyncio"] = None

from . import END_NOT_STARTED, FLAG_VIRTUAL_CLOCK, NotStarted  # noqa: E402
from ._stream import Writer  # noqa: E402

MIN_VERSION = (3, 11)


def _usage(message):
    sys.stderr.write("loopscope_trace: %s\n" % message)
    return 2


def _parse(argv):
    opts = {"virtual": False, "speed": None, "fd": None, "threshold": 0.1}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--"):
            break
        i += 1
        if arg == "--":
            break
        name, eq, value = arg.partition("=")
        if name == "--virtual-time" and not eq:
            opts["virtual"] = True
        elif name == "--speed" and eq:
            try:
                speed = float(value)
            except ValueError:
                speed = -1.0
            if value.lower() == "instant":
                opts["virtual"] = True
            elif not 0.1 <= speed <= 100:
                raise ValueError("bad --speed value %r: expected 0.1 to 100, or instant" % value)
            else:
                opts["speed"] = speed
        elif name == "--records-fd" and eq:
            try:
                opts["fd"] = int(value)
            except ValueError:
                raise ValueError("bad --records-fd value %r" % value)
            if opts["fd"] < 0:
                raise ValueError("bad --records-fd value %r" % value)
        elif name == "--blocked-threshold" and eq:
            try:
                opts["threshold"] = float(value)
            except ValueError:
                raise ValueError("bad --blocked-threshold value %r" % value)
            if not opts["threshold"] > 0:
                raise ValueError("bad --blocked-threshold value %r" % value)
        elif name in ("--help", "-h"):
            raise LookupError()
        else:
            raise ValueError("unknown option %r" % arg)
    if opts["virtual"] and opts["speed"] is not None:
        raise ValueError("--virtual-time and --speed cannot be used together")
    if i >= len(argv):
        raise ValueError("no program to run")
    return opts, argv[i], argv[i + 1:]


def _open_writer(fd):
    if fd is None:
        return Writer(None)
    try:
        os.fstat(fd)
    except OSError:
        raise ValueError("--records-fd=%d is not an open file descriptor" % fd)
    # the program's own subprocesses must not inherit the stream
    os.set_inheritable(fd, False)
    return Writer(fd)


def _not_started(writer, message):
    sys.stderr.write("loopscope_trace: %s\n" % message)
    writer.end(2, END_NOT_STARTED, 0, message)
    return 2


def main(argv):
    try:
        opts, program, args = _parse(argv)
    except LookupError:
        sys.stdout.write(__doc__)
        return 0
    except ValueError as exc:
        return _usage(str(exc))
    try:
        writer = _open_writer(opts["fd"])
    except ValueError as exc:
        return _usage(str(exc))
    virtual = opts["virtual"] or opts["speed"] is not None
    writer.header(FLAG_VIRTUAL_CLOCK if virtual else 0)
    version = "%s %d.%d.%d" % ((sys.implementation.name,) + tuple(sys.version_info[:3]))
    if sys.implementation.name != "cpython" or tuple(sys.version_info[:2]) < MIN_VERSION:
        return _not_started(writer, "Python %d.%d or newer (CPython) is needed; this is %s"
                            % (MIN_VERSION + (version,)))
    writer.info("CPython %d.%d.%d" % tuple(sys.version_info[:3]))

    try:
        from . import _tracer
    except NotStarted as exc:
        return _not_started(writer, str(exc))
    return _tracer.run(writer, program, args, virtual=virtual, speed=opts["speed"],
                       blocked_threshold=opts["threshold"])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
