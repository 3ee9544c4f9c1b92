/* SPDX-License-Identifier: MIT
 *
 * Loopscope's command line: the options, and everything that needs no
 * display (--list, --console runs, exports), done in the application's
 * handle-local-options before any window or display exists.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What the window should show when the command line leaves it to one. */
typedef struct
{
  char     *scenario_id; /* --scenario, or NULL */
  guint32   seed;
  gboolean  has_speed;
  double    speed;       /* --speed / --virtual-time, when has_speed */
  char    **files;       /* trace files to open, or NULL */
  char    **knobs;       /* --set: NAME=VALUE, checked against the scenario, or NULL */
} LsWindowRequest;

void ls_command_line_add_options (GApplication    *app);
/* The arguments as GApplication will parse them: FALSE for an unknown
 * option or a missing value. */
gboolean ls_command_line_check   (int              argc,
                                  char           **argv,
                                  GError         **error);
/* Returns the exit status of headless work, or -1 when the window should
 * start and show @request (clear it with ls_window_request_clear ()). */
int  ls_command_line_handle      (GVariantDict    *options,
                                  LsWindowRequest *request);
void ls_window_request_clear     (LsWindowRequest *request);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LsWindowRequest, ls_window_request_clear)

G_END_DECLS
