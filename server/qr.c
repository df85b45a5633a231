/* SPDX-License-Identifier: ISC */
/*
 * QR codes as SVG text, for the access-code slips and kiosk pairing of
 * the admin console.  libqrencode does the encoding; this file only
 * turns its module matrix into one compact <path>.  It knows nothing of
 * HTTP or of what the text means.
 */
#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "http.h"

#define QR_QUIET	4	/* modules of white border the standard asks */

/*
 * Append to out an SVG image of the QR code of text (UTF-8, at most
 * QR_TEXT_MAX bytes, error correction M, 8-bit mode): a white square and
 * one <path> of the dark modules, one sub-path per horizontal run, with
 * a quiet zone; the viewBox counts modules, so the caller sizes it with
 * CSS.  Returns 0, or -1 when text is empty or too long, libqrencode
 * fails (logged) or out's max is reached; out then holds a partial image
 * the caller discards.
 */
int
qr_svg(const char *text, struct buf *out)
{
	QRcode		*qr = NULL;
	size_t		 len = strlen(text);
	int		 x, y, run, size, rc = -1;
	unsigned char	*row;

	if (len == 0 || len > QR_TEXT_MAX)
		return -1;
	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8,
	    1)) == NULL) {
		log_err("%s: QRcode_encodeString: %s", __func__,
		    strerror(errno));
		goto out;
	}
	size = qr->width + 2 * QR_QUIET;
	if (buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", size, size, size, size) == -1)
		goto out;
	for (y = 0; y < qr->width; y++) {
		row = qr->data + (size_t)y * (size_t)qr->width;
		for (x = 0; x < qr->width; x = run) {
			/* Bit 0 of each byte is the module's colour. */
			if (!(row[x] & 1)) {
				run = x + 1;
				continue;
			}
			for (run = x; run < qr->width && (row[run] & 1); run++)
				continue;
			if (buf_printf(out, "M%d %dh%dv1h-%dz", x + QR_QUIET,
			    y + QR_QUIET, run - x, run - x) == -1)
				goto out;
		}
	}
	if (buf_puts(out, "\"/></svg>") == -1)
		goto out;
	rc = 0;
out:
	QRcode_free(qr);
	return rc;
}
