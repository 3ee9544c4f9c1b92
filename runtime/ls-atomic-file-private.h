/* SPDX-License-Identifier: MIT
 *
 * What ls-atomic-file.c (one output) and ls-atomic-group.c (outputs all or
 * nothing) share: the structs, and the steps a group's commit takes for each
 * of its files.
 */
#pragma once

#include "ls-atomic-file.h"

#include <sys/stat.h>

G_BEGIN_DECLS

/* a file name may be 255 bytes: leave room for ".", ".XXXXXX.orig" */
#define MAX_BASE_IN_TEMP_NAME 200

typedef struct
{
  dev_t  dev;
  ino_t  ino;
  char  *path;
} Input;

/* What the backup name of a group's output holds */
typedef enum
{
  BACKUP_NONE = 0,
  BACKUP_LINKED,   /* a hard link to the file replaced */
  BACKUP_TO_MOVE,  /* nothing yet: the file is moved there right before its replacement */
  BACKUP_MOVED,    /* the file replaced, moved aside */
} BackupState;

struct _LsAtomicFile
{
  char          *path;          /* as given: errors name it */
  char          *target;        /* what is replaced: @path, or the file a link at @path names */
  char          *canonical;     /* the destination without links or "..": unique in a group */
  char          *tmp_path;      /* until it is renamed into place */
  GOutputStream *stream;
  mode_t         replaced_mode; /* of the file replaced, when there is one */
  gboolean       existed;       /* a file is replaced (else the path is new) */
  char          *backup;        /* a group's commit: the replaced file's second name */
  BackupState    backup_state;
  gboolean       renamed;       /* the temporary file is in place */
  gboolean       committed;
  LsAtomicGroup *group;
};

struct _LsAtomicGroup
{
  GArray    *inputs;   /* Input */
  GPtrArray *files;    /* LsAtomicFile, owned */
  gboolean   done;     /* a commit ran */
};

/* A GIOError from errno, with a message made from @format */
void          _ls_atomic_set_error_errno      (GError        **error,
                                               int             errnum,
                                               const char     *format,
                                               ...) G_GNUC_PRINTF (3, 4);
/* Checks @path (against @group's inputs) and creates its temporary file */
LsAtomicFile *_ls_atomic_file_new             (const char     *path,
                                               LsAtomicGroup  *group,
                                               GError        **error);
/* Closes the stream, after an fsync when a file is replaced */
gboolean      _ls_atomic_file_finish_writing  (LsAtomicFile   *self,
                                               GError        **error);
/* Right before the rename: the destination may still be replaced, and it
 * is the one it was */
gboolean      _ls_atomic_file_check_again     (LsAtomicFile   *self,
                                               GError        **error);

G_END_DECLS
