/* SPDX-License-Identifier: MIT
 *
 * Coroutine stacks and the context switch.
 *
 * Stacks come from mmap and are pooled: a finished coroutine gives its stack
 * back and the next one reuses it, so spawning a task costs no system call in
 * the steady state. A guard page below a stack turns an overflow into a
 * SIGSEGV, but it costs a second kernel mapping per stack (the PROT_NONE page
 * splits the VMA) and vm.max_map_count is 65530 by default, so only the first
 * max_map_count / 8 stacks get one. Past that budget stacks are carved from
 * slabs of 64 (one mapping per slab); an overflow there is caught by the
 * magic number at the top of the neighbouring stack (check_magic). DESIGN.md
 * explains the numbers behind that choice.
 */
#include "config.h"

#include "ls-coro.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifdef LS_HAVE_ASAN
# include <sanitizer/common_interface_defs.h>
#endif

#ifdef LS_CORO_UCONTEXT
# include <ucontext.h>
#endif

#define LS_STACK_SIZE      (256 * 1024)
#define LS_SLAB_STACKS     64
#define LS_CORO_MAGIC      G_GUINT64_CONSTANT (0x6c6f6f7073636f70) /* "loopscop" */
#define LS_POOL_KEEP_WARM  256

typedef struct _LsStack LsStack;

struct _LsStack
{
  guint8  *low;        /* lowest usable byte */
  gsize    size;
  gboolean guarded;
  LsStack *next_free;
};

struct _LsCoro
{
  guint64     magic;      /* an overflowing neighbour stack overwrites this first */
#ifdef LS_CORO_UCONTEXT
  ucontext_t  uc;
#else
  void       *sp;
#endif
  LsStack    *stack;
  LsCoroEntry entry;
  gpointer    data;
  guint       started : 1;  /* resumed at least once (ucontext enters via makecontext then) */
  guint       finished : 1;
#ifdef LS_HAVE_ASAN
  void       *fake_stack;
#endif
};

typedef struct
{
  LsStack *free_list;
  guint    n_free;
  guint    n_in_use;
  guint    n_guarded;
  guint    n_slab_stacks;
  guint    n_abandoned;
  guint    guarded_budget;
  gsize    page_size;
  /* the slab being carved */
  guint8  *slab;
  guint    slab_next;
} LsStackPool;

static LsStackPool pool;

/* The scheduler's side of a switch: one per thread. */
static LS_THREAD_LOCAL LsCoro *current_coro;
#ifdef LS_CORO_UCONTEXT
static LS_THREAD_LOCAL ucontext_t scheduler_uc;
static LS_THREAD_LOCAL LsCoro *starting_coro;
#else
static LS_THREAD_LOCAL void *scheduler_sp;
#endif
#ifdef LS_HAVE_ASAN
static LS_THREAD_LOCAL const void *scheduler_stack_bottom;
static LS_THREAD_LOCAL gsize scheduler_stack_size;
static LS_THREAD_LOCAL void *scheduler_fake_stack;
/* the switch in progress comes from the scheduler, not from a coroutine */
static LS_THREAD_LOCAL gboolean switching_from_scheduler;
#endif

#ifdef LS_CORO_ASM
void ls_coro_switch (void **from_sp, void *to_sp);
void ls_coro_trampoline (void);
#endif

G_LOCK_DEFINE_STATIC (pool);

static guint
read_max_map_count (void)
{
  g_autofree char *contents = NULL;
  guint64 value;

  if (!g_file_get_contents ("/proc/sys/vm/max_map_count", &contents, NULL, NULL))
    return 65530;
  value = g_ascii_strtoull (contents, NULL, 10);
  return value > 0 && value < G_MAXUINT ? (guint) value : 65530;
}

static void
pool_init_once (void)
{
  if (pool.page_size != 0)
    return;
  pool.page_size = (gsize) sysconf (_SC_PAGESIZE);
  /* Leave most mappings to malloc, GTK and the GPU driver: guarded stacks may
   * use a quarter of the limit (two mappings each). */
  pool.guarded_budget = read_max_map_count () / 8;
}

