/* SPDX-License-Identifier: ISC */
/*
 * tally.c: the counts the writer keeps, read from and written to a
 * tallies row's JSON; and submit.c's canonical answers, which must be
 * byte for byte what jansson writes with JSON_SORT_KEYS.
 */
#include <stdlib.h>
#include <string.h>

#include "extern.h"
#include "../check.h"

/* The counts of text, written back. NULL when it does not load. */
static char *
again(const struct form *f, const char *text)
{
	struct tally_counts	 t;
	struct buf		 b;
	char			*s = NULL;

	buf_init(&b, 0);
	if (tally_counts_load(f, text, &t) == 0 &&
	    tally_counts_dump(&t, &b) == 0)
		s = strdup(b.p);
	tally_counts_free(&t);
	buf_free(&b);
	return s;
}

static void
test_counts(const struct form *f)
{
	struct tally_counts	 t;
	struct buf		 b;
	const struct question	*q;
	char			*s;
	json_t			*a, *e;

	buf_init(&b, 0);
	/* Nothing yet: an empty object, every slot 0. */
	CHECK(tally_counts_load(f, "{}", &t) == 0);
	CHECK(tally_counts_dump(&t, &b) == 0 && strcmp(b.p, "{}") == 0);
	/* Counts land in their slots and come out in form order. */
	q = form_question(f, "e2");
	CHECK(q != NULL);
	t.n[q->base + 3] = 7;
	t.n[q->base + 0] = 12345678901LL;
	q = form_question(f, "e1a");
	t.n[q->base + 1] = 1;
	CHECK(tally_counts_dump(&t, &b) == 0);
	CHECK(strcmp(b.p, "{\"e1a\":{\"2\":1},\"e2\":{\"1\":12345678901,"
	    "\"4\":7}}") == 0);
	tally_counts_free(&t);
	/* What it wrote reads back the same. */
	s = again(f, b.p);
	CHECK(s != NULL && strcmp(s, b.p) == 0);
	free(s);
	/* Zero counts are not written. */
	s = again(f, "{\"e2\":{\"1\":0,\"2\":3}}");
	CHECK(s != NULL && strcmp(s, "{\"e2\":{\"2\":3}}") == 0);
	free(s);
	/*
	 * Counts the form does not know (an edited form) are kept as they
	 * were: an unknown value of a known question, an unknown question.
	 */
	s = again(f, "{\"zz\":{\"x\\\"y\":4},\"e2\":{\"9\":2,\"1\":5}}");
	CHECK(s != NULL);
	a = s == NULL ? NULL : json_loads(s, JSON_REJECT_DUPLICATES, NULL);
	e = json_loads("{\"zz\":{\"x\\\"y\":4},\"e2\":{\"9\":2,\"1\":5}}", 0,
	    NULL);
	CHECK(a != NULL && json_equal(a, e));
	json_decref(a);
	json_decref(e);
	free(s);
	/* Not a counts object: refused, and the counts are empty. */
	CHECK(tally_counts_load(f, "[]", &t) == -1 && t.n[0] == 0);
	tally_counts_free(&t);
	CHECK(tally_counts_load(f, "{\"e2\":{\"1\":-1}}", &t) == -1);
	tally_counts_free(&t);
	CHECK(tally_counts_load(f, "{\"e2\":{\"1\":\"3\"}}", &t) == -1);
	tally_counts_free(&t);
	CHECK(tally_counts_load(f, "{\"e2\":", &t) == -1);
	tally_counts_free(&t);
	buf_free(&b);
}

/* submit.c's canonical answers against jansson's, for many bodies. */
static void
test_canonical(const struct form *f)
{
	struct submit	 s;
	json_t		*answers, *fields;
	char		 body[8192], msg[128], *want;
	size_t		 k, i, n;
	int		 round, same = 0, tried = 0;

	srand(7);
	for (round = 0; round < 200; round++) {
		answers = json_object();
		for (k = 0; k < f->nquestions; k++) {
			if (!f->questions[k]->required && rand() % 3 == 0)
				continue;
			n = f->questions[k]->scale->nopts;
			i = (size_t)rand() % n;
			json_object_set_new(answers, f->questions[k]->code,
			    json_string(f->questions[k]->scale->opts[i].value));
		}
		want = json_dumps(answers, JSON_COMPACT | JSON_SORT_KEYS);
		snprintf(body, sizeof(body), "{\"submission_id\":"
		    "\"123e4567-e89b-42d3-a456-426614174000\",\"answers\":%s}",
		    want);
		json_decref(answers);
		if (submit_parse(body, strlen(body), f, &s, &fields, msg,
		    sizeof(msg)) == ERR_OK) {
			tried++;
			same += strcmp(s.answers_text, want) == 0;
		}
		json_decref(fields);
		submit_free(&s);
		free(want);
	}
	CHECK(tried > 100);
	CHECK(same == tried);
}

int
main(void)
{
	struct form	*f = NULL;

	CHECK(form_load("forms/ita-2563-eit.json", &f, stderr) == 0);
	if (f != NULL) {
		test_counts(f);
		test_canonical(f);
	}
	form_free(f);
	return check_done("test_tally");
}
