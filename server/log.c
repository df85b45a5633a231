/* SPDX-License-Identifier: ISC */
/*
 * Logging to stderr and allocation that cannot fail.  Messages never carry
 * tokens, keys, passwords or answers: callers pass only ids and reasons.
 * Running out of memory aborts (after logging the size), so callers have no
 * untestable allocation-failure branches.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "extern.h"

static int	quiet;	/* suppress info lines (CLI commands) */

static void
vlog(const char *level, const char *fmt, va_list ap)
{
	char		 stamp[32];
	time_t		 now = time(NULL);
	struct tm	 tm;

	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		stamp[0] = '\0';
	flockfile(stderr);
	fprintf(stderr, "%s %s: ", stamp, level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

/* Silence log_info() (the CLI prints only what scripts asked for). */
void
log_quiet(int on)
{
	quiet = on;
}

void
log_info(const char *fmt, ...)
{
	va_list	ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	vlog("info", fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog("warn", fmt, ap);
	va_end(ap);
}

void
log_err(const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vlog("error", fmt, ap);
	va_end(ap);
}

static void
oom(size_t n)
{
	fprintf(stderr, "ita-survey: out of memory allocating %zu bytes\n", n);
	abort();
}

/* calloc(3) that aborts on failure.  Caller frees. */
void *
xcalloc(size_t n, size_t sz)
{
	void	*p;

	if (n == 0 || sz == 0)
		n = sz = 1;
	if ((p = calloc(n, sz)) == NULL)
		oom(n * sz);
	return p;
}

/* reallocarray(3) that aborts on failure or overflow.  Caller frees. */
void *
xreallocarray(void *p, size_t n, size_t sz)
{
	size_t	total;
	void	*np;

	if (__builtin_mul_overflow(n, sz, &total))
		oom(SIZE_MAX);
	if (total == 0)
		total = 1;
	if ((np = realloc(p, total)) == NULL)
		oom(total);
	return np;
}

/* strdup(3) that aborts on failure.  Caller frees. */
char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Copy at most n bytes of s, NUL-terminated.  Caller frees. */
char *
xstrndup(const char *s, size_t n)
{
	char	*p;
	size_t	 len = strnlen(s, n);

	p = xcalloc(len + 1, 1);
	memcpy(p, s, len);
	return p;
}

/* asprintf(3) that aborts on failure.  Caller frees. */
char *
xasprintf(const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom(0);
	p = xcalloc((size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
