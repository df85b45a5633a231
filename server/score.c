/* SPDX-License-Identifier: ISC */
/*
 * Scoring: turns the answer counts of a round into scores, grades, the
 * minimum sample and the scores document of API.md.  Pure computation: no
 * I/O, no SQL, and no scoring constants, because every number that decides
 * a score (points, weights, grade bands, target, min_cell, sample rules)
 * comes from struct form, so a new year's questionnaire is a new file.
 * Scores are int64_t hundredths of a point and every mean is rounded half
 * up at its own level (forms/README.md, "How a form is scored"), so each
 * printed figure can be recomputed by hand from the figures under it.
 */
#include <assert.h>
#include <stdint.h>

#include "extern.h"

/* A mean being taken over the non-null scores of one level. */
struct mean {
	int64_t	sum;	/* of the scores taken, hundredths */
	int64_t	n;	/* scores taken */
};

/*
 * num / den rounded half up, which for num >= 0 is away from zero.
 * num >= 0 and den > 0 are the caller's duty (asserted): scores, points
 * and weights are never negative.  The result equals
 * (2 * num + den) / (2 * den), but is computed from the quotient and the
 * remainder so that no intermediate value can overflow.
 */
int64_t
score_round_div(int64_t num, int64_t den)
{
	int64_t	q, r;

	assert(den > 0);
	assert(num >= 0);
	q = num / den;
	r = num % den;
	/* Up when 2r >= den; written so that 2r cannot overflow. */
	return r >= den - r ? q + 1 : q;
}

/*
 * Hundredths to the number the documents print: 8333 -> 83.33.  The double
 * is the nearest one to the exact value, so a dump with
 * JSON_REAL_PRECISION(10) prints the two decimals and nothing else.
 */
double
score_to_double(int64_t hundredths)
{
	return (double)hundredths / 100.0;
}

/*
 * The name of the grade of "score" (hundredths): the first of f->grades,
 * which are ordered by decreasing min, whose min is not above the score.
 * Returns a string borrowed from f, or NULL when no band fits (a score
 * below the last band's min, which forms check makes 0).
 */
const char *
score_grade(const struct form *f, int64_t score)
{
	size_t	i;

	for (i = 0; i < f->ngrades; i++)
		if (f->grades[i].min <= score)
			return f->grades[i].name;
	return NULL;
}

/*
 * The minimum sample for a population of "population" people.  A
 * population of 0 or less means unknown and gives f->sample_min.  A
 * population under sample_min must all answer.  Otherwise the minimum is
 * ceil(population * sample_percent / 100), at least sample_min and at
 * most sample_max when sample_max >= 0.  Needs sample_percent in 0..100
 * (forms check), and then cannot overflow for any population.
 */
int64_t
score_sample_minimum(const struct form *f, int64_t population)
{
	int64_t	m;

	if (population <= 0)
		return f->sample_min;
	if (population < f->sample_min)
		return population;
	/*
	 * With population = 100a + b, population * percent / 100 is
	 * a * percent + b * percent / 100: only the second term has a
	 * fraction to round up, and neither product can overflow.
	 */
	m = population / 100 * f->sample_percent +
	    (population % 100 * f->sample_percent + 99) / 100;
	if (m < f->sample_min)
		m = f->sample_min;
	if (f->sample_max >= 0 && m > f->sample_max)
		m = f->sample_max;
	return m;
}

/*
 * The weighted mean of n scores (hundredths) with the given weights,
 * rounded half up: the overall ITA score from the ten indicator scores
 * and the form's weights.  Scores must be non-negative, weights
 * non-negative with a positive sum, and n >= 1 (asserted, as is that the
 * sums fit in 64 bits, which they do by many orders of magnitude).
 */
int64_t
score_weighted(const int64_t *scores, const int64_t *weights, size_t n)
{
	int64_t	num = 0, den = 0, term;
	size_t	i;
	int	ovf = 0;

	for (i = 0; i < n; i++) {
		ovf |= __builtin_mul_overflow(scores[i], weights[i], &term);
		ovf |= __builtin_add_overflow(num, term, &num);
		ovf |= __builtin_add_overflow(den, weights[i], &den);
	}
	assert(!ovf);
	return score_round_div(num, den);
}

static void
mean_add(struct mean *m, int64_t score)
{
	m->sum += score;
	m->n++;
}

/* Sets *out to the rounded mean and returns 1, or returns 0 if empty. */
static int
mean_get(const struct mean *m, int64_t *out)
{
	if (m->n == 0)
		return 0;
	*out = score_round_div(m->sum, m->n);
	return 1;
}

