// SPDX-License-Identifier: MIT
//
// Loopscope's trace files in two other readers of the Trace Event Format,
// their own code under node (vendor/: exactly the files used, with their
// licences; see vendor/README.md):
//
//   node interop.mjs devtools   Chrome DevTools' trace engine
//                               (@paulirish/trace_engine, the parser behind
//                               the Performance panel)
//   node interop.mjs speedscope speedscope's importer (its release build)
//
// Exports every scenario with $LOOPSCOPE_BIN --export-trace into a
// temporary folder, reads each file with the reader and checks, one TAP
// test per scenario:
//  devtools:   per task thread, the reader's slices are one flat sequence
//              (no slice inside another) with the names and times the file
//              has, in order and never overlapping; the reader binds as many
//              flows as the file has, each from a slice of its source task
//              to a later one of its destination;
//  speedscope: the import prints no warning and gives one profile per
//              thread with slices, whose frames weigh what the slices last.
// The lock scenario is also checked against what happened: Task 1 waits on
// the lock for 100 ms, then sleeps 100 ms.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const vendor = path.join(here, 'vendor', 'node_modules');
const reader = process.argv[2];
const bin = process.env.LOOPSCOPE_BIN;

if (!['devtools', 'speedscope'].includes(reader) || !bin) {
  console.error('usage: LOOPSCOPE_BIN=loopscope node interop.mjs devtools|speedscope [SCENARIO...]');
  process.exit(2);
}

// ---------------------------------------------------------------- helpers

let failures = [];
function check(condition, message) {
  if (!condition)
    failures.push(message);
  return condition;
}

// The file's own view, to compare the reader's with.
function fileEvents(json) {
  const ev = json.traceEvents;
  const threads = new Map();
  for (const e of ev)
    if (e.ph === 'M' && e.name === 'thread_name')
      threads.set(e.tid, { name: e.args.name, sort: 0, slices: [] });
  for (const e of ev)
    if (e.ph === 'M' && e.name === 'thread_sort_index')
      threads.get(e.tid).sort = e.args.sort_index;
  for (const e of ev)
    if (e.ph === 'X')
      threads.get(e.tid).slices.push(e);
  for (const t of threads.values())
    t.slices.sort((a, b) => a.ts - b.ts);
  const flows = ev.filter(e => e.ph === 's').length;
  return { threads, flows };
}

// Task threads: the ones Loopscope sorts first (locks come after 1000000,
// the event loop is tid 0).
function isTask(tid, t) {
  return tid !== 0 && t.sort < 1000000;
}

// ---------------------------------------------------------------- devtools

let devtoolsHandlers;
async function loadDevtools() {
  const dir = path.join(vendor, '@paulirish', 'trace_engine', 'models', 'trace', 'handlers');
  const names = ['Meta', 'Samples', 'AuctionWorklets', 'NetworkRequests', 'Renderer', 'Flows'];
  const handlers = {};
  for (const name of names)
    handlers[name] = await import(path.join(dir, name + 'Handler.js'));
  // The engine's TraceProcessor runs its handlers in the order their deps()
  // give (sortHandlers in Processor.js, whose module also loads every
  // insight: not vendored); the same order here.
  const sorted = [];
  const visit = name => {
    if (sorted.includes(name))
      return;
    for (const dep of handlers[name].deps?.() ?? [])
      visit(dep);
    sorted.push(name);
  };
  names.forEach(visit);
  devtoolsHandlers = sorted.map(name => [name, handlers[name]]);
}

async function readDevtools(events) {
  for (const [, h] of devtoolsHandlers)
    h.reset();
  for (const e of events)
    for (const [, h] of devtoolsHandlers)
      h.handleEvent(e);
  for (const [, h] of devtoolsHandlers)
    if (h.finalize)
      await h.finalize({ allTraceEvents: events });
  const data = {};
  for (const [name, h] of devtoolsHandlers)
    data[name] = h.data();
  return data;
}

