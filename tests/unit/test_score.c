/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of score.c against cases worked out by hand from the ITA
 * rules (../shared/ITA.md, forms/README.md "How a form is scored").  The
 * forms are built here from small tables rather than loaded, so that these
 * tests do not depend on form.c; each expected figure has its arithmetic
 * in a comment.  Scores are hundredths: 7381 is 73.81.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "../check.h"

/* One option of a test scale, in hundredths as struct option has it. */
struct topt {
	const char	*value;
	int64_t		 points;
	int64_t		 rpoints;
};

/* A question, item and indicator to build; arrays end at a NULL code. */
struct tq {
	const char	*code;
	const char	*scale;		/* "L4", "YN" or "T" */
	int		 reverse;
};

struct ti {
	const char	*code;
	struct tq	 qs[4];
};

struct tind {
	const char	*code;
	int64_t		 weight;
	struct ti	 items[4];
};

/* The ITA scales (ITA.md, "Items, questions and answers"). */
static const struct topt l4opts[] = {
	{ "1", 0, 10000 }, { "2", 3333, 6667 },
	{ "3", 6667, 3333 }, { "4", 10000, 0 },
};
static const struct topt ynopts[] = {
	{ "yes", 10000, 0 }, { "no", 0, 10000 },
};
/* Not an ITA scale: its options land either side of the target 85. */
static const struct topt topts[] = {
	{ "lo", 8499, 8499 }, { "hi", 8500, 8500 },
};

