/* SPDX-License-Identifier: ISC */
/*
 * The whole unit-test framework: CHECK(cond) prints file:line and the
 * condition when it fails and counts; check_done() prints the summary line
 * and gives the exit status.
 */
#ifndef CHECK_H
#define CHECK_H
#include <stdio.h>

static int	check_failed, check_passed;

#define CHECK(cond) do {						\
	if (cond)							\
		check_passed++;						\
	else {								\
		check_failed++;						\
		fprintf(stderr, "%s:%d: CHECK failed: %s\n",		\
		    __FILE__, __LINE__, #cond);				\
	}								\
} while (0)

static inline int
check_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, check_passed,
	    check_failed);
	return check_failed == 0 ? 0 : 1;
}
#endif
