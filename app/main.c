/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ls-application.h"
#include "ls-command-line.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(LsApplication) app = NULL;
  g_autofree char *scenario_id = NULL;
  g_autofree char *trace_path = NULL;
  const char *localedir = g_getenv ("LOOPSCOPE_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "");
  /* Numbers print as Python prints them, whatever the locale */
  setlocale (LC_NUMERIC, "C");
  /* LOOPSCOPE_LOCALEDIR: the build tree's translations (meson devenv) */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  status = ls_command_line_run_headless (&argc, &argv, &scenario_id, &trace_path);
  if (status >= 0)
    return status;

  app = ls_application_new ();
  ls_application_set_initial_scenario (app, scenario_id);
  if (trace_path != NULL)
    ls_application_set_initial_trace (app, trace_path);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
