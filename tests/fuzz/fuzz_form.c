/* SPDX-License-Identifier: ISC */
/*
 * Fuzz form_load_buf(), the form loader without the file.  Invariants:
 * a form that loads printed nothing and holds together (every question
 * numbered and with a scale, the counts slots adding up, the public
 * document printable, a full set of first options accepted and an empty
 * answer set refused when something is required, the scores document
 * computable); a form that fails printed at least one line; and no
 * message carries a control character other than the line ends, whatever
 * bytes the file held (so "forms check" cannot write terminal escapes).
 */
#include <string.h>

#include "extern.h"
#include "fuzz.h"

/* Use a form that loaded the way the server would. */
static void
exercise(const struct form *f)
{
	json_t			*answers, *fields = NULL;
	char			*s;
	const struct question	*q;
	int64_t			*counts;
	size_t			 i, slots = 0;
	int			 required = 0;

	FUZZ_CHECK(f->nquestions > 0);
	for (i = 0; i < f->nquestions; i++) {
		q = f->questions[i];
		FUZZ_CHECK(q->index == i && q->base == slots);
		FUZZ_CHECK(q->scale != NULL && q->scale->nopts > 0);
		FUZZ_CHECK(form_question(f, q->code) == q);
		FUZZ_CHECK(form_option_index(q,
		    q->scale->opts[q->scale->nopts - 1].value) ==
		    (int)q->scale->nopts - 1);
		slots += q->scale->nopts;
		required |= q->required;
	}
	FUZZ_CHECK(slots == f->ncounts);
	FUZZ_CHECK((s = json_dumps(f->doc, JSON_COMPACT)) != NULL);
	free(s);

	FUZZ_CHECK((answers = json_object()) != NULL);
	FUZZ_CHECK(form_answers_check(f, answers, &fields) ==
	    (required ? -1 : 0));
	FUZZ_CHECK((fields != NULL) == required);
	json_decref(fields);
	for (i = 0; i < f->nquestions; i++) {
		q = f->questions[i];
		FUZZ_CHECK(json_object_set_new(answers, q->code,
		    json_string(q->scale->opts[0].value)) == 0);
	}
	FUZZ_CHECK(form_answers_check(f, answers, &fields) == 0);
	FUZZ_CHECK(fields == NULL);
	json_decref(answers);

	/* min_cell respondents, each giving every question its first option. */
	counts = xcalloc(f->ncounts, sizeof(*counts));
	for (i = 0; i < f->nquestions; i++)
		counts[f->questions[i]->base] = f->min_cell;
	json_decref(score_document(f, 1, f->min_cell, f->min_cell,
	    f->min_cell, counts));
	json_decref(score_document(f, 1, 0, 0, 0, NULL));
	free(counts);
	(void)score_sample_minimum(f, 0);
	(void)score_sample_minimum(f, 1);
	(void)score_sample_minimum(f, INT64_C(1000000000));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct form	*f = NULL;
	char		*msgs = NULL;
	size_t		 msglen = 0, i;
	FILE		*errs;
	int		 rc;

	FUZZ_CHECK((errs = open_memstream(&msgs, &msglen)) != NULL);
	rc = form_load_buf("fuzz.json", (const char *)data, size, &f, errs);
	FUZZ_CHECK(fclose(errs) == 0);
	if (rc == 0) {
		FUZZ_CHECK(f != NULL && msglen == 0);
		exercise(f);
	} else {
		FUZZ_CHECK(rc == -1 && f == NULL && msglen > 0);
		FUZZ_CHECK(msgs[msglen - 1] == '\n');
	}
	for (i = 0; i < msglen; i++)
		FUZZ_CHECK(msgs[i] == '\n' ||
		    ((unsigned char)msgs[i] >= 0x20 && msgs[i] != 0x7f));
	free(msgs);
	form_free(f);
	return 0;
}
