/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of compare.c's arithmetic: a question's standard error from
 * its counts, the mean of parts, intervals and changes, against figures
 * worked out by hand (README.md, "Comparing rounds").
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "../check.h"

static char v1[] = "1", v2[] = "2", v3[] = "3", v4[] = "4", none[] = "";
static char l4name[] = "L4", qcode[] = "q";
static struct option l4[] = {
	{ v1, { none, none }, 0, 10000 }, { v2, { none, none }, 3333, 6667 },
	{ v3, { none, none }, 6667, 3333 }, { v4, { none, none }, 10000, 0 },
};
static struct scale L4 = { l4name, l4, 4 };

static int
near(double x, double want)
{
	return fabs(x - want) < 1e-6;
}

int
main(void)
{
	struct question	q = { 0 };
	struct estimate	e, f, parts[2], m;
	int64_t		c[4];
	double		lo, hi, ch;
	int		sig;

	q.code = qcode;
	q.scale = &L4;

	/*
	 * Answers 4,4,4,4,3: points 100 x4 and 66.67; sum 466.67, n 5, mean
	 * 93.334 -> 93.33.  Deviations 6.666 (x4) and -26.664: s^2 =
	 * (4 x 44.435556 + 710.968896) / 4 = 222.178 (in points), s^2 / n =
	 * 44.4356, SE = 6.66600.  Interval 93.33 +- 13.06536 = 80.26 to
	 * 106.40 -> clipped to 100.
	 */
	memcpy(c, (int64_t[]){ 0, 0, 1, 4 }, sizeof(c));
	CHECK(compare_question(&q, c, &e) == 0);
	CHECK(e.has && e.has_se && e.n == 5 && e.score == 9333);
	CHECK(fabs(e.se - 6.666) < 1e-3);
	CHECK(compare_interval(&e, &lo, &hi) == 1);
	CHECK(near(lo, 80.26) && near(hi, 100));

	/* Reverse: the same counts earn 0 x4 and 33.33: mean 6.666 -> 6.67. */
	q.reverse = 1;
	CHECK(compare_question(&q, c, &f) == 0);
	CHECK(f.score == 667 && fabs(f.se - 6.666) < 1e-3);
	CHECK(compare_interval(&f, &lo, &hi) == 1);
	CHECK(near(lo, 0) && near(hi, 19.74));	/* 6.67 + 13.065 */
	q.reverse = 0;

	/* One answer: a score, no interval.  None: nothing. */
	memcpy(c, (int64_t[]){ 0, 1, 0, 0 }, sizeof(c));
	CHECK(compare_question(&q, c, &f) == 0);
	CHECK(f.has && !f.has_se && f.score == 3333 && f.n == 1);
	CHECK(compare_interval(&f, &lo, &hi) == 0);
	memset(c, 0, sizeof(c));
	CHECK(compare_question(&q, c, &f) == 0 && !f.has);
	c[0] = -1;
	CHECK(compare_question(&q, c, &f) == -1);

	/* All alike: SE 0, the interval is the score. */
	memcpy(c, (int64_t[]){ 0, 0, 0, 5 }, sizeof(c));
	CHECK(compare_question(&q, c, &f) == 0 && f.has_se && f.se == 0);

	/*
	 * A mean of two parts, 93.33 (SE 3) and 50.00 (SE 4): (9333 + 5000)
	 * / 2 = 7166.5 -> 71.67 half up; SE = sqrt(9 + 16) / 2 = 2.5; n the
	 * fewer, 5.
	 */
	memset(parts, 0, sizeof(parts));
	parts[0] = (struct estimate){ 1, 9333, 1, 3.0, 5 };
	parts[1] = (struct estimate){ 1, 5000, 1, 4.0, 7 };
	compare_combine(parts, 2, &m);
	CHECK(m.has && m.has_se && m.score == 7167 && near(m.se, 2.5) &&
	    m.n == 5);
	/* A part without an interval: the mean has none either. */
	parts[1].has_se = 0;
	compare_combine(parts, 2, &m);
	CHECK(m.has && !m.has_se);
	/* A part nobody answered does not count. */
	parts[1].has = 0;
	compare_combine(parts, 2, &m);
	CHECK(m.score == 9333 && m.has_se && near(m.se, 3.0));

	/*
	 * Change 71.67 (SE 2.5) - 60.00 (SE 6) = 11.67 +- 1.96 x 6.5 =
	 * 11.67 +- 12.74: -1.07 to 24.41, not significant; with SE 2 for
	 * B: 11.67 +- 1.96 x 3.2016 = 11.67 +- 6.2751: 5.39 to 17.95.
	 */
	e = (struct estimate){ 1, 7167, 1, 2.5, 5 };
	f = (struct estimate){ 1, 6000, 1, 6.0, 5 };
	CHECK(compare_change(&e, &f, &ch, &lo, &hi, &sig) == 2);
	CHECK(near(ch, 11.67) && near(lo, -1.07) && near(hi, 24.41) && !sig);
	f.se = 2.0;
	CHECK(compare_change(&e, &f, &ch, &lo, &hi, &sig) == 2);
	CHECK(near(lo, 5.39) && near(hi, 17.95) && sig);
	f.has_se = 0;
	CHECK(compare_change(&e, &f, &ch, &lo, &hi, &sig) == 1);
	f.has = 0;
	CHECK(compare_change(&e, &f, &ch, &lo, &hi, &sig) == 0);

	/* Guidance text: lines, no control characters, bounded. */
	CHECK(guidance_text_ok("one\n- two\n\nthree", 100));
	CHECK(!guidance_text_ok("", 100));
	CHECK(!guidance_text_ok("\n\n", 100));
	CHECK(!guidance_text_ok("tab\there", 100));
	CHECK(!guidance_text_ok("cr\r\nlf", 100));
	CHECK(!guidance_text_ok("abcdef", 5));
	return check_done("test_compare");
}