async function checkDevtools(id, json) {
  const mine = fileEvents(json);
  const data = await readDevtools(json.traceEvents);
  const process = data.Renderer.processes.get(1);
  for (const [tid, t] of mine.threads) {
    if (!isTask(tid, t) || t.slices.length === 0)
      continue;
    const thread = process?.threads.get(tid);
    if (!check(thread, `${id}: DevTools has no thread ${tid} (${t.name})`))
      continue;
    check(thread.name === t.name, `${id}: thread ${tid} is "${thread.name}", not "${t.name}"`);
    // the reader's tree: every slice at the top, none inside another
    const roots = [...thread.tree.roots].map(n => n.entry).filter(e => e.ph === 'X');
    const all = thread.entries.filter(e => e.ph === 'X');
    check(roots.length === all.length,
          `${id}: ${t.name}: ${all.length - roots.length} of ${all.length} slices nested`);
    check(all.length === t.slices.length,
          `${id}: ${t.name}: DevTools reads ${all.length} slices, the file has ${t.slices.length}`);
    const theirs = [...all].sort((a, b) => a.ts - b.ts);
    for (let i = 0; i < Math.min(theirs.length, t.slices.length); i++) {
      const a = theirs[i], b = t.slices[i];
      // the engine keeps times in integer microseconds
      if (!check(a.name === b.name && Math.abs(a.ts - b.ts) <= 1 && Math.abs(a.dur - b.dur) <= 1,
                 `${id}: ${t.name}: slice ${i} is ${a.name} ${a.ts}+${a.dur}, ` +
                 `the file's ${b.name} ${b.ts}+${b.dur}`))
        break;
      if (i > 0)
        check(theirs[i - 1].ts + theirs[i - 1].dur <= a.ts,
              `${id}: ${t.name}: slices ${i - 1} and ${i} overlap`);
    }
  }
  const flows = data.Flows.flows;
  check(flows.length === mine.flows,
        `${id}: DevTools binds ${flows.length} flows, the file has ${mine.flows}`);
  for (const flow of flows) {
    check(flow.length === 2 && flow[0].ts < flow[1].ts && flow[0].cat === 'task'
          && flow[1].cat === 'task',
          `${id}: a flow binds ${flow.map(e => `${e.name}@${e.tid}:${e.ts}`).join(' -> ')}`);
  }
  if (id === 'lock') {
    const task1 = [...mine.threads].find(([, t]) => t.name === 'Task 1');
    const thread = task1 && process.threads.get(task1[0]);
    const seen = thread ? thread.entries.filter(e => e.ph === 'X')
                            .map(e => [e.name, e.ts / 1000, e.dur / 1000]) : [];
    check(JSON.stringify(seen) === JSON.stringify([['waiting: lock (Lock self.lock)', 0, 100],
                                                   ['waiting: sleep', 100, 100]]),
          `lock: DevTools shows Task 1 as ${JSON.stringify(seen)}`);
  }
}

// ---------------------------------------------------------------- speedscope

let speedscope;
let speedscopeWarnings = [];
function loadSpeedscope() {
  // The release build is one browser script: its importer is a function
  // inside it. Run it in a context with just enough of a window that its
  // top level gets through, and hand the importer out where the script
  // would mount its UI (the one line replaced; the anchor is checked, so a
  // different build fails here instead of testing something else).
  const dir = path.join(vendor, 'speedscope', 'dist', 'release');
  const file = fs.readdirSync(dir).find(f => /^speedscope-.*\.js$/.test(f));
  const source = fs.readFileSync(path.join(dir, file), 'utf8');
  const mount = 'mo(C(Os,null,C(Rf,null)),document.body,document.body.lastElementChild||void 0);})();';
  if (!source.includes(mount) || !source.includes('console.log("Importing as Trace Event Format profile"),_f(r)'))
    throw new Error(`${file}: not the speedscope build this test knows`);
  const patched = source.replace(mount, 'globalThis.__speedscope={init:hf,importTraceEvents:_f};})();');
  const inert = new Proxy(function () {}, {
    get: (target, key) => (key === Symbol.toPrimitive ? () => '' : key === 'then' ? undefined : inert),
    apply: () => inert,
    construct: () => inert,
    set: () => true,
  });
  const context = {
    console: {
      log() {},
      info() {},
      warn: (...args) => speedscopeWarnings.push(args.join(' ')),
      error: (...args) => speedscopeWarnings.push(args.join(' ')),
    },
    location: { hash: '', protocol: 'file:', search: '' },
    localStorage: {},
    matchMedia: () => ({ matches: false, addListener() {}, addEventListener() {} }),
    document: inert,
    navigator: { userAgent: 'node' },
    requestAnimationFrame: () => 0,
    addEventListener() {},
    removeEventListener() {},
    setTimeout,
    clearTimeout,
    TextDecoder,
    TextEncoder,
    URL,
    devicePixelRatio: 1,
  };
  context.globalThis = context.window = context.self = context;
  vm.createContext(context);
  vm.runInContext(patched, context, { filename: file });
  context.__speedscope.init();
  speedscope = context.__speedscope;
}

