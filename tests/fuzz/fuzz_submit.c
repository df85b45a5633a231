/* SPDX-License-Identifier: ISC */
/*
 * Fuzz submit_parse(), the request body of POST .../responses with its
 * answer validation, against every real form of forms/ (or of the folder
 * $ITA_FUZZ_FORMS), loaded once.  Invariants: the status is one of those
 * documented, with a code and a message; "fields" comes with 422 only;
 * the submission id is canonical; tokens count only on internal forms;
 * and an accepted body yields canonical answers that read back to the
 * same option indexes, with every required question answered.
 */
#include <ctype.h>
#include <string.h>

#include "extern.h"
#include "fuzz.h"

#define FIELDS_MAX	64	/* as form.c */

static struct formset	*set;

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void
init(void)
{
	const char	*dir = getenv("ITA_FUZZ_FORMS");

	if (set != NULL)
		return;
	if (formset_load(dir != NULL ? dir : "forms", &set, stderr) == -1) {
		fprintf(stderr, "fuzz_submit: cannot load the forms "
		    "(run from the repository root)\n");
		exit(1);
	}
}

static void
sid_check(const char *sid)
{
	size_t	i;

	FUZZ_CHECK(strlen(sid) == SUBMISSION_ID_LEN);
	for (i = 0; i < SUBMISSION_ID_LEN; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23)
			FUZZ_CHECK(sid[i] == '-');
		else
			FUZZ_CHECK(isxdigit((unsigned char)sid[i]) &&
			    !isupper((unsigned char)sid[i]));
}

/* An accepted body: its answers text and option indexes agree. */
static void
accepted_check(const struct form *f, const struct submit *s)
{
	const struct question	*q;
	json_t			*a, *v;
	json_error_t		 err;
	char			*again;
	size_t			 i;

	FUZZ_CHECK(s->answers_text != NULL && s->opts != NULL);
	a = json_loads(s->answers_text, JSON_REJECT_DUPLICATES, &err);
	FUZZ_CHECK(json_is_object(a));
	again = json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS);
	FUZZ_CHECK(again != NULL && strcmp(again, s->answers_text) == 0);
	free(again);
	FUZZ_CHECK(json_object_size(a) <= f->nquestions);
	for (i = 0; i < f->nquestions; i++) {
		q = f->questions[i];
		v = json_object_get(a, q->code);
		FUZZ_CHECK(s->opts[i] <= q->scale->nopts);
		if (v == NULL) {
			FUZZ_CHECK(s->opts[i] == 0 && !q->required);
			continue;
		}
		FUZZ_CHECK(s->opts[i] > 0 && json_is_string(v));
		FUZZ_CHECK(strcmp(json_string_value(v),
		    q->scale->opts[s->opts[i] - 1].value) == 0);
	}
	json_decref(a);
}

static void
one(const struct form *f, const uint8_t *data, size_t size)
{
	struct submit	 s;
	json_t		*fields = NULL, *v;
	const char	*key;
	char		 msg[240];
	enum err	 e;
	int		 st;

	e = submit_parse((const char *)data, size, f, &s, &fields, msg,
	    sizeof(msg));
	st = e == ERR_OK ? 0 : err_status(e);
	/* 500 means out of memory, which a fuzz run never is. */
	FUZZ_CHECK(st == 0 || st == 400 || st == 422);
	FUZZ_CHECK((st == 422) == (fields != NULL));
	if (st != 0) {
		FUZZ_CHECK(err_code(e) != NULL && msg[0] != '\0');
		FUZZ_CHECK(strlen(msg) < sizeof(msg));
		FUZZ_CHECK(s.answers_text == NULL && s.opts == NULL);
	}
	if (st == 400)
		FUZZ_CHECK(strcmp(err_code(e), "bad_json") == 0 ||
		    strcmp(err_code(e), "bad_request") == 0);
	if (st == 422) {
		FUZZ_CHECK(strcmp(err_code(e), "invalid_answers") == 0);
		FUZZ_CHECK(json_is_object(fields));
		FUZZ_CHECK(json_object_size(fields) >= 1 &&
		    json_object_size(fields) <= FIELDS_MAX);
		json_object_foreach(fields, key, v)
			FUZZ_CHECK(json_is_string(v) && strlen(key) <= 64);
	}
	if (st == 0 || st == 422) {
		sid_check(s.sid);
		FUZZ_CHECK(!(s.has_token && s.token_bad));
		if (!s.has_token)
			FUZZ_CHECK(s.token_canon[0] == '\0');
		if (!f->internal)
			FUZZ_CHECK(!s.has_token && !s.token_bad);
		if (s.has_token)
			FUZZ_CHECK(strlen(s.token_canon) == TOKEN_CHARS &&
			    strspn(s.token_canon, alphabet) == TOKEN_CHARS);
	}
	if (st == 0)
		accepted_check(f, &s);
	json_decref(fields);
	submit_free(&s);
	submit_free(&s);	/* must be safe: it clears what it frees */
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t	i;

	init();
	for (i = 0; i < set->nforms; i++)
		one(set->forms[i], data, size);
	return 0;
}
