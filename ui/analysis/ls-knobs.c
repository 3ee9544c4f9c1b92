/* SPDX-License-Identifier: MIT
 *
 * Knob values and how knobs are presented. The runtime knows a knob's
 * name, label, default and range (runtime/scenarios/); what it is (a
 * count or seconds), what to look for when it changes and where its value
 * stands in the listing are the views' business and live here, in one
 * table that the tests hold to every scenario's listing.
 */
#include "config.h"

#include "ls-knobs.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (ls-knobs-error-quark, ls_knobs_error)

struct _LsKnobs
{
  const LsScenario *scenario;
  double           *values;   /* one per knob of the scenario */
};

typedef struct
{
  const char *scenario;
  const char *knob;
  LsKnobInfo  info;
} KnobEntry;

#define SECONDS LS_KNOB_SECONDS
#define INTEGER LS_KNOB_INTEGER

static const KnobEntry knob_table[] = {
  { "task-cancel", "duration",
    { SECONDS, N_("How long the task would run: past the cancel it makes no difference."),
      { "cancellable_task(\"长时间任务\", {})", NULL } } },
  { "task-cancel", "cancel-after",
    { SECONDS, N_("Later, and the task prints more progress before CancelledError reaches it."),
      { "# 等待{}秒后取消", "await asyncio.sleep({})\n    print(\"取消任务...\")", NULL } } },
  { "timeout", "operation",
    { SECONDS, N_("Shorter than the timeout, and both operations finish; longer, and the "
                  "deadline cancels them."),
      { "slow_operation(\"任务1\", {})", "slow_operation(\"任务2\", {})", NULL } } },
  { "timeout", "timeout",
    { SECONDS, N_("The deadline brackets move; at or past the operation's length nothing "
                  "times out."),
      { "timeout={}", "asyncio.timeout({})", NULL } } },
  { "cancel-cleanup", "cancel-after",
    { SECONDS, N_("Later, and more steps print before the cleanup."),
      { "# {}秒后取消", "await asyncio.sleep({})\n    print(\"取消任务\")", NULL } } },
  { "cancel-cleanup", "cleanup",
    { SECONDS, N_("The cancelled task stays alive this long, and main waits for it."),
      { "await asyncio.sleep({})\n        print(f\"{name}: 清理完成\")", NULL } } },
  { "concurrency-vs-parallelism", "work",
    { SECONDS, N_("The CPU half grows by twice this (the loop is blocked), the I/O half by "
                  "once."),
      { "cpu_work({})", "await asyncio.sleep({})  # I/O", NULL } } },
  { "scheduler", "max-retries",
    { INTEGER, N_("More retries, more runs of task 3, each a retry delay after the last."),
      { "max_retries={}\n", NULL } } },
  { "scheduler", "retry-delay",
    { SECONDS, N_("A shorter delay lets the retries run before main cancels the rest."),
      { "timedelta(seconds={})", NULL } } },
  { "scheduler", "run-for",
    { SECONDS, N_("Later than 10 s, and task 4 runs before main cancels what is left."),
      { "await asyncio.sleep({})\n\n    # 取消未执行的任务", NULL } } },
  { "producer-consumer", "queue-size",
    { INTEGER, N_("A small queue fills: producers find it full and back off for half a "
                  "second."),
      { "queue_size={},", NULL } } },
  { "producer-consumer", "producers",
    { INTEGER, N_("More producers fill the queue faster; the run lasts until every item is "
                  "consumed."),
      { "num_producers={},", NULL } } },
  { "producer-consumer", "consumers",
    { INTEGER, N_("More consumers empty the queue sooner; fewer, and it fills up."),
      { "num_consumers={}\n", NULL } } },
  { "producer-consumer", "items",
    { INTEGER, N_("Each producer makes this many items: the run grows with them."),
      { "max_items_per_producer={})", NULL } } },
  { "blocking-read", "latency",
    { SECONDS, N_("The blocking read stops every heartbeat for this long; the awaited read "
                  "does not."),
      { "sleep({})  # 模拟慢速磁盘: 读取要 {} 秒", NULL } } },
  { "downloader", "max-concurrent",
    { INTEGER, N_("Fewer at once, and the downloads wait on the semaphore: the total grows."),
      { "ConcurrentDownloader(max_concurrent={})", NULL } } },
  { "downloader", "timeout",
    { SECONDS, N_("Below a download's delay, that download fails with a timeout."),
      { "ClientTimeout(total={})", NULL } } },
  { "lock", "tasks",
    { INTEGER, N_("The tasks take the lock one after another: each adds its time inside."),
      { "for i in range({})\n    ]", "# 应该是 {}", NULL } } },
  { "lock", "hold",
    { SECONDS, N_("How long each task keeps the lock: every other task waits that long."),
      { "asyncio.sleep({})  # 模拟耗时操作", NULL } } },
  { "event", "waiters",
    { INTEGER, N_("However many wait, set() wakes them all in one iteration."),
      { "for i in range({})", NULL } } },
  { "event", "delay",
    { SECONDS, N_("The waiters wait until the event is set, this long."),
      { "等待{}秒...", "await asyncio.sleep({})", NULL } } },
  { "queue", "producers",
    { INTEGER, N_("More producers put more items: the queue gets deeper."),
      { "producer(queue, f\"生产者{i}\"))\n        for i in range({})", NULL } } },
  { "queue", "consumers",
    { INTEGER, N_("Fewer consumers, and the items wait longer in the queue."),
      { "consumer(queue, f\"消费者{i}\"))\n        for i in range({})", NULL } } },
  { "queue", "items",
    { INTEGER, N_("Each producer puts this many items."),
      { "for i in range({}):\n        item =", NULL } } },
  { "queue", "maxsize",
    { INTEGER, N_("A small queue fills, and producers wait on put() (0: never full)."),
      { "Queue(maxsize={})", NULL } } },
  { "semaphore", "tasks",
    { INTEGER, N_("More tasks, more waves through the semaphore."),
      { "# 创建{}个任务", "for i in range({})", NULL } } },
  { "semaphore", "size",
    { INTEGER, N_("The tasks run in waves of this many: the permits step chart shows each "
                  "wave."),
      { "Semaphore({})", NULL } } },
  { "semaphore", "work",
    { SECONDS, N_("The length of each wave."),
      { "asyncio.sleep({})", NULL } } },
  { "graceful-shutdown", "workers",
    { INTEGER, N_("Every worker sees the event cleared at its next check."),
      { "for i in range({})", NULL } } },
  { "graceful-shutdown", "run-for",
    { SECONDS, N_("The workers run this long before the event is cleared."),
      { "运行{}秒...", "await asyncio.sleep({})\n\n    print(\"停止", NULL } } },
  { "stress", "tasks",
    { INTEGER, N_("The number of lanes: the timeline still draws every one."),
      { "for _ in range({})", NULL } } },
  { "stress", "rounds",
    { INTEGER, N_("Rounds per task: the run grows with them."),
      { "worker(gate, {})", NULL } } },
  { "stress", "gate",
    { INTEGER, N_("A narrower gate, and more tasks wait on the semaphore."),
      { "Semaphore({})", NULL } } },
};

