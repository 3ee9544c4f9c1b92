/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ls-test-scenario.h"

LsScenarioRun *
ls_test_run_scenario (const char *id)
{
  LsScenarioRun *run = ls_scenario_run_new (ls_scenario_lookup (id), 0);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (run);
  g_assert_true (ls_scenario_run_to_end (run, &error));
  g_assert_no_error (error);
  return run;
}

/* The knobs tests/scenario-ref/ID.diff sets ("Knob: NAME=VALUE" lines
 * above its first hunk), as NAME=VALUE strings; none without a diff. */
GStrv
ls_test_reference_knobs (const char *id)
{
  g_autofree char *file = g_strconcat (id, ".diff", NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "scenario-ref", file, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GStrvBuilder) knobs = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strv_builder_end (knobs);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL && !g_str_has_prefix (lines[i], "--- "); i++)
    if (g_str_has_prefix (lines[i], "Knob: "))
      {
        g_assert_nonnull (strchr (lines[i], '='));
        g_strv_builder_add (knobs, lines[i] + strlen ("Knob: "));
      }
  return g_strv_builder_end (knobs);
}

LsScenarioRun *
ls_test_run_scenario_as_reference (const char *id)
{
  LsScenarioRun *run = ls_scenario_run_new (ls_scenario_lookup (id), 0);
  g_auto(GStrv) knobs = ls_test_reference_knobs (id);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (run);
  for (guint i = 0; knobs[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (knobs[i], "=", 2);

      ls_scenario_run_set_knob (run, kv[0], g_ascii_strtod (kv[1], NULL));
    }
  g_assert_true (ls_scenario_run_to_end (run, &error));
  g_assert_no_error (error);
  return run;
}

LsTrace *
ls_test_run_trace (LsScenarioRun *run)
{
  return ls_loop_get_trace (ls_scenario_run_get_loop (run));
}

int
ls_test_run_cli (const char        *cwd,
                 const char *const *args,
                 char             **out,
                 char             **err)
{
  return ls_test_run_cli_in ("en", cwd, args, out, err);
}

static int
run_cli (const char        *language,
         gboolean           unprivileged,
         const char        *cwd,
         const char *const *args,
         char             **out,
         char             **err)
{
  const char *bin = g_getenv ("LOOPSCOPE_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_assert_nonnull (bin);
  if (unprivileged && geteuid () == 0)
    {
      /* root without the capabilities that bypass file permissions: a
       * folder or file root owns without the permission bit is closed to
       * it, as to any user (dropping them from the bounding set takes them
       * from the program setpriv runs) */
      g_ptr_array_add (argv, g_strdup ("setpriv"));
      g_ptr_array_add (argv, g_strdup ("--bounding-set=-dac_override,-dac_read_search"));
      g_ptr_array_add (argv, g_strdup ("--"));
    }
  g_ptr_array_add (argv, g_strdup (bin));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  env = g_environ_unsetenv (env, "DISPLAY");
  env = g_environ_unsetenv (env, "WAYLAND_DISPLAY");
  env = g_environ_setenv (env, "LANGUAGE", language, TRUE);
  g_assert_true (g_spawn_sync (cwd, (char **) argv->pdata, env,
                               G_SPAWN_SEARCH_PATH
                               | (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
                               NULL, NULL, out, err, &wait_status, &error));
  g_assert_no_error (error);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

int
ls_test_run_cli_in (const char        *language,
                    const char        *cwd,
                    const char *const *args,
                    char             **out,
                    char             **err)
{
  return run_cli (language, FALSE, cwd, args, out, err);
}

int
ls_test_run_cli_unprivileged (const char        *cwd,
                              const char *const *args,
                              char             **out,
                              char             **err)
{
  return run_cli ("en", TRUE, cwd, args, out, err);
}
