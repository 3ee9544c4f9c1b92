/* SPDX-License-Identifier: MIT
 *
 * Draws a comparison of two runs (LsCompare): run A's timeline above run
 * B's, each under a band naming it, on one time axis with one cursor; the
 * lanes that differ tinted in both, with a mark where they part; then a
 * summary strip (total duration, each task's end and time spent waiting,
 * waits per reason, a queue's maximum depth and a semaphore's minimum
 * permits, differences highlighted; "identical" when nothing differs).
 * cairo and pango only: the compare view and the image exports share it.
 */
#pragma once

#include <cairo.h>

#include "ls-compare.h"
#include "ls-export.h"
#include "ls-timeline-renderer.h"

G_BEGIN_DECLS

typedef struct
{
  double      width;
  double      height;       /* the whole drawing (ignored with @fit_lanes) */
  gint64      t0;           /* the time range both runs share, ns (t1 > t0) */
  gint64      t1;
  gint64      cursor;       /* one cursor for both, or -1 */
  gint64      now[2];       /* each run's "now" line, or -1 */
  double      scroll_y[2];  /* each run's lanes scroll on their own */
  gboolean    dark;
  const char *font_name;
  gboolean    fit_lanes;    /* exports: each run as tall as its lanes, the summary whole */
} LsCompareFrame;

typedef struct
{
  double header_y[2];   /* the band naming each run */
  double timeline_y[2]; /* each run's axis and lanes */
  double timeline_h[2];
  double summary_y;
  double summary_h;
  double height;        /* the whole drawing */
} LsCompareLayout;

#define LS_COMPARE_HEADER_HEIGHT LS_TIMELINE_TITLE_HEIGHT

/* The rows of one side: every lane, nothing folded (kept with @compare). */
LsLaneLayout *ls_compare_get_lane_layout (LsCompare      *compare,
                                          LsCompareSide   side);
void     ls_compare_get_layout    (LsCompare            *compare,
                                   const LsCompareFrame  *view,
                                   LsCompareLayout      *layout);
/* The timeline view of one run as ls_compare_render () draws it, in the
 * coordinates of its own timeline box (for hit testing). */
void     ls_compare_get_run_view  (LsCompare            *compare,
                                   const LsCompareFrame  *view,
                                   const LsCompareLayout *layout,
                                   LsCompareSide         side,
                                   LsTimelineView       *run_view);
void     ls_compare_render        (cairo_t              *cr,
                                   LsCompare            *compare,
                                   const LsCompareFrame  *view);

/* The comparison as an image: a title line, both runs over their whole
 * range (or options' range), the summary and the legend. */
gboolean ls_compare_export_to_stream (LsCompare             *compare,
                                      const LsExportOptions *options,
                                      GOutputStream         *out,
                                      const char            *name,
                                      GError               **error);
gboolean ls_compare_export        (LsCompare             *compare,
                                   const LsExportOptions *options,
                                   const char            *path,
                                   GError               **error);

G_END_DECLS
