/* SPDX-License-Identifier: MIT
 *
 * The one interpretation of what a record does to the loop's state: every
 * task state, wait, ready handle, timer, owner, waiter, permit and queue
 * depth anyone shows is what ls_replay_apply () makes of the records. The
 * interpreter (ls-interpreter.h) drives it forward as records arrive and
 * builds the timeline's lanes from the changes it reports; checkpoints let
 * it reach the state at any instant without starting from record 0.
 */
#pragma once

#include "ls-trace.h"
#include "ls-trace-state.h"

G_BEGIN_DECLS

typedef struct _LsReplay           LsReplay;
typedef struct _LsReplayCheckpoint LsReplayCheckpoint;

/* What one record changed, for whoever keeps a history of states. */
typedef struct
{
  LsTaskEntry      *task;        /* the task whose state the record set, or NULL */
  gboolean          new_span;    /* its state changed, or it began another wait */
  LsPrimitiveEntry *primitive;   /* the primitive the record concerns, or NULL */
  gint64            old_value;   /* the primitive's value and owner before the record */
  guint32           old_owner;
  gboolean          created;     /* the record declared the task or the primitive */
} LsReplayChange;

LsReplay           *ls_replay_new              (void);
void                ls_replay_free             (LsReplay            *self);
void                ls_replay_reset            (LsReplay            *self);
/* The state after the records applied so far (valid until the next call). */
LsTraceState       *ls_replay_get_state        (LsReplay            *self);
void                ls_replay_apply            (LsReplay            *self,
                                                const LsTraceRecord *record,
                                                LsReplayChange      *change);
/* Applies records [applied, @n_records) of @trace; going backwards starts
 * again from record 0. */
void                ls_replay_run              (LsReplay            *self,
                                                LsTrace             *trace,
                                                guint64              n_records);
guint64             ls_replay_get_n_records    (LsReplay            *self);

LsReplayCheckpoint *ls_replay_save             (LsReplay            *self);
void                ls_replay_restore          (LsReplay            *self,
                                                const LsReplayCheckpoint *checkpoint);
guint64             ls_replay_checkpoint_get_n_records (const LsReplayCheckpoint *checkpoint);
gsize               ls_replay_checkpoint_get_size      (const LsReplayCheckpoint *checkpoint);
void                ls_replay_checkpoint_free  (LsReplayCheckpoint  *checkpoint);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsReplay, ls_replay_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (LsReplayCheckpoint, ls_replay_checkpoint_free)

G_END_DECLS
