/* SPDX-License-Identifier: ISC */
/*
 * Access codes, kiosk keys and session tokens: random bytes from libsodium
 * written in Crockford base32 in groups of four, parsed back leniently
 * (any case, hyphens and spaces ignored, O/I/L read as 0/1/1), and hashed
 * with a key (the server secret) before they touch the database.  No token
 * is ever stored or logged in plain text.
 */
#include <assert.h>
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* Domain separation: the same text hashed as two kinds never collides. */
static const char *const kind_tag[TOKEN__MAX] = {
	"ita-survey/access",
	"ita-survey/kiosk",
	"ita-survey/session",
	"ita-survey/csrf",
	"ita-survey/submission",
};

/*
 * Write a new random token of nbytes bytes (a multiple of 5, at most 40) to
 * out as grouped Crockford base32: "7QF9-MZD2-XWAP-4HTK".  outsz must hold
 * it (TOKEN_TEXT_MAX is always enough).
 */
void
token_new(char *out, size_t outsz, size_t nbytes)
{
	unsigned char	 raw[40];
	size_t		 nchars = nbytes * 8 / 5, i, o = 0, bit;
	unsigned	 v;

	assert(nbytes % 5 == 0 && nbytes <= sizeof(raw));
	assert(outsz >= nchars + nchars / 4);
	randombytes_buf(raw, nbytes);
	for (i = 0; i < nchars; i++) {
		bit = i * 5;
		/* Five bits starting at "bit", big-endian across bytes. */
		v = (unsigned)raw[bit / 8] << 8;
		if (bit / 8 + 1 < nbytes)
			v |= raw[bit / 8 + 1];
		v = (v >> (11 - bit % 8)) & 0x1f;
		if (i > 0 && i % 4 == 0)
			out[o++] = '-';
		out[o++] = alphabet[v];
	}
	out[o] = '\0';
	sodium_memzero(raw, sizeof(raw));
}

/* Map one input character to its canonical Crockford digit, or 0. */
static char
canon_char(int c)
{
	c = toupper((unsigned char)c);
	switch (c) {
	case 'O':
		return '0';
	case 'I':
	case 'L':
		return '1';
	case 'U':
		return 0;
	default:
		break;
	}
	if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))
		return (char)c;
	return 0;
}

/*
 * Parse a token typed by a person into its canonical form (nchars
 * upper-case digits, no separators) in canon.  Returns 0, or -1 when the
 * input has another length, a character outside the alphabet, or more than
 * TOKEN_TEXT_MAX bytes.
 */
int
token_parse(const char *in, char *canon, size_t canonsz, size_t nchars)
{
	size_t	 n = 0, i;
	char	 c;

	assert(canonsz > nchars);
	canon[0] = '\0';
	if (in == NULL || strnlen(in, TOKEN_TEXT_MAX + 1) > TOKEN_TEXT_MAX)
		return -1;
	for (i = 0; in[i] != '\0'; i++) {
		if (in[i] == '-' || in[i] == ' ')
			continue;
		if ((c = canon_char(in[i])) == 0 || n == nchars) {
			canon[0] = '\0';
			return -1;
		}
		canon[n++] = c;
	}
	if (n != nchars) {
		canon[0] = '\0';
		return -1;
	}
	canon[n] = '\0';
	return 0;
}

/*
 * Keyed hash of a canonical token: BLAKE2b keyed with the server secret over
 * the kind's tag, the scope (a round id, or 0) and the text.  What the
 * database stores in place of the token.
 */
void
token_hash(const unsigned char *secret, enum token_kind kind, int64_t scope,
    const char *canon, unsigned char out[HASH_BYTES])
{
	crypto_generichash_state	 st;
	unsigned char			 sc[8];
	uint64_t			 u = (uint64_t)scope;
	size_t				 i;

	assert(kind < TOKEN__MAX);
	for (i = 0; i < 8; i++)
		sc[i] = (unsigned char)(u >> (56 - 8 * i));
	crypto_generichash_init(&st, secret, SECRET_BYTES, HASH_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)kind_tag[kind],
	    strlen(kind_tag[kind]) + 1);
	crypto_generichash_update(&st, sc, sizeof(sc));
	crypto_generichash_update(&st, (const unsigned char *)canon,
	    strlen(canon));
	crypto_generichash_final(&st, out, HASH_BYTES);
}