/*
 * Score question q from counts (see score_document): returns 1 with
 * *score set, 0 when nobody answered it, -1 (logged) when a count or a
 * point value is negative or a sum overflows, which only a caller's bug
 * or a corrupt database can cause.  *n is set to the answers counted.
 */
static int
question_score(const struct question *q, const int64_t *counts,
    int64_t *score, int64_t *n)
{
	const struct option	*o;
	int64_t			 sum = 0, c, p;
	size_t			 i;

	*n = 0;
	for (i = 0; i < q->scale->nopts; i++) {
		o = &q->scale->opts[i];
		c = counts[q->base + i];
		/* Reverse questions ask about something bad. */
		p = q->reverse ? o->rpoints : o->points;
		if (c < 0 || p < 0 ||
		    __builtin_mul_overflow(c, p, &p) ||
		    __builtin_add_overflow(sum, p, &sum) ||
		    __builtin_add_overflow(*n, c, n)) {
			log_err("%s: question %s: counts or points out of "
			    "range", __func__, q->code);
			return -1;
		}
	}
	if (*n == 0)
		return 0;
	*score = score_round_div(sum, *n);
	return 1;
}

/* {"th": ..., "en": ...}, or NULL when jansson fails. */
static json_t *
label_json(const struct label *l)
{
	return json_pack("{s:s, s:s}", "th", l->th, "en", l->en);
}

/* A score as the documents print it: a real, or null when none. */
static json_t *
score_json(int has, int64_t score)
{
	return has ? json_real(score_to_double(score)) : json_null();
}

/*
 * Append question q's object to array qs and, when published, add its
 * score (if any) to m.  Returns 0, or -1 on failure (what is appended is
 * owned by qs).
 */
static int
question_json(json_t *qs, const struct question *q, int published,
    const int64_t *counts, struct mean *m)
{
	json_t	*o, *c;
	int64_t	 score = 0, n;
	size_t	 i;
	int	 has;

	/* Attached at once, so that qs frees it on every failure below. */
	if ((o = json_pack("{s:s}", "code", q->code)) == NULL ||
	    json_array_append_new(qs, o) == -1)
		return -1;
	if (json_object_set_new(o, "text", label_json(&q->text)) == -1 ||
	    json_object_set_new(o, "reverse", json_boolean(q->reverse)) == -1)
		return -1;
	if (!published)
		return 0;
	if ((has = question_score(q, counts, &score, &n)) == -1)
		return -1;
	if (has)
		mean_add(m, score);
	if (json_object_set_new(o, "score", score_json(has, score)) == -1 ||
	    json_object_set_new(o, "n", json_integer(n)) == -1 ||
	    json_object_set_new(o, "counts", c = json_object()) == -1)
		return -1;
	/* Every option, zeros included, so a table needs no lookups. */
	for (i = 0; i < q->scale->nopts; i++)
		if (json_object_set_new(c, q->scale->opts[i].value,
		    json_integer(counts[q->base + i])) == -1)
			return -1;
	return 0;
}

/*
 * Append the object of item "it" to array items and add its score (if
 * any) to m.  Returns 0 or -1 as question_json().
 */
static int
item_json(json_t *items, const struct item *it, int published,
    const int64_t *counts, struct mean *m)
{
	json_t		*o, *qs = NULL;
	struct mean	 qm = { 0, 0 };
	int64_t		 score = 0;
	size_t		 i;
	int		 rc = -1, has;

	if ((o = json_pack("{s:s}", "code", it->code)) == NULL ||
	    json_array_append_new(items, o) == -1 ||
	    json_object_set_new(o, "text", label_json(&it->text)) == -1)
		goto out;
	/* The questions come first: the item's score is their mean. */
	if ((qs = json_array()) == NULL)
		goto out;
	for (i = 0; i < it->nqs; i++)
		if (question_json(qs, &it->qs[i], published, counts,
		    &qm) == -1)
			goto out;
	if (published) {
		if ((has = mean_get(&qm, &score)))
			mean_add(m, score);
		if (json_object_set_new(o, "score",
		    score_json(has, score)) == -1)
			goto out;
	}
	rc = json_object_set_new(o, "questions", qs);
	qs = NULL;
out:
	json_decref(qs);
	return rc;
}

/*
 * Append indicator ind's object to array inds and add its score (if any)
 * to m.  Returns 0 or -1 as question_json().
 */
