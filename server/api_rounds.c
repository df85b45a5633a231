/* SPDX-License-Identifier: ISC */
/*
 * The console's rounds: list, create, open and close them, issue their
 * access codes, read their scores and export them.  Each handler only
 * translates the request for the action in rounds.c, codes.c or export.c
 * and its outcome for the reply; http.c has already checked the session,
 * the role and the CSRF header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "http.h"
#include "actions.h"

/* GET /api/v1/admin/rounds: {"rounds": [...]} by id. */
int
api_rounds_list(struct req *r, struct reply *out)
{
	struct round	*rs = NULL;
	size_t		 n = 0, i;
	json_t		*arr;
	enum err	 e;

	if ((e = rounds_list(r->app, &rs, &n)) != ERR_OK)
		return reply_error(out, e);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, rounds_json(r->app, &rs[i]));
	free(rs);
	return reply_json(out, 200, json_pack("{s:o}", "rounds", arr));
}

/* GET /api/v1/admin/rounds/{id}: one round; 404 unknown. */
int
api_round_get(struct req *r, struct reply *out)
{
	struct round	rd;
	enum err	e;

	if ((e = rounds_get(r->app, r->ids[0], &rd)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, rounds_json(r->app, &rd));
}

/*
 * POST /api/v1/admin/rounds {"form", "title", "population"?, "public"?}:
 * 201 with the new (closed) round; 400 bad body; 422 unknown form, bad
 * title or population, public for an internal form.
 */
int
api_rounds_post(struct req *r, struct reply *out)
{
	const char	*form = NULL, *title = NULL;
	json_int_t	 pop = 0;
	int		 pub = 0;
	json_error_t	 jerr;
	struct round	 rd;
	enum err	 e;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:s, s:s, s?I, s?b}",
	    "form", &form, "title", &title, "population", &pop, "public",
	    &pub) == -1)
		return reply_bad_body(out, &jerr, "{\"form\", \"title\", "
		    "\"population\"?, \"public\"?}");
	if ((e = rounds_create(r->app, r->sess.username, form, title, pop,
	    pub, &rd)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 201, rounds_json(r->app, &rd));
}

static int
round_set(struct req *r, struct reply *out, int open)
{
	struct round	rd;
	enum err	e;

	if ((e = rounds_set_open(r->app, r->sess.username, r->ids[0], open,
	    &rd)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, rounds_json(r->app, &rd));
}

/* POST /api/v1/admin/rounds/{id}/open: 200 with the round; 404. */
int
api_round_open(struct req *r, struct reply *out)
{
	return round_set(r, out, 1);
}

/* POST /api/v1/admin/rounds/{id}/close: 200 with the round; 404. */
int
api_round_close(struct req *r, struct reply *out)
{
	return round_set(r, out, 0);
}

/* GET /api/v1/admin/rounds/{id}/scores: the scores document; 404. */
int
api_scores_get(struct req *r, struct reply *out)
{
	json_t		*doc;
	enum err	 e;

	if ((e = rounds_scores(r->app, r->ids[0], &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * GET /api/v1/admin/rounds/{id}/export?what=scores|responses&
 * format=csv|json|xlsx: a download, written to an unlinked temporary file
 * so memory does not grow with the round, and sent only once its audit
 * line is written (export_round).  400 bad query, 404 unknown round, 409
 * responses of an open or too small round.
 */
int
api_export_get(struct req *r, struct reply *out)
{
	enum export_what	 what;
	enum export_format	 fmt;
	FILE			*f = NULL;
	long			 len;
	enum err		 e;
	int			 status;

	if (export_parse(req_query(r, "what"), req_query(r, "format"), &what,
	    &fmt) == -1)
		return reply_error(out, ERR_BAD_EXPORT);
	if ((f = tmpfile()) == NULL) {
		status = reply_error(out, ERR_UNAVAILABLE);
		goto out;
	}
	if ((e = export_round(r->app, r->sess.username, r->ids[0], what, fmt,
	    f)) != ERR_OK) {
		status = reply_error(out, e);
		goto out;
	}
	if ((len = ftell(f)) < 0 || (out->fd = dup(fileno(f))) == -1 ||
	    lseek(out->fd, 0, SEEK_SET) == -1) {
		status = reply_error(out, ERR_INTERNAL);
		goto out;
	}
	out->fdlen = (uint64_t)len;
	out->ctype = export_mime(fmt);
	out->filename = xasprintf("round-%lld-%s.%s", (long long)r->ids[0],
	    export_what_name(what), export_ext(fmt));
	status = 200;
out:
	if (f != NULL)
		fclose(f);
	return status;
}

/* Collects issued codes into a JSON array. */
static int
code_append(const char *code, void *arg)
{
	return json_array_append_new(arg, json_string(code));
}

/*
 * POST /api/v1/admin/rounds/{id}/tokens {"count": N}: 201 {"round",
 * "tokens": [...]}, shown once; 404 unknown round; 422 not an internal
 * round or a count outside 1..CODES_PER_REQUEST.
 */
int
api_tokens_post(struct req *r, struct reply *out)
{
	json_int_t	 count = 0;
	json_error_t	 jerr;
	json_t		*arr = NULL;
	enum err	 e;
	int		 status;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:I}", "count",
	    &count) == -1)
		return reply_bad_body(out, &jerr, "{\"count\": N}");
	if (count < 1 || count > CODES_PER_REQUEST)
		return reply_error(out, ERR_CODES_PER_REQUEST);
	arr = json_array();
	if ((e = codes_issue(r->app, r->sess.username, r->ids[0], count,
	    code_append, arr)) != ERR_OK) {
		status = reply_error(out, e);
		goto out;
	}
	status = reply_json(out, 201, json_pack("{s:I, s:o}", "round",
	    (json_int_t)r->ids[0], "tokens", arr));
	arr = NULL;	/* the reply owns it */
out:
	json_decref(arr);
	return status;
}
