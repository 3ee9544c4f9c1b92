/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ls-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LsApplication) app = NULL;
  const char *localedir = g_getenv ("LOOPSCOPE_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* Numbers print as Python prints them, whatever the locale */
  setlocale (LC_NUMERIC, "C");
  /* LOOPSCOPE_LOCALEDIR: the build tree's translations (meson devenv) */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = ls_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
