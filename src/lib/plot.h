/*
 * lib/plot.h — where a value falls in an SVG chart's plot area: the arithmetic the funnel plots and CUSUM
 * charts of web/homes.c draw with, kept pure so that it can be tested alone.
 *
 * The chart is w x h user units; the plot area is inset by left, right, top and bottom. x runs linearly
 * from 0 (left edge of the area) to xmax (right edge), y from 0 (bottom edge) up to ymax (top edge). Values
 * outside [0, max] are clamped to the edge, so every mark stays inside the area. A max that is not above 0 is
 * taken as 1. An axis is scaled to its data with plot_nice_max (issue 15: a funnel plot cut at 4 put a home at
 * 5.06 on its 99.8% line), so that clamping is only a guard.
 */
#ifndef SAFEGUARD_LIB_PLOT_H
#define SAFEGUARD_LIB_PLOT_H

struct plot {
	double w, h, left, right, top, bottom, xmax, ymax;
};

double plot_x(const struct plot *g, double x);
double plot_y(const struct plot *g, double y);
/* The value of tick i of an axis from 0 to max cut into n equal steps (i = 0..n). */
double plot_tick(double max, int n, int i);
/* A round top for an axis that must show v: the smallest multiple of a step of 1, 2 or 5 times a power of ten
 * that is at least v, with the step chosen so that at most n steps (n >= 1) reach it; *step gets the step
 * (may be NULL). v not above 0, or not finite, gives 1 (step 1 / n, rounded the same way). */
double plot_nice_max(double v, int n, double *step);

#endif
