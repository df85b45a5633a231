/* SPDX-License-Identifier: ISC */
/*
 * A growable byte buffer with a hard ceiling: appends that would pass
 * "max" fail and leave the buffer as it was.  Used for request bodies and
 * for exports, so no input can make us allocate without bound.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"

/* Start an empty buffer that refuses to grow past max bytes (0: no cap). */
void
buf_init(struct buf *b, size_t max)
{
	b->p = NULL;
	b->len = b->cap = 0;
	b->max = max == 0 ? SIZE_MAX - 1 : max;
	b->wipe = 0;
}

/*
 * buf_init() for contents that may be secret (a request body may hold a
 * password): every byte is zeroed before its memory is let go, when the
 * buffer grows as when it is freed, since free(3) leaves bytes in the heap.
 */
void
buf_init_wiped(struct buf *b, size_t max)
{
	buf_init(b, max);
	b->wipe = 1;
}

/* Append n bytes.  Returns 0, or -1 (buffer unchanged) past the ceiling. */
int
buf_append(struct buf *b, const void *data, size_t n)
{
	size_t	 need, ncap;
	char	*p;

	if (__builtin_add_overflow(b->len, n, &need) || need > b->max)
		return -1;
	if (need + 1 > b->cap) {
		ncap = b->cap < 256 ? 256 : b->cap;
		while (ncap < need + 1)
			ncap = ncap > SIZE_MAX / 2 ? need + 1 : ncap * 2;
		if (b->wipe) {
			/* realloc(3) would free the old copy unwiped. */
			p = xcalloc(ncap, 1);
			if (b->len > 0)
				memcpy(p, b->p, b->len);
			if (b->p != NULL)
				sodium_memzero(b->p, b->cap);
			free(b->p);
			b->p = p;
		} else
			b->p = xreallocarray(b->p, ncap, 1);
		b->cap = ncap;
	}
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len = need;
	b->p[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

/* printf(3) onto the end.  Returns 0, or -1 past the ceiling. */
int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	 small[256], *big;
	int	 rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof(small))
		return buf_append(b, small, (size_t)n);
	big = xcalloc((size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = buf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

/* Empty the buffer, keeping its memory. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

/*
 * Release the memory (zeroed first if wiped); the buffer may be reused
 * after buf_init().
 */
void
buf_free(struct buf *b)
{
	if (b == NULL)
		return;
	if (b->wipe && b->p != NULL)
		sodium_memzero(b->p, b->cap);
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
