#include "lib/plot.h"

#include <math.h>

static double unit(double v, double max)
{
	if (!(max > 0) || !isfinite(max))
		max = 1;
	if (!(v > 0)) /* NaN too */
		return 0;
	return v > max ? 1 : v / max;
}

double plot_x(const struct plot *g, double x)
{
	return g->left + (g->w - g->left - g->right) * unit(x, g->xmax);
}

double plot_y(const struct plot *g, double y)
{
	return g->h - g->bottom - (g->h - g->top - g->bottom) * unit(y, g->ymax);
}

double plot_tick(double max, int n, int i)
{
	return n > 0 ? max * i / n : 0;
}