/* The ITA grade bands (ITA.md, "Scoring"), min decreasing. */
static const struct {
	const char	*name;
	int64_t		 min;
} bands[] = {
	{ "AA", 9500 }, { "A", 8500 }, { "B", 7500 }, { "C", 6500 },
	{ "D", 5500 }, { "E", 5000 }, { "F", 0 },
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static void
mklabel(struct label *l, const char *code)
{
	l->th = xasprintf("th %s", code);
	l->en = xasprintf("en %s", code);
}

static void
mkscale(struct scale *s, const char *code, const struct topt *o, size_t n)
{
	size_t	i;

	s->code = xstrdup(code);
	s->opts = xcalloc(n, sizeof(*s->opts));
	s->nopts = n;
	for (i = 0; i < n; i++) {
		s->opts[i].value = xstrdup(o[i].value);
		mklabel(&s->opts[i].label, o[i].value);
		s->opts[i].points = o[i].points;
		s->opts[i].rpoints = o[i].rpoints;
	}
}

static const struct scale *
findscale(const struct form *f, const char *code)
{
	size_t	i;

	for (i = 0; i < f->nscales; i++)
		if (strcmp(f->scales[i].code, code) == 0)
			return &f->scales[i];
	abort();
}

/*
 * Build a form as form.c would: the three scales, the ITA grades, target
 * 85, min_cell 5, sample 10 % / at least 30 / at most sample_max, and the
 * flat question list with index, base and ncounts laid out in order.
 */
static struct form *
mkform(const char *id, const char *instrument, const struct tind *ti,
    size_t ninds, int64_t sample_max)
{
	struct form		*f;
	struct indicator	*ind;
	struct item		*it;
	struct question		*q;
	size_t			 i, j, k, nq = 0;

	f = xcalloc(1, sizeof(*f));
	f->id = xstrdup(id);
	f->instrument = xstrdup(instrument);
	f->internal = 1;
	mklabel(&f->title, id);
	f->scales = xcalloc(3, sizeof(*f->scales));
	f->nscales = 3;
	mkscale(&f->scales[0], "L4", l4opts, NELEM(l4opts));
	mkscale(&f->scales[1], "YN", ynopts, NELEM(ynopts));
	mkscale(&f->scales[2], "T", topts, NELEM(topts));
	for (i = 0; i < ninds; i++)
		for (j = 0; j < 4 && ti[i].items[j].code != NULL; j++)
			for (k = 0; k < 4 && ti[i].items[j].qs[k].code != NULL;
			    k++)
				nq++;
	f->questions = xcalloc(nq, sizeof(*f->questions));
	f->inds = xcalloc(ninds, sizeof(*f->inds));
	f->ninds = ninds;
	for (i = 0; i < ninds; i++) {
		ind = &f->inds[i];
		ind->code = xstrdup(ti[i].code);
		mklabel(&ind->name, ti[i].code);
		ind->weight = ti[i].weight;
		while (ind->nitems < 4 && ti[i].items[ind->nitems].code != NULL)
			ind->nitems++;
		ind->items = xcalloc(ind->nitems, sizeof(*ind->items));
		for (j = 0; j < ind->nitems; j++) {
			it = &ind->items[j];
			it->code = xstrdup(ti[i].items[j].code);
			mklabel(&it->text, it->code);
			while (it->nqs < 4 &&
			    ti[i].items[j].qs[it->nqs].code != NULL)
				it->nqs++;
			it->qs = xcalloc(it->nqs, sizeof(*it->qs));
			for (k = 0; k < it->nqs; k++) {
				q = &it->qs[k];
				q->code = xstrdup(ti[i].items[j].qs[k].code);
				mklabel(&q->text, q->code);
				q->scale = findscale(f,
				    ti[i].items[j].qs[k].scale);
				q->required = 1;
				q->reverse = ti[i].items[j].qs[k].reverse;
				q->index = f->nquestions;
				q->base = f->ncounts;
				f->questions[f->nquestions++] = q;
				f->ncounts += q->scale->nopts;
			}
		}
	}
	f->grades = xcalloc(NELEM(bands), sizeof(*f->grades));
	f->ngrades = NELEM(bands);
	for (i = 0; i < NELEM(bands); i++) {
		f->grades[i].name = xstrdup(bands[i].name);
		f->grades[i].min = bands[i].min;
	}
	f->target = 8500;
	f->min_cell = 5;
	f->sample_percent = 10;
	f->sample_min = 30;
	f->sample_max = sample_max;
	return f;
}

static void
freelabel(struct label *l)
{
	free(l->th);
	free(l->en);
}

static void
freeform(struct form *f)
{
	struct indicator	*ind;
	struct item		*it;
	size_t			 i, j, k;

	for (i = 0; i < f->nscales; i++) {
		for (j = 0; j < f->scales[i].nopts; j++) {
			free(f->scales[i].opts[j].value);
			freelabel(&f->scales[i].opts[j].label);
		}
		free(f->scales[i].opts);
		free(f->scales[i].code);
	}
	free(f->scales);
	for (i = 0; i < f->ninds; i++) {
		ind = &f->inds[i];
		for (j = 0; j < ind->nitems; j++) {
			it = &ind->items[j];
			for (k = 0; k < it->nqs; k++) {
				free(it->qs[k].code);
				freelabel(&it->qs[k].text);
			}
			free(it->qs);
			free(it->code);
			freelabel(&it->text);
		}
		free(ind->items);
		free(ind->code);
		freelabel(&ind->name);
	}
	free(f->inds);
	free(f->questions);
	for (i = 0; i < f->ngrades; i++)
		free(f->grades[i].name);
	free(f->grades);
	free(f->id);
	free(f->instrument);
	freelabel(&f->title);
	free(f);
}

/* Set the counts of question "code", one per option in scale order. */
static void
setcounts(const struct form *f, int64_t *counts, const char *code,
    const int64_t *c)
{
	size_t	i, j;

	for (i = 0; i < f->nquestions; i++)
		if (strcmp(f->questions[i]->code, code) == 0) {
			for (j = 0; j < f->questions[i]->scale->nopts; j++)
				counts[f->questions[i]->base + j] = c[j];
			return;
		}
	abort();
}

/* The element of array a whose "code" is code, or NULL. */
static json_t *
bycode(const json_t *a, const char *code)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(a, i, v)
		if (strcmp(json_string_value(json_object_get(v, "code")),
		    code) == 0)
			return v;
	return NULL;
}

static json_t *
ind_of(const json_t *doc, const char *ind)
{
	return bycode(json_object_get(doc, "indicators"), ind);
}

static json_t *
item_of(const json_t *doc, const char *ind, const char *item)
{
	return bycode(json_object_get(ind_of(doc, ind), "items"), item);
}

static json_t *
q_of(const json_t *doc, const char *ind, const char *item, const char *q)
{
	return bycode(json_object_get(item_of(doc, ind, item), "questions"),
	    q);
}

/*
 * The "score" of object o in hundredths; -1 for null, -2 when the key is
 * missing, -3 for any other type.  Also checks that the real is exactly
 * the double nearest to the hundredths, as score_to_double() makes it.
 */