#undef SECONDS
#undef INTEGER

static const LsKnobInfo no_info = { LS_KNOB_SECONDS, NULL, { NULL } };

const LsKnobInfo *
ls_knob_get_info (const LsScenario *scenario,
                  guint             index)
{
  g_return_val_if_fail (scenario != NULL, &no_info);
  g_return_val_if_fail (index < scenario->n_knobs, &no_info);

  for (guint i = 0; i < G_N_ELEMENTS (knob_table); i++)
    if (g_str_equal (knob_table[i].scenario, scenario->id)
        && g_str_equal (knob_table[i].knob, scenario->knobs[index].name))
      return &knob_table[i].info;
  /* a knob without an entry: the tests make sure there is none */
  return &no_info;
}

const char *
ls_knob_kind_name (LsKnobKind kind)
{
  return kind == LS_KNOB_INTEGER ? "integer" : "seconds";
}

char *
ls_knob_format_value (const LsScenario *scenario,
                      guint             index,
                      double            value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (ls_knob_get_info (scenario, index)->kind == LS_KNOB_INTEGER)
    return g_strdup_printf ("%lld", (long long) llround (value));
  /* the shortest that reads back the same, as Python writes a float */
  g_ascii_formatd (buffer, sizeof buffer, "%.15g", value);
  return g_strdup (buffer);
}

