/* SPDX-License-Identifier: ISC */
/*
 * Text that one person types and others read: round titles, kiosk names.
 * It shows in tables, slips, the audit log and tab-separated command
 * output, so it must be one line of valid UTF-8: a newline in a title
 * would forge a line of "round list", an escape sequence would repaint
 * an administrator's terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "extern.h"

/*
 * Length of the UTF-8 sequence at s (1 to 4), or 0 when it is not valid
 * UTF-8 (overlong forms, surrogates and code points past U+10FFFF are
 * not).  *cp receives the code point.
 */
static size_t
utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t		n, i;
	uint32_t	c = s[0], min;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * 1 when s is 1 to max bytes of valid UTF-8 without control characters
 * (C0, DEL, C1) or line and paragraph separators, else 0.
 */
int
text_ok(const char *s, size_t max)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 len = strlen(s), n;
	uint32_t		 c;

	if (len == 0 || len > max)
		return 0;
	while (len > 0) {
		if ((n = utf8_next(p, len, &c)) == 0)
			return 0;
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 ||
		    c == 0x2029)
			return 0;
		p += n;
		len -= n;
	}
	return 1;
}

/*
 * The length of the public address in s without one trailing "/", or 0
 * when s is not "http[s]://HOST[:PORT][/]": the base every printed link
 * and QR code starts with.  The pages live at absolute paths (/respond/,
 * /kiosk/), so a path prefix would print links that lead nowhere.
 */
size_t
text_base_url(const char *s)
{
	const char	*h, *p, *q;
	size_t		 len, n;

	if (strncmp(s, "https://", 8) == 0)
		h = s + 8;
	else if (strncmp(s, "http://", 7) == 0)
		h = s + 7;
	else
		return 0;
	len = strlen(s);
	if (len > PUBLIC_URL_MAX)
		return 0;
	if (h[0] == '[') {			/* [v6]:port */
		p = h + 1 + strspn(h + 1, "0123456789abcdefABCDEF:.");
		if (*p++ != ']' || p == h + 2)
			return 0;
	} else {
		p = h + strspn(h, "abcdefghijklmnopqrstuvwxyz"
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-");
		/* Labels of a name: none empty, none starting with "-". */
		if (p == h || h[0] == '.' || h[0] == '-' || p[-1] == '.')
			return 0;
		for (q = h; q + 1 < p; q++)
			if (q[0] == '.' && (q[1] == '.' || q[1] == '-'))
				return 0;
	}
	if (*p == ':') {
		p++;
		n = strspn(p, "0123456789");
		if (n == 0 || n > 5 || p[0] == '0' || atol(p) > 65535)
			return 0;
		p += n;
	}
	if (p[0] == '/' && p[1] == '\0')
		return len - 1;
	return *p == '\0' ? len : 0;
}