static int64_t
hscore(const json_t *o)
{
	json_t	*v = json_object_get(o, "score");
	int64_t	 h;

	if (v == NULL)
		return -2;
	if (json_is_null(v))
		return -1;
	if (!json_is_real(v))
		return -3;
	h = (int64_t)llround(json_real_value(v) * 100.0);
	CHECK(json_real_value(v) == score_to_double(h));
	return h;
}

static int64_t
ival(const json_t *o, const char *key)
{
	return (int64_t)json_integer_value(json_object_get(o, key));
}

/* Whether key appears in any object anywhere inside j. */
static int
haskey(json_t *j, const char *key)
{
	const char	*k;
	json_t		*v;
	size_t		 i;

	if (json_is_object(j)) {
		json_object_foreach(j, k, v)
			if (strcmp(k, key) == 0 || haskey(v, key))
				return 1;
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if (haskey(v, key))
				return 1;
	}
	return 0;
}

/* Whether object o has exactly the keys keys[0..n-1], in that order. */
static int
keysare(json_t *o, const char *const *keys, size_t n)
{
	const char	*k;
	json_t		*v;
	size_t		 i = 0;

	json_object_foreach(o, k, v)
		if (i >= n || strcmp(k, keys[i++]) != 0)
			return 0;
	return i == n;
}

static void
test_round_div(void)
{
	CHECK(score_round_div(0, 1) == 0);
	CHECK(score_round_div(1, 2) == 1);		/* 0.5 up */
	CHECK(score_round_div(3, 2) == 2);		/* 1.5 up */
	CHECK(score_round_div(4, 3) == 1);		/* 1.33 down */
	CHECK(score_round_div(5, 3) == 2);		/* 1.67 up */
	CHECK(score_round_div(16667, 2) == 8334);	/* 8333.5 up */
	CHECK(score_round_div(310003, 42) == 7381);	/* 7381.02 */
	/* The same as (2n + d) / (2d) where that would not overflow. */
	CHECK(score_round_div(123457, 1000) == (2 * 123457 + 1000) / 2000);
	/* No overflow near the top: k / (2k + 1) < 0.5, (k + 1) / ... > 0.5 */
	CHECK(score_round_div(INT64_MAX / 2, INT64_MAX) == 0);
	CHECK(score_round_div(INT64_MAX / 2 + 1, INT64_MAX) == 1);
	CHECK(score_round_div(INT64_MAX, INT64_MAX) == 1);
	CHECK(score_round_div(INT64_MAX, 1) == INT64_MAX);
	CHECK(score_to_double(8333) == 83.33);
	CHECK(score_to_double(0) == 0.0);
	CHECK(score_to_double(10000) == 100.0);
}

static void
test_grade(const struct form *f)
{
	CHECK(strcmp(score_grade(f, 10000), "AA") == 0);
	CHECK(strcmp(score_grade(f, 9500), "AA") == 0);
	CHECK(strcmp(score_grade(f, 9499), "A") == 0);
	CHECK(strcmp(score_grade(f, 8500), "A") == 0);
	CHECK(strcmp(score_grade(f, 8499), "B") == 0);
	CHECK(strcmp(score_grade(f, 7500), "B") == 0);
	CHECK(strcmp(score_grade(f, 7499), "C") == 0);
	CHECK(strcmp(score_grade(f, 6500), "C") == 0);
	CHECK(strcmp(score_grade(f, 6499), "D") == 0);
	CHECK(strcmp(score_grade(f, 5500), "D") == 0);
	CHECK(strcmp(score_grade(f, 5499), "E") == 0);
	CHECK(strcmp(score_grade(f, 5000), "E") == 0);
	CHECK(strcmp(score_grade(f, 4999), "F") == 0);
	CHECK(strcmp(score_grade(f, 0), "F") == 0);
	CHECK(score_grade(f, -1) == NULL);		/* below every band */
}