char *
ls_knob_describe_range (const LsScenario *scenario,
                        guint             index)
{
  const LsScenarioKnob *knob = &scenario->knobs[index];
  g_autofree char *min = ls_knob_format_value (scenario, index, knob->min);
  g_autofree char *max = ls_knob_format_value (scenario, index, knob->max);

  if (ls_knob_get_info (scenario, index)->kind == LS_KNOB_INTEGER)
    return g_strdup_printf (_("a whole number from %s to %s"), min, max);
  return g_strdup_printf (_("seconds from %s to %s"), min, max);
}

/* ---- values ------------------------------------------------------------------ */

LsKnobs *
ls_knobs_new (const LsScenario *scenario)
{
  LsKnobs *knobs;

  g_return_val_if_fail (scenario != NULL, NULL);

  knobs = g_new0 (LsKnobs, 1);
  knobs->scenario = scenario;
  knobs->values = g_new0 (double, MAX (scenario->n_knobs, 1));
  for (guint i = 0; i < scenario->n_knobs; i++)
    knobs->values[i] = scenario->knobs[i].default_value;
  return knobs;
}

LsKnobs *
ls_knobs_copy (const LsKnobs *knobs)
{
  LsKnobs *copy;

  g_return_val_if_fail (knobs != NULL, NULL);

  copy = ls_knobs_new (knobs->scenario);
  memcpy (copy->values, knobs->values, knobs->scenario->n_knobs * sizeof (double));
  return copy;
}

void
ls_knobs_free (LsKnobs *knobs)
{
  if (knobs == NULL)
    return;
  g_free (knobs->values);
  g_free (knobs);
}

const LsScenario *
ls_knobs_get_scenario (const LsKnobs *knobs)
{
  g_return_val_if_fail (knobs != NULL, NULL);
  return knobs->scenario;
}

double
ls_knobs_get_value (const LsKnobs *knobs,
                    guint          index)
{
  g_return_val_if_fail (knobs != NULL, 0);
  g_return_val_if_fail (index < knobs->scenario->n_knobs, 0);
  return knobs->values[index];
}

gboolean
ls_knobs_is_default (const LsKnobs *knobs,
                     guint          index)
{
  g_return_val_if_fail (knobs != NULL, TRUE);
  g_return_val_if_fail (index < knobs->scenario->n_knobs, TRUE);
  return knobs->values[index] == knobs->scenario->knobs[index].default_value;
}

int
ls_knobs_find (const LsKnobs *knobs,
               const char    *name)
{
  g_return_val_if_fail (knobs != NULL, -1);

  for (guint i = 0; name != NULL && i < knobs->scenario->n_knobs; i++)
    if (g_str_equal (knobs->scenario->knobs[i].name, name))
      return (int) i;
  return -1;
}

static gboolean
bad_value (const LsKnobs *knobs,
           guint          index,
           const char    *text,
           GError       **error)
{
  g_autofree char *range = ls_knob_describe_range (knobs->scenario, index);

  /* TRANSLATORS: a knob's value that cannot be used: NAME=VALUE, then what
   * it must be ("a whole number from 1 to 10") */
  g_set_error (error, LS_KNOBS_ERROR, LS_KNOBS_ERROR_BAD_VALUE, _("%s=%s: expected %s"),
               knobs->scenario->knobs[index].name, text, range);
  return FALSE;
}

