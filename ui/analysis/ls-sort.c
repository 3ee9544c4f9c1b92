/* SPDX-License-Identifier: MIT
 *
 * Sorting large arrays of small records in place. qsort() and
 * g_array_sort() are merge sorts that allocate a copy of the whole array,
 * which would double the peak memory of importing a large trace. This is
 * an introsort: quicksort (median of three, Hoare's partition, recursion
 * into the smaller side only), heapsort when the pivots keep going bad, so
 * no input, however crafted, takes more than O(n log n), and insertion sort
 * for short runs.
 */
#include "config.h"

#include "ls-sort-private.h"

#include <string.h>

#define MAX_ELEMENT 32
#define AT(i) (base + (gsize) (i) * size)

/* Elements are a few 8-byte words: swapped word by word, not by memcpy
 * calls of a variable size. */
static inline void
swap_elements (char  *a,
               char  *b,
               gsize  size)
{
  guint64 *x = (guint64 *) (gpointer) a, *y = (guint64 *) (gpointer) b;

  for (gsize i = 0; i < size / 8; i++)
    {
      guint64 tmp = x[i];

      x[i] = y[i];
      y[i] = tmp;
    }
}

static void
sift_down (char        *base,
           gsize        size,
           gsize        root,
           gsize        n,
           GCompareFunc compare)
{
  for (gsize child; (child = 2 * root + 1) < n; root = child)
    {
      if (child + 1 < n && compare (AT (child), AT (child + 1)) < 0)
        child++;
      if (compare (AT (root), AT (child)) >= 0)
        return;
      swap_elements (AT (root), AT (child), size);
    }
}

static void
sort_range (char        *base,
            gsize        n,
            gsize        size,
            GCompareFunc compare,
            int          depth)
{
  while (n > 16)
    {
      char pivot[MAX_ELEMENT];
      gssize i = -1, j = n;

      if (depth-- == 0)
        {
          /* bad pivots, again and again: heapsort the rest */
          for (gsize k = n / 2; k-- > 0;)
            sift_down (base, size, k, n, compare);
          for (gsize end = n; end-- > 1;)
            {
              swap_elements (AT (0), AT (end), size);
              sift_down (base, size, 0, end, compare);
            }
          return;
        }
      /* median of three in the middle, then Hoare's partition */
      if (compare (AT (n / 2), AT (0)) < 0)
        swap_elements (AT (n / 2), AT (0), size);
      if (compare (AT (n - 1), AT (n / 2)) < 0)
        {
          swap_elements (AT (n - 1), AT (n / 2), size);
          if (compare (AT (n / 2), AT (0)) < 0)
            swap_elements (AT (n / 2), AT (0), size);
        }
      memcpy (pivot, AT (n / 2), size);
      for (;;)
        {
          do
            i++;
          while (compare (AT (i), pivot) < 0);
          do
            j--;
          while (compare (AT (j), pivot) > 0);
          if (i >= j)
            break;
          swap_elements (AT (i), AT (j), size);
        }
      /* [0, j] and [j + 1, n): recurse into the smaller, loop on the larger */
      if ((gsize) j + 1 < n - (j + 1))
        {
          sort_range (base, j + 1, size, compare, depth);
          base = AT (j + 1);
          n -= j + 1;
        }
      else
        {
          sort_range (AT (j + 1), n - (j + 1), size, compare, depth);
          n = j + 1;
        }
    }
  for (gsize k = 1; k < n; k++)
    for (gsize m = k; m > 0 && compare (AT (m - 1), AT (m)) > 0; m--)
      swap_elements (AT (m - 1), AT (m), size);
}

void
_ls_sort_array (GArray       *array,
                GCompareFunc  compare)
{
  gsize size = g_array_get_element_size (array);
  int depth = 0;

  g_assert (size <= MAX_ELEMENT && size % 8 == 0);
  for (gsize n = array->len; n > 0; n >>= 1)
    depth += 2;
  sort_range (array->data, array->len, size, compare, depth);
}

#undef AT