static void
test_sample(const struct form *iit, const struct form *eit)
{
	CHECK(score_sample_minimum(iit, 0) == 30);	/* unknown */
	CHECK(score_sample_minimum(iit, -5) == 30);	/* unknown */
	CHECK(score_sample_minimum(iit, 1) == 1);	/* everyone */
	CHECK(score_sample_minimum(iit, 12) == 12);	/* everyone */
	CHECK(score_sample_minimum(iit, 29) == 29);	/* everyone */
	CHECK(score_sample_minimum(iit, 30) == 30);	/* 3, at least 30 */
	CHECK(score_sample_minimum(iit, 300) == 30);	/* 30 */
	CHECK(score_sample_minimum(iit, 301) == 31);	/* ceil(30.1) */
	CHECK(score_sample_minimum(iit, 1000) == 100);	/* 100 */
	CHECK(score_sample_minimum(iit, 10000) == 1000); /* no maximum */
	/* ceil(922337203685477580.7), without overflowing P * 10. */
	CHECK(score_sample_minimum(iit, INT64_MAX) == 922337203685477581);
	CHECK(score_sample_minimum(eit, 3000) == 300);	/* under 400 */
	CHECK(score_sample_minimum(eit, 4001) == 400);	/* ceil(400.1) */
	/* 1000, at most 400. */
	CHECK(score_sample_minimum(eit, 10000) == 400);
}

static void
test_weighted(void)
{
	static const int64_t	w[10] = { 6, 6, 6, 6, 6,
	    10, 10, 10, 20, 20 };
	/* Trat 2564. */
	static const int64_t	trat[10] = { 9355, 8772, 9101, 8793, 8952,
	    9055, 8868, 8858, 7289, 6556 };
	/* Chanthaburi 2563. */
	static const int64_t	chan[10] = { 9217, 8544, 8874, 8405, 8651,
	    8462, 8370, 8188, 5168, 2982 };

	/*
	 * 6 * (9355 + 8772 + 9101 + 8793 + 8952) = 6 * 44973 = 269838
	 * 10 * (9055 + 8868 + 8858) = 10 * 26781 = 267810
	 * 20 * (7289 + 6556) = 20 * 13845 = 276900
	 * 814548 / 100 = 8145.48 -> 8145, 81.45 as ITA.md publishes.
	 */
	CHECK(score_weighted(trat, w, 10) == 8145);
	/*
	 * 6 * (9217 + 8544 + 8874 + 8405 + 8651) = 6 * 43691 = 262146
	 * 10 * (8462 + 8370 + 8188) = 10 * 25020 = 250200
	 * 20 * (5168 + 2982) = 20 * 8150 = 163000
	 * 675346 / 100 = 6753.46 -> 6753, 67.53: one hundredth below the
	 * 67.54 that ITA.md quotes (it allows +-0.01; the NACC presumably
	 * weighs unrounded indicator scores).  Same grade, C.
	 */
	CHECK(score_weighted(chan, w, 10) == 6753);
	/* A plain mean with equal weights: (1 + 2) / 2 = 1.5 -> 2. */
	CHECK(score_weighted((const int64_t[]){ 1, 2 },
	    (const int64_t[]){ 1, 1 }, 2) == 2);
}

/* The IIT-like form of the document tests: bases 0, 4, 8, ..., 24. */
static const struct tind iitdesc[] = {
	{ "1", 6, {
		{ "i1", { { "i1a", "L4", 0 }, { "i1b", "L4", 0 } } },
		{ "i2", { { "i2", "L4", 0 } } },
		{ "i4", { { "i4a", "YN", 1 }, { "i4b", "YN", 1 } } },
	} },
	{ "2", 6, {
		{ "i9", { { "i9", "L4", 1 } } },
		{ "i26", { { "i26a", "YN", 0 }, { "i26b", "YN", 0 } } },
	} },
	{ "3", 6, {
		{ "i13", { { "i13", "L4", 0 } } },
	} },
};

static void
fillcounts(const struct form *f, int64_t *c)
{
	setcounts(f, c, "i1a", (const int64_t[]){ 0, 0, 0, 45 });
	setcounts(f, c, "i1b", (const int64_t[]){ 3, 5, 14, 20 });
	setcounts(f, c, "i2", (const int64_t[]){ 1, 1, 0, 0 });
	setcounts(f, c, "i4a", (const int64_t[]){ 3, 7 });
	setcounts(f, c, "i4b", (const int64_t[]){ 0, 0 });
	setcounts(f, c, "i9", (const int64_t[]){ 3, 5, 14, 20 });
	setcounts(f, c, "i26a", (const int64_t[]){ 30, 15 });
	setcounts(f, c, "i26b", (const int64_t[]){ 45, 0 });
	setcounts(f, c, "i13", (const int64_t[]){ 0, 0, 0, 0 });
}