gboolean
ls_knobs_set_value (LsKnobs *knobs,
                    guint    index,
                    double   value,
                    GError **error)
{
  const LsScenarioKnob *knob;
  LsKnobKind kind;

  g_return_val_if_fail (knobs != NULL, FALSE);
  g_return_val_if_fail (index < knobs->scenario->n_knobs, FALSE);

  knob = &knobs->scenario->knobs[index];
  kind = ls_knob_get_info (knobs->scenario, index)->kind;
  if (isfinite (value) && kind == LS_KNOB_SECONDS)
    /* scenario time is integer nanoseconds: keep what the run will use,
     * not a spin button's 0.30000000000000004 */
    value = round (value * 1e9) / 1e9;
  if (!isfinite (value) || value < knob->min || value > knob->max
      || (kind == LS_KNOB_INTEGER && value != floor (value)))
    {
      char text[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (text, sizeof text, "%.15g", value);
      return bad_value (knobs, index, text, error);
    }
  knobs->values[index] = value;
  return TRUE;
}

gboolean
ls_knob_parse_decimal (const char *text,
                       double     *value)
{
  char *end = NULL;

  if (text == NULL || *text == '\0' || strspn (text, "0123456789.eE+-") != strlen (text))
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && isfinite (*value);
}

gboolean
ls_knobs_parse (LsKnobs    *knobs,
                const char *assignment,
                GError    **error)
{
  const char *equals;
  g_autofree char *name = NULL;
  double value;
  int index;

  g_return_val_if_fail (knobs != NULL, FALSE);
  g_return_val_if_fail (assignment != NULL, FALSE);

  equals = strchr (assignment, '=');
  if (equals == NULL || equals == assignment)
    {
      g_set_error (error, LS_KNOBS_ERROR, LS_KNOBS_ERROR_SYNTAX, _("“%s”: expected NAME=VALUE"),
                   assignment);
      return FALSE;
    }
  name = g_strndup (assignment, equals - assignment);
  index = ls_knobs_find (knobs, name);
  if (index < 0)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < knobs->scenario->n_knobs; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", knobs->scenario->knobs[i].name);
      if (knobs->scenario->n_knobs == 0)
        g_set_error (error, LS_KNOBS_ERROR, LS_KNOBS_ERROR_UNKNOWN,
                     _("%s has no knob “%s”: it has no knobs"), knobs->scenario->id, name);
      else
        g_set_error (error, LS_KNOBS_ERROR, LS_KNOBS_ERROR_UNKNOWN,
                     _("%s has no knob “%s”; its knobs: %s"), knobs->scenario->id, name,
                     names->str);
      return FALSE;
    }
  if (!ls_knob_parse_decimal (equals + 1, &value))
    return bad_value (knobs, index, equals + 1, error);
  if (!ls_knobs_set_value (knobs, index, value, NULL))
    return bad_value (knobs, index, equals + 1, error);
  return TRUE;
}

gboolean
ls_knobs_equal (const LsKnobs *a,
                const LsKnobs *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->scenario != b->scenario)
    return FALSE;
  for (guint i = 0; i < a->scenario->n_knobs; i++)
    if (a->values[i] != b->values[i])
      return FALSE;
  return TRUE;
}

void
ls_knobs_apply (const LsKnobs *knobs,
                LsScenarioRun *run)
{
  g_return_if_fail (knobs != NULL);
  g_return_if_fail (run != NULL);

  for (guint i = 0; i < knobs->scenario->n_knobs; i++)
    ls_scenario_run_set_knob (run, knobs->scenario->knobs[i].name, knobs->values[i]);
}

/* ---- the listing ------------------------------------------------------------- */

typedef struct
{
  gsize  at;
  gsize  length;
  char  *text;
} Replacement;

static char *
fill (const char *pattern,
      const char *value)
{
  g_auto(GStrv) parts = g_strsplit (pattern, "{}", -1);

  return g_strjoinv (value, parts);
}

static int
compare_replacements (gconstpointer a,
                      gconstpointer b)
{
  const Replacement *x = a, *y = b;

  return x->at < y->at ? -1 : x->at > y->at;
}

static void
clear_replacement (gpointer data)
{
  g_free (((Replacement *) data)->text);
}

