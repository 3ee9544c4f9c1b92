# SPDX-License-Identifier: MIT
"""The tracer's overhead: bench_runtime.py's switch and spawn loops on CPython,
untraced and under `python3 -m loopscope_trace`, in the same run.

    python3 bench/bench_tracer.py TRACER_DIR [SCALE] [ROUNDS]

Each configuration runs ROUNDS times, interleaved, so that a busy machine
slows them alike; each line gives the best and the median round:

  untraced   CPython as a program runs it, with the C accelerator (_asyncio)
  pure       CPython with the pure-Python Task and Future the tracer hooks
  traced     under the tracer, real time, records read from a pipe
  virtual    under the tracer on the virtual clock (the loops' own timers are
             virtual then, so this one is the process's CPU time)

The switch and spawn figures are the loops' own (ns per switch, per task);
"cpu" is the whole process's CPU time. The target: traced switch loop under
3x the untraced one.
"""
import os
import resource
import statistics
import subprocess
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.join(HERE, "bench_runtime.py")
TARGET = 3.0


def run(argv, env, with_pipe):
    """(the program's figure, CPU seconds) of one run"""
    reader = None
    pass_fds = ()
    if with_pipe:
        r, w = os.pipe()
        pass_fds = (w,)
        argv = [a.replace("@FD@", str(w)) for a in argv]

        def drain():
            while os.read(r, 1 << 16):
                pass
            os.close(r)
        reader = threading.Thread(target=drain)
        reader.start()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(argv, env=env, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL,
                         pass_fds=pass_fds, check=True).stdout.decode()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if with_pipe:
        os.close(w)
        reader.join()
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return float(out.split()[1]), cpu


def main():
    tracer_dir = sys.argv[1]
    scale = sys.argv[2] if len(sys.argv) > 2 else "0.3"
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    python = sys.executable
    env = dict(os.environ, PYTHONPATH=tracer_dir)
    pure = ("import sys; sys.modules['_asyncio'] = None; sys.argv = sys.argv[1:]; "
            "import runpy; runpy.run_path(sys.argv[0], run_name='__main__')")
    configs = [
        ("untraced", [python, BENCH], False),
        ("pure", [python, "-c", pure, BENCH], False),
        ("traced", [python, "-m", "loopscope_trace", "--records-fd=@FD@", BENCH], True),
        ("virtual", [python, "-m", "loopscope_trace", "--virtual-time", "--records-fd=@FD@",
                     BENCH], True),
    ]
    print("CPython %s, scale %s, %d rounds (best / median)"
          % (sys.version.split()[0], scale, rounds))
    verdict = 0
    for loop, unit in (("switch", "ns/switch"), ("spawn", "ns/task")):
        figures = {name: [] for name, _, _ in configs}
        cpus = {name: [] for name, _, _ in configs}
        for _ in range(rounds):
            for name, argv, with_pipe in configs:
                figure, cpu = run(argv + [loop, scale], env, with_pipe)
                figures[name].append(figure)
                cpus[name].append(cpu)
        base, base_cpu = min(figures["untraced"]), min(cpus["untraced"])
        for name, _, _ in configs:
            f, c = figures[name], cpus[name]
            if name == "virtual":
                print("  %-6s %-8s cpu %6.3f / %6.3f s   %.2fx cpu"
                      % (loop, name, min(c), statistics.median(c), min(c) / base_cpu))
            else:
                print("  %-6s %-8s %8.1f / %8.1f %s   %.2fx   cpu %6.3f s   %.2fx cpu"
                      % (loop, name, min(f), statistics.median(f), unit, min(f) / base,
                         min(c), min(c) / base_cpu))
        if loop == "switch":
            ratio = min(figures["traced"]) / base
            ok = ratio < TARGET
            verdict |= 0 if ok else 1
            print("  switch: traced %.2fx untraced (target < %gx): %s"
                  % (ratio, TARGET, "ok" if ok else "MISSED"))
    return verdict


if __name__ == "__main__":
    sys.exit(main())
