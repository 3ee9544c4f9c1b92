/* SPDX-License-Identifier: MIT
 *
 * The Loopscope runtime: coroutines, the loop, tasks, futures, combinators
 * and the trace; files (GIO) and HTTP (libsoup, json-glib) for scenarios.
 */
#pragma once

#include "ls-combinators.h"
#include "ls-coro.h"
#include "ls-error.h"
#include "ls-executor.h"
#include "ls-future.h"
#include "ls-http.h"
#include "ls-http-server.h"
#include "ls-io.h"
#include "ls-loop.h"
#include "ls-primitives.h"
#include "ls-queue.h"
#include "ls-runner.h"
#include "ls-task-group.h"
#include "ls-timeout.h"
#include "ls-trace.h"
#include "ls-trace-state.h"