static LsStack *
stack_map_guarded (void)
{
  gsize guard = pool.page_size;
  guint8 *mem;
  LsStack *stack;

  mem = mmap (NULL, LS_STACK_SIZE + guard, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (mem == MAP_FAILED)
    return NULL;
  if (mprotect (mem, guard, PROT_NONE) != 0)
    {
      munmap (mem, LS_STACK_SIZE + guard);
      return NULL;
    }
  stack = g_new0 (LsStack, 1);
  stack->low = mem + guard;
  stack->size = LS_STACK_SIZE;
  stack->guarded = TRUE;
  pool.n_guarded++;
  return stack;
}

static LsStack *
stack_map_from_slab (void)
{
  LsStack *stack;

  if (pool.slab == NULL || pool.slab_next == LS_SLAB_STACKS)
    {
      guint8 *mem = mmap (NULL, (gsize) LS_STACK_SIZE * LS_SLAB_STACKS, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
      if (mem == MAP_FAILED)
        return NULL;
      pool.slab = mem;
      pool.slab_next = 0;
    }
  stack = g_new0 (LsStack, 1);
  stack->low = pool.slab + (gsize) LS_STACK_SIZE * pool.slab_next++;
  stack->size = LS_STACK_SIZE;
  stack->guarded = FALSE;
  pool.n_slab_stacks++;
  return stack;
}

static LsStack *
stack_acquire (void)
{
  LsStack *stack;

  G_LOCK (pool);
  pool_init_once ();
  if ((stack = pool.free_list) != NULL)
    {
      pool.free_list = stack->next_free;
      pool.n_free--;
    }
  else
    {
      if (pool.n_guarded < pool.guarded_budget)
        stack = stack_map_guarded ();
      if (stack == NULL)
        stack = stack_map_from_slab ();
    }
  if (stack != NULL)
    pool.n_in_use++;
  G_UNLOCK (pool);

  if (stack == NULL)
    g_error ("Loopscope: cannot map a coroutine stack: %s", g_strerror (errno));
  return stack;
}

static void
stack_release (LsStack *stack)
{
  G_LOCK (pool);
  /* A large pool keeps its address space but gives the memory back. */
  if (pool.n_free >= LS_POOL_KEEP_WARM)
    madvise (stack->low, stack->size, MADV_DONTNEED);
  stack->next_free = pool.free_list;
  pool.free_list = stack;
  pool.n_free++;
  pool.n_in_use--;
  G_UNLOCK (pool);
}

void
ls_coro_pool_get_stats (LsCoroPoolStats *stats)
{
  G_LOCK (pool);
  pool_init_once ();
  stats->stack_size = LS_STACK_SIZE;
  stats->guarded_budget = pool.guarded_budget;
  stats->n_guarded = pool.n_guarded;
  stats->n_slab_stacks = pool.n_slab_stacks;
  stats->n_free = pool.n_free;
  stats->n_in_use = pool.n_in_use;
  stats->n_abandoned = pool.n_abandoned;
  G_UNLOCK (pool);
}

const char *
ls_coro_backend_name (void)
{
#ifdef LS_CORO_UCONTEXT
  return "ucontext";
#elif defined(__x86_64__)
  return "x86-64 assembly";
#else
  return "aarch64 assembly";
#endif
}

/* Slab stacks have no guard page. They are laid out upwards in the slab,
 * so a stack that overflows runs into the top of the stack below it, where
 * that coroutine's LsCoro lives: its magic is checked at every switch.
 * (Checking a canary at each stack's low end instead would cost every task
 * a second resident page.) */
static inline void
check_magic (LsCoro *coro)
{
  if (G_UNLIKELY (coro->magic != LS_CORO_MAGIC))
    g_error ("Loopscope: coroutine stack overflow detected (stacks are %zu KiB)",
             (gsize) LS_STACK_SIZE / 1024);
}

/* ---- switching -------------------------------------------------------- */

/* On a coroutine's stack, right after a switch into it. AddressSanitizer
 * is told which stack it is on now; the scheduler's stack is learnt when
 * the switch came from there (a coroutine may also be resumed by another,
 * ls_coro_switch_to). */
static inline void
arrived (void *fake_stack)
{
#ifdef LS_HAVE_ASAN
  if (switching_from_scheduler)
    __sanitizer_finish_switch_fiber (fake_stack, &scheduler_stack_bottom, &scheduler_stack_size);
  else
    __sanitizer_finish_switch_fiber (fake_stack, NULL, NULL);
#endif
}

static inline void
switch_to_scheduler (LsCoro *self, gboolean final)
{
#ifdef LS_HAVE_ASAN
  __sanitizer_start_switch_fiber (final ? NULL : &self->fake_stack,
                                  scheduler_stack_bottom, scheduler_stack_size);
#endif
#ifdef LS_CORO_UCONTEXT
  swapcontext (&self->uc, &scheduler_uc);
#else
  ls_coro_switch (&self->sp, scheduler_sp);
#endif
#ifdef LS_HAVE_ASAN
  arrived (self->fake_stack);
#endif
}

static void
coro_main (LsCoro *self)
{
  arrived (NULL);
  self->entry (self->data);
  self->finished = TRUE;
  switch_to_scheduler (self, TRUE);
  g_assert_not_reached ();
}

#ifdef LS_CORO_UCONTEXT
static void
coro_ucontext_main (void)
{
  LsCoro *self = starting_coro;

  starting_coro = NULL;
  coro_main (self);
}
#endif

LsCoro *
ls_coro_new (LsCoroEntry entry,
             gpointer    data)
{
  LsStack *stack = stack_acquire ();
  guint8 *top = stack->low + stack->size;
  LsCoro *self;

  /* The coroutine's bookkeeping lives at the top of its own stack, so a
   * suspended task touches as few pages as possible. */
  top = (guint8 *) (((guintptr) top - sizeof (LsCoro)) & ~(guintptr) 63);
  self = (LsCoro *) top;
  memset (self, 0, sizeof *self);
  self->magic = LS_CORO_MAGIC;
  self->stack = stack;
  self->entry = entry;
  self->data = data;

#ifdef LS_CORO_UCONTEXT
  getcontext (&self->uc);
  self->uc.uc_stack.ss_sp = stack->low;
  self->uc.uc_stack.ss_size = (gsize) (top - stack->low);
  self->uc.uc_link = NULL;
  makecontext (&self->uc, coro_ucontext_main, 0);
#elif defined(__x86_64__)
  {
    /* popped by ls_coro_switch: r15 r14 r13 r12 rbx rbp, then ret; the
     * trampoline's call then sees a 16-byte aligned stack */
    guint8 *a = (guint8 *) (((guintptr) top - 16) & ~(guintptr) 15);
    guint64 *frame = (guint64 *) (a - 56);

    memset (frame, 0, 56);
    frame[2] = (guint64) (guintptr) self;             /* r13: arg */
    frame[3] = (guint64) (guintptr) coro_main;        /* r12: entry */
    frame[6] = (guint64) (guintptr) ls_coro_trampoline;
    self->sp = frame;
  }
#elif defined(__aarch64__)
  {
    guint8 *a = (guint8 *) (((guintptr) top - 16) & ~(guintptr) 15);
    guint64 *frame = (guint64 *) (a - 160);

    memset (frame, 0, 160);
    frame[0] = (guint64) (guintptr) coro_main;        /* x19: entry */
    frame[1] = (guint64) (guintptr) self;             /* x20: arg */
    frame[11] = (guint64) (guintptr) ls_coro_trampoline; /* x30 */
    self->sp = frame;
  }
#else
# error "no coroutine switch for this CPU: configure with -Dcoro_backend=ucontext"
#endif
  return self;
}

void
ls_coro_free (LsCoro *coro)
{
  g_return_if_fail (coro != NULL);
  g_return_if_fail (coro != current_coro);
  /* a suspended coroutine's frames would still be live: ls_coro_abandon */
  g_return_if_fail (coro->finished || !coro->started);
  stack_release (coro->stack);
}

void
ls_coro_abandon (LsCoro *coro)
{
  LsStack *stack;

  g_return_if_fail (coro != NULL);
  g_return_if_fail (coro != current_coro);

  stack = coro->stack;
  G_LOCK (pool);
  pool.n_in_use--;
  pool.n_abandoned++;
  G_UNLOCK (pool);
  /* the LsCoro lives at the top of this stack: nothing of it is read after
   * this point */
  madvise (stack->low, stack->size, MADV_DONTNEED);
  g_free (stack);
}

void
ls_coro_resume (LsCoro *coro)
{
  g_assert (coro != NULL && !coro->finished && current_coro == NULL);
  check_magic (coro);

  current_coro = coro;
#ifdef LS_HAVE_ASAN
  switching_from_scheduler = TRUE;
  __sanitizer_start_switch_fiber (&scheduler_fake_stack, coro->stack->low, coro->stack->size);
#endif
#ifdef LS_CORO_UCONTEXT
  if (!coro->started)
    starting_coro = coro;
  coro->started = TRUE;
  swapcontext (&scheduler_uc, &coro->uc);
#else
  coro->started = TRUE;
  ls_coro_switch (&scheduler_sp, coro->sp);
#endif
#ifdef LS_HAVE_ASAN
  __sanitizer_finish_switch_fiber (scheduler_fake_stack, NULL, NULL);
#endif
  /* the coroutine that switched back: @coro, or one it switched to */
  coro = current_coro;
  current_coro = NULL;
  check_magic (coro);
}

void
ls_coro_switch_to (LsCoro *to)
{
  LsCoro *self = current_coro;

  /* the caller is a coroutine and @to a suspended other one (ls-task.c);
   * the magic numbers guard the rest, as in ls_coro_resume () */
  check_magic (to);

  current_coro = to;
#ifdef LS_HAVE_ASAN
  switching_from_scheduler = FALSE;
  __sanitizer_start_switch_fiber (&self->fake_stack, to->stack->low, to->stack->size);
#endif
#ifdef LS_CORO_UCONTEXT
  if (!to->started)
    starting_coro = to;
  to->started = TRUE;
  swapcontext (&self->uc, &to->uc);
#else
  to->started = TRUE;
  ls_coro_switch (&self->sp, to->sp);
#endif
#ifdef LS_HAVE_ASAN
  arrived (self->fake_stack);
#endif
}

void
ls_coro_yield (void)
{
  LsCoro *self = current_coro;

  g_return_if_fail (self != NULL);
  switch_to_scheduler (self, FALSE);
}

LsCoro *
ls_coro_current (void)
{
  return current_coro;
}

gboolean
ls_coro_is_finished (LsCoro *coro)
{
  return coro->finished;
}
