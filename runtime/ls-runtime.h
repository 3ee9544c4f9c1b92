/* SPDX-License-Identifier: MIT
 *
 * The Loopscope runtime: coroutines, the loop, tasks, futures, combinators
 * and the trace. GLib, GObject and GIO only.
 */
#pragma once

#include "ls-combinators.h"
#include "ls-coro.h"
#include "ls-error.h"
#include "ls-future.h"
#include "ls-loop.h"
#include "ls-trace.h"
#include "ls-trace-state.h"