function checkSpeedscope(id, json) {
  const mine = fileEvents(json);
  speedscopeWarnings = [];
  const group = speedscope.importTraceEvents(json);
  check(speedscopeWarnings.length === 0,
        `${id}: speedscope warns ${speedscopeWarnings.length} times: ` +
        speedscopeWarnings.slice(0, 3).join(' | '));
  const profiles = new Map(group.profiles.map(p => [p.getName(), p]));
  for (const [tid, t] of mine.threads) {
    if (t.slices.length === 0)
      continue;
    const name = `Loopscope (pid 1), ${t.name} (tid ${tid})`;
    const profile = profiles.get(name);
    if (!check(profile, `${id}: speedscope has no profile "${name}"`))
      continue;
    profiles.delete(name);
    // what each frame (a slice name) weighs against what the slices last
    const expected = new Map();
    for (const s of t.slices)
      expected.set(s.name, (expected.get(s.name) ?? 0) + s.dur);
    profile.forEachFrame(frame => {
      const want = expected.get(frame.name) ?? 0;
      check(Math.abs(frame.getSelfWeight() - want) < 1e-3 * Math.max(1, want),
            `${id}: ${t.name}: speedscope weighs "${frame.name}" ${frame.getSelfWeight()}, ` +
            `the slices last ${want}`);
      expected.delete(frame.name);
    });
    check(expected.size === 0,
          `${id}: ${t.name}: speedscope has no frame for ${[...expected.keys()].join(', ')}`);
  }
  check(profiles.size === 0, `${id}: speedscope has profiles for no thread: ${[...profiles.keys()]}`);
}

// ---------------------------------------------------------------- main

function exportScenario(dir, id) {
  const file = path.join(dir, id + '.json');
  const run = spawnSync(bin, ['--scenario=' + id, '--export-trace=' + file], { encoding: 'utf8' });
  if (run.status !== 0)
    throw new Error(`${bin} --scenario=${id}: ${run.stderr || run.error}`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

let ids = process.argv.slice(3);
if (ids.length === 0) {
  const list = spawnSync(bin, ['--list'], { encoding: 'utf8' });
  if (list.status !== 0)
    throw new Error(`${bin} --list: ${list.stderr}`);
  ids = list.stdout.trim().split('\n').map(line => line.split('\t')[0]);
}
if (reader === 'devtools')
  await loadDevtools();
else
  loadSpeedscope();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loopscope-interop-'));
let status = 0;
console.log(`1..${ids.length}`);
try {
  for (const [i, id] of ids.entries()) {
    failures = [];
    try {
      const json = exportScenario(dir, id);
      if (reader === 'devtools')
        await checkDevtools(id, json);
      else
        checkSpeedscope(id, json);
    } catch (e) {
      failures.push(`${id}: ${e.stack || e}`);
    }
    if (failures.length > 0) {
      status = 1;
      console.log(`not ok ${i + 1} /interop/${reader}/${id}`);
      for (const f of failures.slice(0, 20))
        console.log('# ' + f.replace(/\n/g, '\n# '));
    } else {
      console.log(`ok ${i + 1} /interop/${reader}/${id}`);
    }
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(status);
