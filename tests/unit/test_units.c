/* SPDX-License-Identifier: ISC */
/*
 * Units (units.c): which units may be shown, and unit names.  The rule:
 * a unit below min_cell in its published snapshot is hidden; when only
 * one group would be hidden (a unit, or the responses without a unit),
 * the smallest shown unit (by published count, then by position, which
 * is name order) is hidden too.
 */
#include <string.h>

#include "actions.h"
#include "../check.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* Run the rule; 1 when shown[] equals want[] and hidden equals nh. */
static int
rule(const int64_t *scored, size_t n, int unassigned, const int *want,
    size_t nh)
{
	int	shown[16];
	size_t	i, h;

	h = units_suppress(scored, n, unassigned, 5, shown);
	for (i = 0; i < n; i++)
		if (shown[i] != want[i])
			return 0;
	return h == nh;
}

int
main(void)
{
	char	name[UNIT_NAME_MAX + 1], big[UNIT_NAME_MAX + 10];

	/* Units of 7, 3, 8 (published 5, 0, 5): 3 alone below, so the
	 * smallest shown (the first of the two 5s) goes with it. */
	{
		int64_t	s[] = { 5, 0, 5 };
		int	w[] = { 0, 0, 1 };
		CHECK(rule(s, N(s), 0, w, 2));
	}
	/* The smallest by published count, wherever it is. */
	{
		int64_t	s[] = { 20, 0, 10, 15 };
		int	w[] = { 1, 0, 0, 1 };
		CHECK(rule(s, N(s), 0, w, 2));
	}
	/* Two below: nothing more to hide. */
	{
		int64_t	s[] = { 10, 0, 0, 15 };
		int	w[] = { 1, 0, 0, 1 };
		CHECK(rule(s, N(s), 0, w, 2));
	}
	/* All shown, nothing without a unit: all stay. */
	{
		int64_t	s[] = { 10, 5, 15 };
		int	w[] = { 1, 1, 1 };
		CHECK(rule(s, N(s), 0, w, 0));
	}
	/* All shown but responses without a unit exist (always hidden):
	 * the round minus the units would be them, so one unit goes. */
	{
		int64_t	s[] = { 10, 5, 15 };
		int	w[] = { 1, 0, 1 };
		CHECK(rule(s, N(s), 1, w, 2));
	}
	/* One unit below plus the unassigned group: two hidden already. */
	{
		int64_t	s[] = { 10, 0 };
		int	w[] = { 1, 0 };
		CHECK(rule(s, N(s), 1, w, 2));
	}
	/* A single unit, shown: nothing hidden that it could reveal. */
	{
		int64_t	s[] = { 5 };
		int	w[] = { 1 };
		CHECK(rule(s, N(s), 0, w, 0));
	}
	/* Two units, one below: both hidden. */
	{
		int64_t	s[] = { 0, 25 };
		int	w[] = { 0, 0 };
		CHECK(rule(s, N(s), 0, w, 2));
	}
	/* No units. */
	CHECK(units_suppress(NULL, 0, 1, 5, NULL) == 1);

	/* Names: trimmed of spaces, 1..UNIT_NAME_MAX bytes of text. */
	CHECK(units_name("  กองคลัง ", name) && strcmp(name, "กองคลัง") == 0);
	CHECK(units_name("Finance Division", name) &&
	    strcmp(name, "Finance Division") == 0);
	CHECK(!units_name("", name));
	CHECK(!units_name("   ", name));
	CHECK(!units_name(NULL, name));
	CHECK(!units_name("a\tb", name));
	CHECK(!units_name("\xe0\xb8", name));
	memset(big, 'x', UNIT_NAME_MAX);
	big[UNIT_NAME_MAX] = '\0';
	CHECK(units_name(big, name) && strlen(name) == UNIT_NAME_MAX);
	big[UNIT_NAME_MAX] = 'x';
	big[UNIT_NAME_MAX + 1] = '\0';
	CHECK(!units_name(big, name));
	return check_done("test_units");
}