static void
test_published(const struct form *f)
{
	static const char *const top[] = { "round", "form", "instrument",
	    "respondents", "published", "min_cell", "scored", "indicators",
	    "score", "grade", "target", "meets_target", "sample",
	    "preliminary" };
	static const char *const qkeys[] = { "code", "text", "reverse",
	    "score", "n", "counts" };
	static const char *const l4keys[] = { "1", "2", "3", "4" };
	static const char *const ynkeys[] = { "yes", "no" };
	static const char *const skeys[] = { "population", "minimum",
	    "respondents", "step", "met" };
	int64_t		 counts[28] = { 0 };
	json_t		*doc, *q, *s, *c;
	char		*dump;

	CHECK(f->ncounts == 28);
	CHECK(f->questions[8]->base == 24 && f->questions[8]->index == 8);
	fillcounts(f, counts);
	/* 47 stored responses, published in steps of 5: 45 scored. */
	doc = score_document(f, 7, 47, 45, 120, counts);
	CHECK(doc != NULL);
	if (doc == NULL)
		return;
	CHECK(keysare(doc, top, NELEM(top)));
	CHECK(ival(doc, "round") == 7);
	CHECK(strcmp(json_string_value(json_object_get(doc, "form")),
	    "ita-test-iit") == 0);
	CHECK(strcmp(json_string_value(json_object_get(doc, "instrument")),
	    "IIT") == 0);
	CHECK(ival(doc, "respondents") == 47);
	CHECK(json_is_true(json_object_get(doc, "published")));
	CHECK(ival(doc, "min_cell") == 5);
	CHECK(ival(doc, "scored") == 45);

	/* i1a, all "4": 45 * 10000 / 45 = 10000, 100.00. */
	q = q_of(doc, "1", "i1", "i1a");
	CHECK(keysare(q, qkeys, NELEM(qkeys)));
	CHECK(hscore(q) == 10000);
	CHECK(ival(q, "n") == 45);
	CHECK(json_is_false(json_object_get(q, "reverse")));
	/* Every option in scale order, zeros included. */
	c = json_object_get(q, "counts");
	CHECK(keysare(c, l4keys, NELEM(l4keys)));
	CHECK(ival(c, "1") == 0 && ival(c, "2") == 0 && ival(c, "3") == 0 &&
	    ival(c, "4") == 45);
	/*
	 * i1b, 3/5/14/20 over 0/3333/6667/10000:
	 * 0 + 16665 + 93338 + 200000 = 310003; 310003 / 42 = 7381.02 -> 7381.
	 */
	q = q_of(doc, "1", "i1", "i1b");
	CHECK(hscore(q) == 7381);
	CHECK(ival(q, "n") == 42);
	/* Item i1: (10000 + 7381) / 2 = 8690.5 -> 8691, half up. */
	CHECK(hscore(item_of(doc, "1", "i1")) == 8691);
	/* i2, one "1" and one "2": (0 + 3333) / 2 = 1666.5 -> 1667. */
	CHECK(hscore(q_of(doc, "1", "i2", "i2")) == 1667);
	CHECK(hscore(item_of(doc, "1", "i2")) == 1667);
	/* i4a, reverse YN, 3 yes (0) and 7 no (10000): 70000 / 10 = 7000. */
	q = q_of(doc, "1", "i4", "i4a");
	CHECK(hscore(q) == 7000);
	CHECK(ival(q, "n") == 10);
	CHECK(json_is_true(json_object_get(q, "reverse")));
	c = json_object_get(q, "counts");
	CHECK(keysare(c, ynkeys, NELEM(ynkeys)));
	CHECK(ival(c, "yes") == 3 && ival(c, "no") == 7);
	/* i4b, unanswered: null score, n 0, zero counts. */
	q = q_of(doc, "1", "i4", "i4b");
	CHECK(hscore(q) == -1);
	CHECK(ival(q, "n") == 0);
	CHECK(json_object_size(json_object_get(q, "counts")) == 2);
	/* Item i4: i4b left out, so 7000 / 1 = 7000 and not 3500. */
	CHECK(hscore(item_of(doc, "1", "i4")) == 7000);
	/* Indicator 1: (8691 + 1667 + 7000) / 3 = 17358 / 3 = 5786. */
	s = ind_of(doc, "1");
	CHECK(hscore(s) == 5786);
	CHECK(ival(s, "weight") == 6);

	/*
	 * i9, reverse L4, 3/5/14/20 over 10000/6667/3333/0:
	 * 30000 + 33335 + 46662 + 0 = 109997; 109997 / 42 = 2618.98 -> 2619
	 * (and 7381 + 2619 = 10000, as reverse points mirror).
	 */
	CHECK(hscore(q_of(doc, "2", "i9", "i9")) == 2619);
	/* i26a, YN, 30 yes of 45: 300000 / 45 = 6666.67 -> 6667. */
	CHECK(hscore(q_of(doc, "2", "i26", "i26a")) == 6667);
	/* i26b, all yes: 10000.  Item: 16667 / 2 = 8333.5 -> 8334. */
	CHECK(hscore(q_of(doc, "2", "i26", "i26b")) == 10000);
	CHECK(hscore(item_of(doc, "2", "i26")) == 8334);
	/* Indicator 2: (2619 + 8334) / 2 = 5476.5 -> 5477. */
	CHECK(hscore(ind_of(doc, "2")) == 5477);

	/* Indicator 3, nobody answered: null all the way up, zero counts. */
	q = q_of(doc, "3", "i13", "i13");
	CHECK(hscore(q) == -1);
	CHECK(ival(q, "n") == 0);
	c = json_object_get(q, "counts");
	CHECK(keysare(c, l4keys, NELEM(l4keys)));
	CHECK(ival(c, "1") == 0 && ival(c, "4") == 0);
	CHECK(hscore(item_of(doc, "3", "i13")) == -1);
	CHECK(hscore(ind_of(doc, "3")) == -1);

	/*
	 * Instrument, indicator 3 left out: (5786 + 5477) / 2 = 5631.5 ->
	 * 5632, 56.32, grade D (55.00-64.99), below the target 85.
	 */
	CHECK(hscore(doc) == 5632);
	CHECK(strcmp(json_string_value(json_object_get(doc, "grade")),
	    "D") == 0);
	CHECK(json_is_integer(json_object_get(doc, "target")));
	CHECK(ival(doc, "target") == 85);
	CHECK(json_is_false(json_object_get(doc, "meets_target")));

	/* Population 120: ceil(12) = 12, at least 30; 47 >= 30. */
	s = json_object_get(doc, "sample");
	CHECK(keysare(s, skeys, NELEM(skeys)));
	CHECK(ival(s, "population") == 120);
	CHECK(ival(s, "minimum") == 30);
	CHECK(ival(s, "respondents") == 47);
	CHECK(json_is_true(json_object_get(s, "met")));
	CHECK(json_is_false(json_object_get(doc, "preliminary")));

	/* What the server prints, with its real precision. */
	dump = json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10));
	CHECK(dump != NULL && strstr(dump, "{\"code\":\"i1b\","
	    "\"text\":{\"th\":\"th i1b\",\"en\":\"en i1b\"},"
	    "\"reverse\":false,\"score\":73.81,\"n\":42,"
	    "\"counts\":{\"1\":3,\"2\":5,\"3\":14,\"4\":20}}") != NULL);
	CHECK(dump != NULL && strstr(dump, "\"score\":56.32,\"grade\":\"D\","
	    "\"target\":85,\"meets_target\":false,") != NULL);
	free(dump);
	json_decref(doc);

	/* Population 301: ceil(30.1) = 31 > 20 respondents. */
	doc = score_document(f, 7, 20, 20, 301, counts);
	s = json_object_get(doc, "sample");
	CHECK(ival(s, "minimum") == 31);
	CHECK(json_is_false(json_object_get(s, "met")));
	CHECK(json_is_true(json_object_get(doc, "preliminary")));
	json_decref(doc);

	/* Population unknown: null, and the minimum is 30. */
	doc = score_document(f, 7, 30, 30, 0, counts);
	s = json_object_get(doc, "sample");
	CHECK(json_is_null(json_object_get(s, "population")));
	CHECK(ival(s, "minimum") == 30);
	CHECK(json_is_true(json_object_get(s, "met")));
	json_decref(doc);
}

