/* SPDX-License-Identifier: ISC */
/*
 * Fuzz token_parse() with the lengths of an access code and a kiosk key.
 * The output buffer is sized exactly, on the heap, so ASan sees any write
 * past it.  On success the canonical text must be exactly n characters of
 * the Crockford alphabet, must map back from the input character by
 * character, and must parse to itself.
 */
#include <ctype.h>
#include <string.h>

#include "extern.h"
#include "fuzz.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* What token.c must make of one input character: its digit, or 0. */
static char
expect(char c)
{
	int	u = toupper((unsigned char)c);

	if (u == 'O')
		return '0';
	if (u == 'I' || u == 'L')
		return '1';
	if (u != 0 && strchr(alphabet, u) != NULL)
		return (char)u;
	return 0;
}

static void
one(const char *in, size_t nchars)
{
	char	*canon, *again;
	size_t	 i, n = 0;

	canon = xcalloc(nchars + 1, 1);
	again = xcalloc(nchars + 1, 1);
	if (token_parse(in, canon, nchars + 1, nchars) == 0) {
		FUZZ_CHECK(strlen(in) <= TOKEN_TEXT_MAX);
		FUZZ_CHECK(strlen(canon) == nchars);
		FUZZ_CHECK(strspn(canon, alphabet) == nchars);
		for (i = 0; in[i] != '\0'; i++) {
			if (in[i] == '-' || in[i] == ' ')
				continue;
			FUZZ_CHECK(n < nchars && expect(in[i]) == canon[n]);
			n++;
		}
		FUZZ_CHECK(n == nchars);
		FUZZ_CHECK(token_parse(canon, again, nchars + 1,
		    nchars) == 0);
		FUZZ_CHECK(strcmp(canon, again) == 0);
	}
	free(canon);
	free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*in;

	/* A C string, as the handlers pass it: cut at the first NUL. */
	in = xstrndup((const char *)data, size);
	one(in, TOKEN_CHARS);
	one(in, KIOSK_CHARS);
	free(in);
	return 0;
}
