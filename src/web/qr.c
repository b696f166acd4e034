/*
 * web/qr.c — a QR code as inline SVG (issue 15: the authenticator's otpauth:// link, scanned from the screen).
 *
 * libqrencode (Debian's libqrencode-dev) makes the modules; this draws them as one SVG path, with the
 * four-module quiet zone ISO/IEC 18004 asks for, black on white whatever the page's colours. Nothing is
 * fetched: the picture is in the page, and is shown only on the page that shows the secret once.
 */
#include "web/web_int.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define QR_QUIET 4

char *web_qr_svg(const char *text, const char *label)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return NULL;
	int n = q->width, size = n + 2 * QR_QUIET;
	/* Each dark module is at most "M123,123h1v1h-1z" (16 bytes); the frame is a few hundred. */
	size_t cap = (size_t)n * (size_t)n * 18 + 1024;
	char *out = malloc(cap);
	if (!out) {
		QRcode_free(q);
		return NULL;
	}
	size_t len = 0;
	int k = snprintf(out, cap,
			 "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sg-qr\" id=\"qr-code\" role=\"img\" "
			 "aria-label=\"%s\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">"
			 "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/><path fill=\"#000000\" d=\"",
			 label, size, size, size * 5, size * 5, size, size);
	len = k > 0 ? (size_t)k : 0;
	for (int y = 0; y < n && len < cap; y++)
		for (int x = 0; x < n && len < cap; x++)
			if (q->data[y * n + x] & 1) {
				k = snprintf(out + len, cap - len, "M%d,%dh1v1h-1z", x + QR_QUIET, y + QR_QUIET);
				if (k < 0)
					break;
				len += (size_t)k;
			}
	if (len < cap)
		snprintf(out + len, cap - len, "\"/></svg>");
	QRcode_free(q);
	if (len >= cap - 16) { /* cannot happen with the bound above; never send a cut picture */
		free(out);
		return NULL;
	}
	return out;
}
