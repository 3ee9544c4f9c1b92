/* SPDX-License-Identifier: MIT
 *
 * The Export Image dialog: format, range, width, scale and colours, kept
 * in GSettings between uses. It only asks; the window writes the file.
 */
#pragma once

#include <gtk/gtk.h>

#include "ls-export.h"

G_BEGIN_DECLS

#define LS_TYPE_EXPORT_DIALOG (ls_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (LsExportDialog, ls_export_dialog, LS, EXPORT_DIALOG, GtkWindow)

LsExportDialog *ls_export_dialog_new           (GtkWindow       *parent,
                                                GSettings       *settings);
/* The choices, as export options (no title, no range). */
void            ls_export_dialog_get_options   (LsExportDialog  *self,
                                                LsExportOptions *options);
gboolean        ls_export_dialog_get_visible_range (LsExportDialog *self);
/* Start with the iteration view's axis chosen, or time's */
void            ls_export_dialog_set_iterations (LsExportDialog *self,
                                                 gboolean        iterations);

G_END_DECLS
