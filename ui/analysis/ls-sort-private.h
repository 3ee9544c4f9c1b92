/* SPDX-License-Identifier: MIT
 *
 * In-place sorting for the trace import (see ls-sort.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sorts @array in place, in O(n log n) time and no extra memory. Its
 * elements must be a multiple of 8 bytes, at most 32. Not stable: make
 * @compare a total order. */
void _ls_sort_array (GArray       *array,
                     GCompareFunc  compare);

G_END_DECLS
