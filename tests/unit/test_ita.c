/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of the ITA overview's arithmetic (ita_overall in
 * ita.c) and of qr_svg, against the published results that
 * ../shared/ITA.md quotes.  Scores are hundredths: 9355 is 93.55.
 */
#include <stdint.h>
#include <string.h>

#include "http.h"
#include "actions.h"
#include "../check.h"

/* The official weights: IIT indicators 1-5, then EIT 6-8. */
static const int64_t weights[8] = { 6, 6, 6, 6, 6, 10, 10, 10 };

static void
test_trat(void)
{
	/* Trat 2564: the ten indicators give 81.45 (grade B). */
	static const int64_t s[8] = {
		9355, 8772, 9101, 8793, 8952, 9055, 8868, 8858 };
	int64_t	w, overall;

	/*
	 * OIT is typed as one score, the mean of 72.89 and 65.56 = 69.225,
	 * so to two decimals 69.22 or 69.23: 6 * 449.73 + 10 * 267.81 +
	 * 40 * 69.22 = 8145.28 -> 81.45, and with 69.23 8145.68 -> 81.46;
	 * both within 0.01 of the published 81.45.
	 */
	CHECK(ita_overall(s, weights, 8, 6922, &w, &overall) == 0);
	CHECK(w == 40);
	CHECK(overall == 8145);
	CHECK(ita_overall(s, weights, 8, 6923, &w, &overall) == 0);
	CHECK(overall == 8146);
	CHECK(overall >= 8145 - 1 && overall <= 8145 + 1);
}

static void
test_chanthaburi(void)
{
	/*
	 * Chanthaburi 2563, published 67.54 (grade C): OIT the mean of
	 * 51.68 and 29.82 = 40.75 exactly; 6 * 436.91 + 10 * 250.20 +
	 * 40 * 40.75 = 6753.46 -> 67.53, within 0.01.
	 */
	static const int64_t s[8] = {
		9217, 8544, 8874, 8405, 8651, 8462, 8370, 8188 };
	int64_t	w, overall;

	CHECK(ita_overall(s, weights, 8, 4075, &w, &overall) == 0);
	CHECK(w == 40);
	CHECK(overall == 6753);
}

static void
test_refusals(void)
{
	static const int64_t s[2] = { 5000, 5000 };
	static const int64_t full[2] = { 60, 40 }, neg[2] = { -1, 10 };
	static const int64_t bad[2] = { 10001, 0 };
	int64_t	w, overall;

	/* Weights that leave nothing for OIT. */
	CHECK(ita_overall(s, full, 2, 5000, &w, &overall) == -1);
	CHECK(ita_overall(s, neg, 2, 5000, &w, &overall) == -1);
	CHECK(ita_overall(bad, weights, 2, 5000, &w, &overall) == -1);
	CHECK(ita_overall(s, weights, 2, 10001, &w, &overall) == -1);
	CHECK(ita_overall(s, weights, 2, -1, &w, &overall) == -1);
	CHECK(ita_overall(s, weights, 0, 5000, &w, &overall) == -1);
	/* 6 * 50 + 6 * 50 + 88 * 100 = 9400 / 100 -> 94.00. */
	CHECK(ita_overall(s, weights, 2, 10000, &w, &overall) == 0);
	CHECK(w == 88 && overall == 9400);
}

static void
test_qr(void)
{
	struct buf	b;
	char		long_text[QR_TEXT_MAX + 2];

	buf_init(&b, QR_SVG_MAX);
	CHECK(qr_svg("http://127.0.0.1:8080/respond/?round=1#code="
	    "7QF9-MZD2-XWAP-4HTK", &b) == 0);
	CHECK(b.p != NULL && strncmp(b.p, "<svg ", 5) == 0);
	CHECK(strstr(b.p, "shape-rendering=\"crispEdges\"") != NULL);
	/* Version 4 (33 modules) with a quiet zone of 4 on each side. */
	CHECK(strstr(b.p, "viewBox=\"0 0 41 41\"") != NULL);
	/* The top-left finder pattern's first row: 7 dark modules. */
	CHECK(strstr(b.p, "d=\"M4 4h7v1h-7z") != NULL);
	CHECK(strcmp(b.p + b.len - 6, "</svg>") == 0);
	buf_reset(&b);
	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	CHECK(qr_svg(long_text, &b) == -1);
	CHECK(qr_svg("", &b) == -1);
	buf_free(&b);
	/* A ceiling too small fails rather than truncates silently. */
	buf_init(&b, 100);
	CHECK(qr_svg("hello", &b) == -1);
	buf_free(&b);
}

int
main(void)
{
	test_trat();
	test_chanthaburi();
	test_refusals();
	test_qr();
	return check_done("test_ita");
}
