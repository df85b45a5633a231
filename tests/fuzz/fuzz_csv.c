/* SPDX-License-Identifier: ISC */
/*
 * Fuzz export_csv_field().  The input is split at NUL bytes into fields
 * (C strings cannot hold a NUL); they are written as one record into an
 * open_memstream(), read back with the small RFC 4180 reader below, and
 * must come back as written, except that a field starting with = + - @,
 * TAB, CR or LF comes back with the formula guard, a leading apostrophe.
 * No field may read back starting with one of those characters.
 */
#include <string.h>

#include "actions.h"
#include "fuzz.h"

#define GUARD	"=+-@\t\r\n"

/*
 * Read one field of a record at *p (end at e) into a new string (caller
 * frees) and step past it and its "," or "\r\n"; *last is set when the
 * record ended.  NULL when the text is not CSV.
 */
static char *
field_read(const char **p, const char *e, int *last)
{
	const char	*s = *p;
	char		*f;
	size_t		 n = 0;

	f = xcalloc((size_t)(e - s) + 1, 1);
	if (s < e && *s == '"') {
		for (s++;; s++) {
			if (s == e)
				goto bad;
			if (*s == '"') {
				if (s + 1 < e && s[1] == '"')
					s++;
				else
					break;
			}
			f[n++] = *s;
		}
		s++;
	} else
		for (; s < e && *s != ',' && *s != '\r' && *s != '\n' &&
		    *s != '"'; s++)
			f[n++] = *s;
	if (s < e && *s == ',') {
		*last = 0;
		*p = s + 1;
		return f;
	}
	if (e - s >= 2 && s[0] == '\r' && s[1] == '\n') {
		*last = 1;
		*p = s + 2;
		return f;
	}
bad:
	free(f);
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*in = (const char *)data, *end = in + size, *f, *p;
	char		*out = NULL, *got, *s;
	size_t		 outlen = 0, flen, nfields = 0, i;
	FILE		*fp;
	int		 last;

	FUZZ_CHECK((fp = open_memstream(&out, &outlen)) != NULL);
	for (f = in; ; f += flen + 1) {
		flen = strnlen(f, (size_t)(end - f));
		/* The last field has no NUL in the input: copy each. */
		s = xstrndup(f, flen);
		export_csv_field(fp, s, f + flen >= end);
		free(s);
		nfields++;
		if (f + flen >= end)
			break;
	}
	/* NULL is written as an empty field. */
	export_csv_field(fp, NULL, 1);
	FUZZ_CHECK(fclose(fp) == 0);

	p = out;
	for (f = in, i = 0; i < nfields; i++, f += flen + 1) {
		flen = strnlen(f, (size_t)(end - f));
		got = field_read(&p, out + outlen, &last);
		FUZZ_CHECK(got != NULL);
		FUZZ_CHECK(last == (i + 1 == nfields));
		if (flen > 0 && strchr(GUARD, f[0]) != NULL) {
			FUZZ_CHECK(got[0] == '\'');
			FUZZ_CHECK(strlen(got + 1) == flen &&
			    memcmp(got + 1, f, flen) == 0);
		} else
			FUZZ_CHECK(strlen(got) == flen &&
			    memcmp(got, f, flen) == 0);
		FUZZ_CHECK(got[0] == '\0' || strchr(GUARD, got[0]) == NULL);
		free(got);
	}
	got = field_read(&p, out + outlen, &last);
	FUZZ_CHECK(got != NULL && got[0] == '\0' && last);
	free(got);
	FUZZ_CHECK(p == out + outlen);
	free(out);
	return 0;
}
