/*
 * lib/plot.h — where a value falls in an SVG chart's plot area: the arithmetic the funnel plots and CUSUM
 * charts of web/homes.c draw with, kept pure so that it can be tested alone.
 *
 * The chart is w x h user units; the plot area is inset by left, right, top and bottom. x runs linearly
 * from 0 (left edge of the area) to xmax (right edge), y from 0 (bottom edge) up to ymax (top edge). Values
 * outside [0, max] are clamped to the edge, so every mark stays inside the area (a ratio of 40 on a funnel
 * plot whose axis stops at 4 sits on the top edge). A max that is not above 0 is taken as 1.
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

#endif
