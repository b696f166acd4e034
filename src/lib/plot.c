#include "lib/plot.h"

#include <math.h>
#include <stddef.h>

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

double plot_nice_max(double v, int n, double *step)
{
	if (n < 1)
		n = 1;
	if (!(v > 0) || !isfinite(v))
		v = 1;
	double raw = v / n, p10 = pow(10, floor(log10(raw))), st = p10 * 10;
	static const double mult[] = {1, 2, 5, 10};
	for (size_t i = 0; i < sizeof mult / sizeof mult[0]; i++)
		if (mult[i] * p10 * n >= v * (1 - 1e-12)) {
			st = mult[i] * p10;
			break;
		}
	double top = ceil(v / st - 1e-9) * st;
	if (step)
		*step = st;
	return top;
}