static int
indicator_json(json_t *inds, const struct indicator *ind, int published,
    const int64_t *counts, struct mean *m)
{
	json_t		*o, *items = NULL;
	struct mean	 im = { 0, 0 };
	int64_t		 score = 0;
	size_t		 i;
	int		 rc = -1, has;

	if ((o = json_pack("{s:s}", "code", ind->code)) == NULL ||
	    json_array_append_new(inds, o) == -1 ||
	    json_object_set_new(o, "name", label_json(&ind->name)) == -1 ||
	    json_object_set_new(o, "weight", json_integer(ind->weight)) == -1)
		goto out;
	if ((items = json_array()) == NULL)
		goto out;
	for (i = 0; i < ind->nitems; i++)
		if (item_json(items, &ind->items[i], published, counts,
		    &im) == -1)
			goto out;
	if (published) {
		if ((has = mean_get(&im, &score)))
			mean_add(m, score);
		if (json_object_set_new(o, "score",
		    score_json(has, score)) == -1)
			goto out;
	}
	rc = json_object_set_new(o, "items", items);
	items = NULL;
out:
	json_decref(items);
	return rc;
}

/* The target as a plain number: 85 rather than 85.0 when it is whole. */
static json_t *
target_json(int64_t target)
{
	if (target % 100 == 0)
		return json_integer(target / 100);
	return json_real(score_to_double(target));
}

/*
 * The scores document of API.md for a round of form f.
 *
 * respondents is the number of stored responses rounded down to a
 * multiple of f->min_cell (never exact: no figure may move with one
 * response); the sample's "met" is judged from it, and the sample says
 * "step": min_cell.  scored is how many responses the figures include
 * (the caller passes the published snapshot's), and counts the snapshot
 * taken at that moment: f->ncounts entries, counts[q->base + i] being how
 * many of those responses gave question q the option q->scale->opts[i].
 * The document is published when scored >= f->min_cell; counts is then
 * required (asserted), and otherwise never read and may be NULL.  An
 * unpublished document says "scored": 0, has no "score", "n" or "counts"
 * key below the top level and null top-level "score", "grade" and
 * "meets_target", but keeps every code, name and text so that a page can
 * list them.  population <= 0 means unknown and prints as null.
 * "preliminary" is true while the minimum sample is not met: every
 * figure is then to be shown as preliminary, whatever it says.
 *
 * Returns a new object (caller frees with json_decref), or NULL when
 * jansson fails to allocate or the counts are negative or overflow
 * (logged); the caller answers 500 either way.
 */
json_t *
score_document(const struct form *f, int64_t round, int64_t respondents,
    int64_t scored, int64_t population, const int64_t *counts)
{
	json_t		*doc = NULL, *ret = NULL, *inds, *sample;
	struct mean	 m = { 0, 0 };
	const char	*grade = NULL;
	int64_t		 score = 0, minimum;
	size_t		 i;
	int		 published, has = 0;

	published = scored >= f->min_cell;
	assert(!published || counts != NULL);
	if (!published)
		scored = 0;
	doc = json_pack("{s:I, s:s, s:s, s:I, s:b, s:I, s:I}",
	    "round", (json_int_t)round,
	    "form", f->id,
	    "instrument", f->instrument,
	    "respondents", (json_int_t)respondents,
	    "published", published,
	    "min_cell", (json_int_t)f->min_cell,
	    "scored", (json_int_t)scored);
	if (doc == NULL ||
	    json_object_set_new(doc, "indicators", inds = json_array()) == -1)
		goto out;
	for (i = 0; i < f->ninds; i++)
		if (indicator_json(inds, &f->inds[i], published, counts,
		    &m) == -1)
			goto out;
	if (published && (has = mean_get(&m, &score)))
		grade = score_grade(f, score);
	if (json_object_set_new(doc, "score", score_json(has, score)) == -1 ||
	    json_object_set_new(doc, "grade",
	    grade != NULL ? json_string(grade) : json_null()) == -1 ||
	    json_object_set_new(doc, "target", target_json(f->target)) == -1 ||
	    json_object_set_new(doc, "meets_target",
	    has ? json_boolean(score >= f->target) : json_null()) == -1)
		goto out;
	minimum = score_sample_minimum(f, population);
	if (json_object_set_new(doc, "sample", sample = json_object()) == -1 ||
	    json_object_set_new(sample, "population", population > 0 ?
	    json_integer(population) : json_null()) == -1 ||
	    json_object_set_new(sample, "minimum",
	    json_integer(minimum)) == -1 ||
	    json_object_set_new(sample, "respondents",
	    json_integer(respondents)) == -1 ||
	    json_object_set_new(sample, "step",
	    json_integer(f->min_cell)) == -1 ||
	    json_object_set_new(sample, "met",
	    json_boolean(respondents >= minimum)) == -1 ||
	    json_object_set_new(doc, "preliminary",
	    json_boolean(respondents < minimum)) == -1)
		goto out;
	ret = doc;
	doc = NULL;
out:
	json_decref(doc);
	return ret;
}
