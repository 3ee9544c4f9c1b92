# SPDX-License-Identifier: MIT
"""The record stream: what the tracer writes on the file descriptor
Loopscope passes it (--records-fd), as DESIGN.md's "CPython runs" describes:

    header   8 bytes  b"LSTRACE\\0"
             u32      format version (1)
             u32      flags (1: the run is on a virtual clock)
    frames   u32 type, u32 payload length, payload (little-endian throughout)
             1 STRING   u32 id (1, 2, 3... in order), UTF-8 text, no NUL
             2 RECORDS  32-byte records: i64 time (ns), u16 kind, u16 reason,
                        u32 subject, u32 object, u32 peer, i64 arg
             3 END      i32 exit status, u32 flags, i64 time (ns) when the
                        program ended, UTF-8 text (the error's last line, or
                        why the program did not start)
             4 INFO     UTF-8 text: the Python that runs the program

A string is always written before the first record that names it. Without
--records-fd the records are written as text to stderr, for a look by eye.

Kept to plain syntax: a python3 too old to run the tracer still loads this
file to say so in an END frame.
"""
import os
import struct
import sys

from . import (FORMAT_MAGIC, FORMAT_VERSION, FRAME_END, FRAME_INFO, FRAME_RECORDS,
               FRAME_STRING, MAX_FRAME)

RECORD = struct.Struct("<qHHIIIq")
FRAME_HEADER = struct.Struct("<II")

KIND_NAMES = {
    1: "iteration-begin", 2: "iteration-end", 3: "blocked-begin", 4: "blocked-end",
    5: "object-new", 6: "ready-push", 7: "handle-run", 8: "task-suspend", 9: "task-done",
    10: "future-done", 11: "cancel-request", 12: "timer-add", 13: "timer-cancel",
    14: "timer-fire", 15: "print", 16: "io-begin", 17: "io-complete", 18: "scope-begin",
    19: "scope-end", 20: "primitive", 21: "source-line", 22: "thread-work-submit",
    23: "thread-work-begin", 24: "thread-work-end", 25: "task-group-add",
    26: "task-group-abort", 27: "task-group-exit",
}


class Writer(object):
    """Frames to a file descriptor, or as text to stderr when there is none.

    A reader that went away (Loopscope stopped the run) makes writes fail
    with EPIPE: from then on nothing more is written and the program runs
    on undisturbed."""

    def __init__(self, fd):
        self.fd = fd
        self.dead = False
        self.strings = [""]

    def _write(self, data):
        if self.dead:
            return
        view = memoryview(data)
        while len(view) > 0:
            try:
                n = os.write(self.fd, view)
            except InterruptedError:
                continue
            except OSError:
                self.dead = True
                return
            view = view[n:]

    def header(self, flags):
        if self.fd is None:
            return
        self._write(FORMAT_MAGIC + struct.pack("<II", FORMAT_VERSION, flags))

    def info(self, text):
        self.frame(FRAME_INFO, text.encode("utf-8", "replace"))

    def frame(self, frame_type, payload):
        if self.fd is None:
            self._dump(frame_type, payload)
            return
        if len(payload) > MAX_FRAME:
            raise ValueError("frame too large")
        self._write(FRAME_HEADER.pack(frame_type, len(payload)) + payload)

    def strings_and_records(self, strings, records):
        """Pending STRING frames (already framed) and one RECORDS frame."""
        if self.fd is None:
            self._dump_strings(strings)
            self._dump(FRAME_RECORDS, records)
            return
        if strings:
            self._write(strings)
        # a huge batch is split: every frame stays under MAX_FRAME
        step = (MAX_FRAME // RECORD.size) * RECORD.size
        for start in range(0, len(records), step):
            chunk = records[start:start + step]
            self._write(FRAME_HEADER.pack(FRAME_RECORDS, len(chunk)))
            self._write(chunk)

    def end(self, status, flags, time_ns, text):
        payload = (struct.pack("<iIq", status, flags, time_ns)
                   + text.encode("utf-8", "replace"))
        self.frame(FRAME_END, payload)

    # ---- the text form -----------------------------------------------------

    def _dump_strings(self, strings):
        pos = 0
        while pos < len(strings):
            _, length = FRAME_HEADER.unpack_from(strings, pos)
            text = bytes(strings[pos + 12:pos + 8 + length]).decode("utf-8", "replace")
            self.strings.append(text)
            pos += 8 + length

    def _dump(self, frame_type, payload):
        out = []
        if frame_type == FRAME_RECORDS:
            for t, kind, reason, subject, obj, peer, arg in RECORD.iter_unpack(payload):
                out.append("%12.6f %-15s r=%d s=%d o=%d p=%d a=%d\n"
                           % (t / 1e9, KIND_NAMES.get(kind, "?"), reason, subject, obj, peer,
                              arg))
        elif frame_type == FRAME_INFO:
            out.append("# %s\n" % bytes(payload).decode("utf-8", "replace"))
        elif frame_type == FRAME_END:
            status, flags, t = struct.unpack_from("<iIq", payload)
            out.append("# end at %.6f: status %d, flags %d, %s\n"
                       % (t / 1e9, status, flags,
                          bytes(payload[16:]).decode("utf-8", "replace")))
        try:
            sys.__stderr__.write("".join(out))
        except (OSError, ValueError):
            pass
