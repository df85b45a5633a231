/* SPDX-License-Identifier: ISC */
/*
 * Rate limits (limit.c): a count reaches its limit and stays there however
 * many other keys are counted meanwhile (no slot shared with another key
 * resets it); limit_take() counts and refuses in one step; limit_undo()
 * gives an event back; off means off.
 */
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "../check.h"

int
main(void)
{
	char	key[64];
	int	i, taken = 0;

	/* Ten wrong guesses from one address: the eleventh waits. */
	for (i = 0; i < 10; i++) {
		CHECK(limit_check(LIMIT_GUESS, "192.0.2.1") == 0);
		limit_hit(LIMIT_GUESS, "192.0.2.1");
	}
	CHECK(limit_check(LIMIT_GUESS, "192.0.2.1") > 0);
	CHECK(limit_check(LIMIT_GUESS, "192.0.2.1") <= 600);
	/* Another address and another kind are their own counts. */
	CHECK(limit_check(LIMIT_GUESS, "192.0.2.2") == 0);
	CHECK(limit_check(LIMIT_PUBLIC, "192.0.2.1") == 0);

	/*
	 * 100,000 other addresses each get a wrong guess, far more than the
	 * table holds: the first address stays limited (a direct-mapped
	 * table would have let one of them reset it).
	 */
	for (i = 0; i < 100000; i++) {
		snprintf(key, sizeof(key), "10.%d.%d.%d", i >> 16 & 255,
		    i >> 8 & 255, i & 255);
		limit_hit(LIMIT_GUESS, key);
	}
	CHECK(limit_check(LIMIT_GUESS, "192.0.2.1") > 0);

	/* limit_take: five per name and address, and not one more. */
	for (i = 0; i < 12; i++)
		if (limit_take(LIMIT_ACCOUNT, "alice 192.0.2.7") == 0)
			taken++;
	CHECK(taken == 5);
	/* A success gives its place back: one more try. */
	limit_undo(LIMIT_ACCOUNT, "alice 192.0.2.7");
	CHECK(limit_take(LIMIT_ACCOUNT, "alice 192.0.2.7") == 0);
	CHECK(limit_take(LIMIT_ACCOUNT, "alice 192.0.2.7") > 0);
	/* The same name from elsewhere, another name from here: free. */
	CHECK(limit_take(LIMIT_ACCOUNT, "alice 192.0.2.8") == 0);
	CHECK(limit_take(LIMIT_ACCOUNT, "bob 192.0.2.7") == 0);
	/* Undo of a key never counted changes nothing. */
	limit_undo(LIMIT_ACCOUNT, "carol 192.0.2.9");
	CHECK(limit_check(LIMIT_ACCOUNT, "carol 192.0.2.9") == 0);

	/* Off: nothing is limited. */
	limit_enable(0);
	CHECK(limit_check(LIMIT_GUESS, "192.0.2.1") == 0);
	CHECK(limit_take(LIMIT_ACCOUNT, "alice 192.0.2.7") == 0);
	limit_enable(1);
	CHECK(limit_check(LIMIT_GUESS, "192.0.2.1") > 0);
	return check_done("test_limit");
}
