# SPDX-License-Identifier: MIT
"""Writes Trace Event files like other tools make, for the import benchmark.

    make_foreign_trace.py events SIZE_MB OUT   a Chrome-like trace of about SIZE_MB (may be 0.01)
    make_foreign_trace.py threads N OUT        N threads with one instant each

The events file mixes what profilers write: complete ("X") slices, nested
ones, begin/end pairs, instants, counters and thread names, spread over 4
processes and 64 threads, with args on some events. The output is the
same for the same arguments.
"""
import json
import random
import sys


def write_events(size_mb, out):
    rng = random.Random(1)
    limit = size_mb * 1000 * 1000
    written = 0
    threads = [(pid, pid * 1000 + t) for pid in range(1, 5) for t in range(16)]
    clock = {key: 1_000_000.0 for key in threads}
    names = ["RunTask", "Layout", "Paint", "v8.compile", "GC", "ParseHTML",
             "ThreadControllerImpl::RunTask", "MessageLoop::RunTask"]
    out.write('{"traceEvents":[\n')
    first = True

    def emit(event):
        nonlocal first, written
        text = json.dumps(event, separators=(",", ":"), ensure_ascii=False)
        if not first:
            out.write(",\n")
            written += 2
        first = False
        out.write(text)
        written += len(text.encode())

    for pid, tid in threads:
        emit({"ph": "M", "pid": pid, "tid": tid, "name": "thread_name",
              "args": {"name": "worker %d/%d" % (pid, tid)}})
    while written < limit:
        pid, tid = rng.choice(threads)
        ts = clock[(pid, tid)] + rng.randint(1, 200) + rng.randint(0, 999) / 1000
        kind = rng.random()
        name = rng.choice(names)
        if kind < 0.55:
            dur = rng.randint(1, 500) + rng.randint(0, 999) / 1000
            event = {"ph": "X", "pid": pid, "tid": tid, "ts": ts, "dur": dur,
                     "name": name, "cat": "toplevel"}
            if rng.random() < 0.3:
                event["args"] = {"src_file": "../../base/task/%s.cc" % name.lower(),
                                 "line": rng.randint(1, 4000)}
            emit(event)
            if rng.random() < 0.3:
                emit({"ph": "X", "pid": pid, "tid": tid, "ts": ts + dur / 4,
                      "dur": dur / 2, "name": "inner", "cat": "toplevel"})
            clock[(pid, tid)] = ts + dur
        elif kind < 0.75:
            dur = rng.randint(1, 300)
            emit({"ph": "B", "pid": pid, "tid": tid, "ts": ts, "name": name, "cat": "io"})
            emit({"ph": "E", "pid": pid, "tid": tid, "ts": ts + dur})
            clock[(pid, tid)] = ts + dur
        elif kind < 0.9:
            emit({"ph": "i", "pid": pid, "tid": tid, "ts": ts, "s": "t",
                  "name": "mark %d" % rng.randint(0, 99), "cat": "marks"})
            clock[(pid, tid)] = ts
        else:
            emit({"ph": "C", "pid": pid, "tid": 0, "ts": ts, "name": "heap",
                  "args": {"used": rng.randint(0, 1 << 30)}})
    out.write('\n],"displayTimeUnit":"ms"}\n')


def write_threads(n, out):
    out.write('{"traceEvents":[\n')
    for i in range(n):
        out.write('%s{"ph":"i","pid":1,"tid":%d,"ts":%d,"s":"t","name":"tick"}'
                  % (",\n" if i else "", i + 1, 1000 + i))
    out.write('\n]}\n')


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("events", "threads"):
        sys.exit(__doc__)
    with open(sys.argv[3], "w", encoding="utf-8") as out:
        if sys.argv[1] == "events":
            write_events(float(sys.argv[2]), out)
        else:
            write_threads(int(sys.argv[2]), out)


if __name__ == "__main__":
    main()
