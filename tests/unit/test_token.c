/* SPDX-License-Identifier: ISC */
/* Tokens: format, lenient parsing, keyed hashing. */
#include <string.h>

#include <sodium.h>

#include "extern.h"
#include "../check.h"

static int
is_crockford(char c)
{
	return c != '\0' && strchr("0123456789ABCDEFGHJKMNPQRSTVWXYZ", c) !=
	    NULL;
}

int
main(void)
{
	char		 t[TOKEN_TEXT_MAX], t2[TOKEN_TEXT_MAX], canon[64], c2[64];
	unsigned char	 secret[SECRET_BYTES], other[SECRET_BYTES];
	unsigned char	 h1[HASH_BYTES], h2[HASH_BYTES];
	size_t		 i;
	int		 ok, seen_high = 0, seen_low = 0, n;

	CHECK(sodium_init() >= 0);

	/* Format: 16 characters in four groups of four. */
	for (n = 0; n < 2000; n++) {
		token_new(t, sizeof(t), TOKEN_BYTES);
		ok = strlen(t) == 19;
		for (i = 0; ok && i < 19; i++)
			ok = (i % 5 == 4) ? t[i] == '-' : is_crockford(t[i]);
		CHECK(ok);
		if (!ok)
			fprintf(stderr, "bad token %s\n", t);
		/* Every character position takes both high and low digits. */
		if (t[18] >= 'M')
			seen_high = 1;
		if (t[18] <= '7')
			seen_low = 1;
	}
	CHECK(seen_high && seen_low);
	token_new(t2, sizeof(t2), TOKEN_BYTES);
	CHECK(strcmp(t, t2) != 0);
	token_new(t, sizeof(t), KIOSK_BYTES);
	CHECK(strlen(t) == KIOSK_CHARS + KIOSK_CHARS / 4 - 1);

	/* Parse: case, hyphens and spaces ignored; O/I/L read as 0/1/1. */
	CHECK(token_parse("7QF9-MZD2-XWAP-4HTK", canon, sizeof(canon),
	    TOKEN_CHARS) == 0);
	CHECK(strcmp(canon, "7QF9MZD2XWAP4HTK") == 0);
	CHECK(token_parse("7qf9 mzd2 xwap 4htk", c2, sizeof(c2),
	    TOKEN_CHARS) == 0);
	CHECK(strcmp(canon, c2) == 0);
	CHECK(token_parse("7QF9MZD2XWAP4HTK", c2, sizeof(c2),
	    TOKEN_CHARS) == 0);
	CHECK(strcmp(canon, c2) == 0);
	CHECK(token_parse("O1IL-0000-0000-0000", c2, sizeof(c2),
	    TOKEN_CHARS) == 0);
	CHECK(strcmp(c2, "0111000000000000") == 0);
	/* Refused: U, punctuation, wrong lengths, NULL, very long input. */
	CHECK(token_parse("7QF9-MZD2-XWAP-4HTU", c2, sizeof(c2),
	    TOKEN_CHARS) == -1);
	CHECK(token_parse("7QF9-MZD2-XWAP-4HT!", c2, sizeof(c2),
	    TOKEN_CHARS) == -1);
	CHECK(token_parse("7QF9-MZD2-XWAP-4HT", c2, sizeof(c2),
	    TOKEN_CHARS) == -1);
	CHECK(token_parse("7QF9-MZD2-XWAP-4HTKK", c2, sizeof(c2),
	    TOKEN_CHARS) == -1);
	CHECK(token_parse("", c2, sizeof(c2), TOKEN_CHARS) == -1);
	CHECK(token_parse(NULL, c2, sizeof(c2), TOKEN_CHARS) == -1);
	CHECK(token_parse("7QF9\n-MZD2-XWAP-4HTK", c2, sizeof(c2),
	    TOKEN_CHARS) == -1);
	{
		/* Longer than TOKEN_TEXT_MAX, even if only separators. */
		char	long_in[TOKEN_TEXT_MAX * 2];

		memset(long_in, '-', sizeof(long_in) - 1);
		long_in[sizeof(long_in) - 1] = '\0';
		memcpy(long_in, "7QF9MZD2XWAP4HTK", 16);
		CHECK(token_parse(long_in, c2, sizeof(c2), TOKEN_CHARS) == -1);
	}
	/* A new token parses back to itself without the hyphens. */
	token_new(t, sizeof(t), TOKEN_BYTES);
	CHECK(token_parse(t, c2, sizeof(c2), TOKEN_CHARS) == 0);
	CHECK(strlen(c2) == TOKEN_CHARS && memcmp(c2, t, 4) == 0 &&
	    memcmp(c2 + 12, t + 15, 4) == 0);

	/* Hash: keyed, deterministic, separated by kind and scope. */
	memset(secret, 7, sizeof(secret));
	memset(other, 8, sizeof(other));
	token_hash(secret, TOKEN_ACCESS, 1, canon, h1);
	token_hash(secret, TOKEN_ACCESS, 1, canon, h2);
	CHECK(memcmp(h1, h2, HASH_BYTES) == 0);
	token_hash(other, TOKEN_ACCESS, 1, canon, h2);
	CHECK(memcmp(h1, h2, HASH_BYTES) != 0);
	token_hash(secret, TOKEN_ACCESS, 2, canon, h2);
	CHECK(memcmp(h1, h2, HASH_BYTES) != 0);
	token_hash(secret, TOKEN_KIOSK, 1, canon, h2);
	CHECK(memcmp(h1, h2, HASH_BYTES) != 0);
	/* Another canonical token hashes differently. */
	token_hash(secret, TOKEN_ACCESS, 1, "0000000000000000", h2);
	CHECK(memcmp(h1, h2, HASH_BYTES) != 0);
	/* Known answer, so a change of the construction is noticed. */
	{
		char	hex[HASH_BYTES * 2 + 1];

		sodium_bin2hex(hex, sizeof(hex), h1, HASH_BYTES);
		CHECK(strcmp(hex, "55e8e8edf0402b139f9b21cb62fb4afd"
		    "9fcc1fd7ce591b866ab0fe6df5af7760") == 0);
	}
	return check_done("test_token");
}
