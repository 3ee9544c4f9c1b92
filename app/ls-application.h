/* SPDX-License-Identifier: MIT */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LS_TYPE_APPLICATION (ls_application_get_type ())
G_DECLARE_FINAL_TYPE (LsApplication, ls_application, LS, APPLICATION, GtkApplication)

LsApplication *ls_application_new                   (void);
void           ls_application_set_initial_scenario (LsApplication *self,
                                                    const char    *scenario_id);
/* A saved trace (JSON) to show when the window opens, instead of a
 * scenario; see ls_application_get_initial_trace (). */
void           ls_application_set_initial_trace    (LsApplication *self,
                                                    const char    *path);
const char    *ls_application_get_initial_trace    (LsApplication *self);

G_END_DECLS