char *
ls_knobs_apply_to_listing (const LsKnobs *knobs,
                           const char    *listing)
{
  g_autoptr(GArray) replacements = g_array_new (FALSE, FALSE, sizeof (Replacement));
  g_autoptr(GString) out = NULL;
  gsize from = 0;

  g_return_val_if_fail (knobs != NULL, NULL);
  g_return_val_if_fail (listing != NULL, NULL);

  g_array_set_clear_func (replacements, clear_replacement);
  /* every place is found in the listing as it is, so one knob's new value
   * can never be mistaken for another knob's default */
  for (guint i = 0; i < knobs->scenario->n_knobs; i++)
    {
      const LsKnobInfo *info = ls_knob_get_info (knobs->scenario, i);
      g_autofree char *old_value = NULL, *new_value = NULL;

      if (ls_knobs_is_default (knobs, i))
        continue;
      old_value = ls_knob_format_value (knobs->scenario, i, knobs->scenario->knobs[i].default_value);
      new_value = ls_knob_format_value (knobs->scenario, i, knobs->values[i]);
      for (guint p = 0; p < G_N_ELEMENTS (info->listing) && info->listing[p] != NULL; p++)
        {
          g_autofree char *needle = fill (info->listing[p], old_value);
          gsize length = strlen (needle);

          for (const char *at = strstr (listing, needle); at != NULL;
               at = strstr (at + length, needle))
            {
              Replacement r = { at - listing, length, fill (info->listing[p], new_value) };

              g_array_append_val (replacements, r);
            }
        }
    }
  g_array_sort (replacements, compare_replacements);
  out = g_string_new (NULL);
  for (guint i = 0; i < replacements->len; i++)
    {
      const Replacement *r = &g_array_index (replacements, Replacement, i);

      if (r->at < from)
        continue;  /* overlaps the one before: the table's test forbids it */
      g_string_append_len (out, listing + from, r->at - from);
      g_string_append (out, r->text);
      from = r->at + r->length;
    }
  g_string_append (out, listing + from);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

GStrv
ls_knobs_to_strv (const LsKnobs *knobs,
                  gboolean       changed_only)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (knobs != NULL, NULL);

  for (guint i = 0; i < knobs->scenario->n_knobs; i++)
    {
      g_autofree char *value = NULL;
      g_autofree char *pair = NULL;

      if (changed_only && ls_knobs_is_default (knobs, i))
        continue;
      value = ls_knob_format_value (knobs->scenario, i, knobs->values[i]);
      pair = g_strdup_printf ("%s=%s", knobs->scenario->knobs[i].name, value);
      g_strv_builder_add (builder, pair);
    }
  return g_strv_builder_end (builder);
}

char *
ls_knobs_describe (const LsKnobs *knobs)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (knobs != NULL, NULL);

  for (guint i = 0; i < knobs->scenario->n_knobs; i++)
    {
      g_autofree char *value = NULL;

      if (ls_knobs_is_default (knobs, i))
        continue;
      value = ls_knob_format_value (knobs->scenario, i, knobs->values[i]);
      if (out->len > 0)
        g_string_append (out, ", ");
      /* TRANSLATORS: a knob and its value in a title: "Downloads at once 1" */
      g_string_append_printf (out, _("%s %s"), _(knobs->scenario->knobs[i].label), value);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

char *
ls_knobs_run_title (const char    *title,
                    const LsKnobs *knobs,
                    guint32        seed,
                    const char    *date)
{
  g_autofree char *changed = knobs != NULL ? ls_knobs_describe (knobs) : NULL;

  if (changed == NULL || changed[0] == '\0')
    /* TRANSLATORS: the title line of an exported image: scenario title, seed, date */
    return g_strdup_printf (_("%s — seed %u — %s"), title, seed, date);
  /* TRANSLATORS: the title line of an exported image: scenario title, the knobs
   * changed from their defaults ("Downloads at once 1"), seed, date */
  return g_strdup_printf (_("%s — %s — seed %u — %s"), title, changed, seed, date);
}

char *
ls_knobs_describe_against (const LsKnobs *knobs,
                           guint32        seed,
                           const LsKnobs *other,
                           guint32        other_seed)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (knobs != NULL && other != NULL, NULL);
  g_return_val_if_fail (knobs->scenario == other->scenario, NULL);

  for (guint i = 0; i < knobs->scenario->n_knobs; i++)
    {
      g_autofree char *value = NULL;

      if (knobs->values[i] == other->values[i])
        continue;
      value = ls_knob_format_value (knobs->scenario, i, knobs->values[i]);
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, _("%s %s"), _(knobs->scenario->knobs[i].label), value);
    }
  if (seed != other_seed || knobs->scenario->randomised)
    {
      if (out->len > 0)
        g_string_append (out, ", ");
      g_string_append_printf (out, _("seed %u"), seed);
    }
  if (out->len == 0)
    g_string_append (out, _("the same knobs"));
  return g_string_free (g_steal_pointer (&out), FALSE);
}