static void
test_unpublished(const struct form *f)
{
	static const char *const qkeys[] = { "code", "text", "reverse" };
	static const char *const ikeys[] = { "code", "text", "questions" };
	static const char *const ndkeys[] = { "code", "name", "weight",
	    "items" };
	json_t	*doc, *inds, *s;
	int64_t	 scored;

	/*
	 * 4 respondents, under min_cell 5.  Counts are not read (NULL); a
	 * scored that is not a step of min_cell still prints 0.
	 */
	for (scored = 0; scored < 5; scored += 3) {
		doc = score_document(f, 7, 4, scored, 12, NULL);
		CHECK(doc != NULL);
		if (doc == NULL)
			return;
		CHECK(json_is_false(json_object_get(doc, "published")));
		CHECK(ival(doc, "respondents") == 4);
		CHECK(ival(doc, "scored") == 0);
		inds = json_object_get(doc, "indicators");
		CHECK(json_array_size(inds) == 3);
		CHECK(!haskey(inds, "score"));
		CHECK(!haskey(inds, "n"));
		CHECK(!haskey(inds, "counts"));
		/* Codes and texts stay, so a page can list them. */
		CHECK(keysare(ind_of(doc, "1"), ndkeys, NELEM(ndkeys)));
		CHECK(keysare(item_of(doc, "1", "i1"), ikeys, NELEM(ikeys)));
		CHECK(keysare(q_of(doc, "1", "i1", "i1b"), qkeys,
		    NELEM(qkeys)));
		CHECK(hscore(doc) == -1);
		CHECK(json_is_null(json_object_get(doc, "grade")));
		CHECK(json_is_null(json_object_get(doc, "meets_target")));
		CHECK(ival(doc, "target") == 85);
		/* Population 12 all answer; 4 < 12. */
		s = json_object_get(doc, "sample");
		CHECK(ival(s, "population") == 12);
		CHECK(ival(s, "minimum") == 12);
		CHECK(ival(s, "respondents") == 4);
		CHECK(json_is_false(json_object_get(s, "met")));
		CHECK(json_is_true(json_object_get(doc, "preliminary")));
		json_decref(doc);
	}
}

