/* SPDX-License-Identifier: MIT
 *
 * The GtkApplication: the command line (headless work ends in
 * handle-local-options), app-wide actions, accelerators, the About dialog,
 * and one window per trace file opened.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LS_TYPE_APPLICATION (ls_application_get_type ())
G_DECLARE_FINAL_TYPE (LsApplication, ls_application, LS, APPLICATION, GtkApplication)

LsApplication *ls_application_new (void);

G_END_DECLS
