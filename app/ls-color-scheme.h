/* SPDX-License-Identifier: MIT */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define LS_TYPE_COLOR_SCHEME (ls_color_scheme_get_type ())
G_DECLARE_FINAL_TYPE (LsColorScheme, ls_color_scheme, LS, COLOR_SCHEME, GObject)

LsColorScheme *ls_color_scheme_new          (GSettings     *settings);
gboolean       ls_color_scheme_get_dark     (LsColorScheme *self);

G_END_DECLS