/* A one-question form on scale T, for the edges of the target. */
static const struct tind tdesc[] = {
	{ "1", 10, { { "t1", { { "t1", "T", 0 } } } } },
};

static void
test_target(struct form *f)
{
	int64_t	 lo[2] = { 5, 0 }, hi[2] = { 0, 5 };
	json_t	*doc;

	/* Exactly min_cell: published.  5 * 8499 / 5 = 8499: B, missed. */
	doc = score_document(f, 1, 5, 5, 0, lo);
	CHECK(json_is_true(json_object_get(doc, "published")));
	CHECK(hscore(doc) == 8499);
	CHECK(strcmp(json_string_value(json_object_get(doc, "grade")),
	    "B") == 0);
	CHECK(json_is_false(json_object_get(doc, "meets_target")));
	json_decref(doc);
	/* 5 * 8500 / 5 = 8500: A, met. */
	doc = score_document(f, 1, 9, 5, 0, hi);
	CHECK(hscore(doc) == 8500);
	CHECK(strcmp(json_string_value(json_object_get(doc, "grade")),
	    "A") == 0);
	CHECK(json_is_true(json_object_get(doc, "meets_target")));
	json_decref(doc);
	/* A target with a fraction prints as a real, and 85.00 < 85.50. */
	f->target = 8550;
	doc = score_document(f, 1, 9, 5, 0, hi);
	CHECK(json_is_real(json_object_get(doc, "target")));
	CHECK(json_real_value(json_object_get(doc, "target")) == 85.5);
	CHECK(json_is_false(json_object_get(doc, "meets_target")));
	json_decref(doc);
	f->target = 8500;
}

int
main(void)
{
	struct form	*iit, *eit, *t;

	iit = mkform("ita-test-iit", "IIT", iitdesc, NELEM(iitdesc), -1);
	eit = mkform("ita-test-eit", "EIT", tdesc, NELEM(tdesc), 400);
	t = mkform("ita-test-t", "T", tdesc, NELEM(tdesc), -1);
	test_round_div();
	test_grade(iit);
	test_sample(iit, eit);
	test_weighted();
	test_published(iit);
	test_unpublished(iit);
	test_target(t);
	freeform(iit);
	freeform(eit);
	freeform(t);
	return check_done("test_score");
}
