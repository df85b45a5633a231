/* SPDX-License-Identifier: ISC */
/*
 * The working group's analysis: two rounds compared, a round's weak
 * items, the guidance per indicator and the agency's own wording of it,
 * and the comparison as a file.  Each handler translates the request for
 * compare.c, compexport.c or guidance.c; http.c has already checked the
 * session, the role and the CSRF header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "actions.h"

/*
 * A positive round id from the query: 1 and *id, 0 when absent, -1
 * when malformed.
 */
static int
query_round(struct req *r, const char *name, int64_t *id)
{
	const char	*v = req_query(r, name);
	size_t		 i;

	*id = 0;
	if (v == NULL)
		return 0;
	if (v[0] == '\0' || strlen(v) > 15)
		return -1;
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		*id = *id * 10 + (v[i] - '0');
	}
	return *id > 0 ? 1 : -1;
}

/*
 * GET /api/v1/admin/rounds/{A}/compare?with=B: the comparison document
 * (README.md, "Comparing rounds").  400 without a good with; 404 unknown
 * round; 422 not_comparable (other instrument, or A itself).
 */
int
api_compare_get(struct req *r, struct reply *out)
{
	struct round	 rd;
	json_t		*doc;
	int64_t		 b;
	enum err	 e;

	/* An unknown round is 404 before a missing "with" is 400. */
	if (query_round(r, "with", &b) != 1)
		return reply_error(out, (e = rounds_get(r->app, r->ids[0],
		    &rd)) != ERR_OK ? e : ERR_COMPARE_WITH);
	if ((e = compare_rounds(r->app, r->ids[0], b, &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * GET /api/v1/admin/rounds/{A}/weak[?with=B]: A's items below the target,
 * weakest first, with their answers, change since B and guidance.
 */
int
api_weak_get(struct req *r, struct reply *out)
{
	json_t		*doc;
	int64_t		 b;
	enum err	 e;

	if (query_round(r, "with", &b) == -1)
		return reply_error(out, ERR_COMPARE_WITH);
	if ((e = compare_weak(r->app, r->ids[0], b, &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * GET /api/v1/admin/rounds/{A}/export?what=compare&with=B&format=F (from
 * api_export_get): the comparison as a file, audited.
 */
int
api_compare_export(struct req *r, struct reply *out, int format)
{
	enum export_format	 fmt = (enum export_format)format;
	FILE			*f;
	int64_t			 b;
	enum err		 e;
	int			 status;

	if (query_round(r, "with", &b) != 1)
		return reply_error(out, ERR_COMPARE_WITH);
	if ((f = tmpfile()) == NULL)
		return reply_error(out, ERR_UNAVAILABLE);
	if ((e = export_compare(r->app, r->sess.username, r->ids[0], b, fmt,
	    f)) != ERR_OK)
		status = reply_error(out, e);
	else
		status = reply_file(out, f, export_mime(fmt),
		    xasprintf("round-%lld-compare-%lld.%s",
		    (long long)r->ids[0], (long long)b, export_ext(fmt)));
	fclose(f);
	return status;
}

/* GET /api/v1/admin/guidance: every indicator with its guidance. */
int
api_guidance_list(struct req *r, struct reply *out)
{
	json_t		*doc;
	enum err	 e;

	if ((e = guidance_list(r->app, &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * PUT /api/v1/admin/guidance/{code} {"th": TEXT, "en": TEXT}: the
 * agency's own wording.  200 with the guidance; 400 bad body; 404
 * unknown_indicator; 422 bad_guidance.
 */
int
api_guidance_put(struct req *r, struct reply *out)
{
	const char	*th, *en;
	json_error_t	 jerr;
	json_t		*doc;
	enum err	 e;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:s, s:s}", "th",
	    &th, "en", &en) == -1)
		return reply_bad_body(out, &jerr,
		    "{\"th\": \"...\", \"en\": \"...\"}");
	if ((e = guidance_set(r->app, r->sess.username, r->word, th, en,
	    &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * DELETE /api/v1/admin/guidance/{code}: back to the shipped text.  200
 * with the guidance now shown (null when the file has none); 404
 * unknown_indicator.
 */
int
api_guidance_delete(struct req *r, struct reply *out)
{
	json_t		*doc;
	enum err	 e;

	if ((e = guidance_reset(r->app, r->sess.username, r->word, &doc)) !=
	    ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, json_pack("{s:s, s:o}", "indicator",
	    r->word, "guidance", doc));
}
