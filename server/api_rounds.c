/* SPDX-License-Identifier: ISC */
/*
 * The console's rounds: list, create, open and close them, change and
 * delete them, issue and void their access codes, read their scores and
 * export them.  Each handler only translates the request for the action
 * in rounds.c, codes.c or export.c and its outcome for the reply; http.c
 * has already checked the session, the role and the CSRF header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "actions.h"

/*
 * GET /api/v1/admin/rounds[?archived=1]: {"rounds": [...]} by id, the
 * archived ones only with archived=1 (each round says "archived"); 400
 * for another value.
 */
int
api_rounds_list(struct req *r, struct reply *out)
{
	struct round	*rs = NULL;
	size_t		 n = 0, i;
	json_t		*arr;
	const char	*q = req_query(r, "archived");
	enum err	 e;

	if (q != NULL && strcmp(q, "0") != 0 && strcmp(q, "1") != 0)
		return reply_error(out, ERR_ROUNDS_QUERY);
	if ((e = rounds_list(r->app, q != NULL && q[0] == '1', &rs,
	    &n)) != ERR_OK)
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

/* GET /api/v1/admin/rounds/{id}/units: the per-unit scores (units.c). */
int
api_units_get(struct req *r, struct reply *out)
{
	json_t		*doc;
	enum err	 e;

	if ((e = units_document(r->app, r->ids[0], &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/* GET /api/v1/admin/units: every unit's name, for suggestions. */
int
api_unit_names_get(struct req *r, struct reply *out)
{
	json_t		*doc;
	enum err	 e;

	if ((e = units_names(r->app, &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * GET /api/v1/admin/rounds/{id}/export?what=scores|responses|units&
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
	enum err		 e;
	int			 status;

	if (export_parse(req_query(r, "what"), req_query(r, "format"), &what,
	    &fmt) == -1)
		return reply_error(out, ERR_BAD_EXPORT);
	if (what == EXPORT_COMPARE)
		return api_compare_export(r, out, (int)fmt);
	if ((f = tmpfile()) == NULL) {
		status = reply_error(out, ERR_UNAVAILABLE);
		goto out;
	}
	if ((e = export_round(r->app, r->sess.username, r->ids[0], what, fmt,
	    f)) != ERR_OK) {
		status = reply_error(out, e);
		goto out;
	}
	status = reply_file(out, f, export_mime(fmt),
	    xasprintf("round-%lld-%s.%s", (long long)r->ids[0],
	    export_what_name(what), export_ext(fmt)));
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
 * POST /api/v1/admin/rounds/{id}/tokens {"count": N, "unit"?: NAME}: 201
 * {"round", "unit", "tokens": [...]}, shown once; 404 unknown round; 422
 * not an internal round, a count outside 1..CODES_PER_REQUEST or a bad
 * unit.  The responses given with the codes carry the unit.
 */
int
api_tokens_post(struct req *r, struct reply *out)
{
	json_int_t	 count = 0;
	const char	*unit = NULL;
	char		 uname[UNIT_NAME_MAX + 1];
	json_error_t	 jerr;
	json_t		*arr = NULL;
	enum err	 e;
	int		 status;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:I, s?s}", "count",
	    &count, "unit", &unit) == -1)
		return reply_bad_body(out, &jerr,
		    "{\"count\": N, \"unit\"?: \"...\"}");
	if (unit != NULL && unit[0] == '\0')
		unit = NULL;
	if (unit != NULL) {
		if (!units_name(unit, uname))
			return reply_error(out, ERR_BAD_UNIT);
		unit = uname;
	}
	if (count < 1 || count > CODES_PER_REQUEST)
		return reply_error(out, ERR_CODES_PER_REQUEST);
	arr = json_array();
	if ((e = codes_issue(r->app, r->sess.username, r->ids[0], count,
	    unit, code_append, arr)) != ERR_OK) {
		status = reply_error(out, e);
		goto out;
	}
	status = reply_json(out, 201, json_pack("{s:I, s:s?, s:o}", "round",
	    (json_int_t)r->ids[0], "unit", unit, "tokens", arr));
	arr = NULL;	/* the reply owns it */
out:
	json_decref(arr);
	return status;
}

/*
 * PATCH /api/v1/admin/rounds/{id} {"title"?, "population"?, "archived"?}:
 * rename, correct the population, archive or restore (rounds_change).
 * 200 with the round; 400 bad body or none of the three; 404 unknown
 * round; 409 round_open to archive an open round; 422 bad title or
 * population.
 */
int
api_round_patch(struct req *r, struct reply *out)
{
	struct round_change	 ch;
	json_t			*pop = NULL, *arch = NULL;
	json_error_t		 jerr;
	struct round		 rd;
	enum err		 e;

	memset(&ch, 0, sizeof(ch));
	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s?s, s?o, s?o}",
	    "title", &ch.title, "population", &pop, "archived", &arch) == -1 ||
	    (pop != NULL && !json_is_integer(pop)) ||
	    (arch != NULL && !json_is_boolean(arch)))
		return reply_bad_body(out, &jerr, "{\"title\"?: \"...\", "
		    "\"population\"?: N, \"archived\"?: true|false}");
	if (ch.title == NULL && pop == NULL && arch == NULL)
		return reply_error(out, ERR_ROUND_PATCH);
	ch.has_population = pop != NULL;
	ch.population = pop != NULL ? (int64_t)json_integer_value(pop) : 0;
	ch.archived = arch != NULL ? json_is_true(arch) : -1;
	if ((e = rounds_change(r->app, r->sess.username, r->ids[0], &ch,
	    &rd)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, rounds_json(r->app, &rd));
}

/*
 * DELETE /api/v1/admin/rounds/{id}: delete a round that never received a
 * response (rounds_delete).  200 {"status": "deleted", "round": id}; 404
 * unknown round; 409 round_open, round_was_opened.
 */
int
api_round_delete(struct req *r, struct reply *out)
{
	enum err	e;

	if ((e = rounds_delete(r->app, r->sess.username, r->ids[0])) !=
	    ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, json_pack("{s:s, s:I}", "status",
	    "deleted", "round", (json_int_t)r->ids[0]));
}

/* The void of listed codes: the texts, then codes_void. */
static int
void_listed(struct req *r, struct reply *out, const json_t *codes)
{
	const char	**texts = NULL;
	size_t		 *unknown = NULL, n, nunknown = 0, i;
	const json_t	 *v;
	json_t		 *list;
	int64_t		  voided = 0;
	enum err	  e;
	int		  status;

	n = json_array_size(codes);
	if (n < 1 || n > CODES_VOID_PER_REQUEST)
		return reply_error(out, ERR_VOID_PER_REQUEST);
	texts = xcalloc(n, sizeof(*texts));
	unknown = xcalloc(n, sizeof(*unknown));
	json_array_foreach(codes, i, v) {
		if (!json_is_string(v)) {
			status = reply_error(out, ERR_VOID_BODY);
			goto out;
		}
		/* A NUL inside would cut the text: it is no code either. */
		texts[i] = strlen(json_string_value(v)) ==
		    json_string_length(v) ? json_string_value(v) : "";
	}
	e = codes_void(r->app, r->sess.username, r->ids[0], texts, n,
	    &voided, unknown, &nunknown);
	if (e == ERR_UNKNOWN_CODES) {
		status = reply_error(out, e);
		list = json_array();
		for (i = 0; i < nunknown; i++)
			json_array_append(list, json_array_get(codes,
			    unknown[i]));
		json_object_set_new(json_object_get(out->json, "error"),
		    "unknown", list);
	} else if (e != ERR_OK)
		status = reply_error(out, e);
	else
		status = reply_json(out, 200, json_pack("{s:s, s:I}",
		    "status", "voided", "voided", (json_int_t)voided));
out:
	free(texts);
	free(unknown);
	return status;
}

/*
 * POST /api/v1/admin/rounds/{id}/tokens/void, with {"codes": ["...",
 * ...]} (1 to CODES_VOID_PER_REQUEST slip codes, as typed) or
 * {"all_unused": true}.  Codes: 200 {"status": "voided", "voided": N},
 * N the distinct codes of the round listed, used or not alike, so the
 * answer never tells whether one had been used; 422 unknown_codes with
 * "unknown": [the texts that are not codes of this round] inside "error",
 * and nothing voided.  All unused: 200 {"status": "voided"}, without a
 * count (it would be the exact number of respondents).  Both: 400 bad
 * body, 404 unknown round, 422 not_internal or bad_count.
 */
int
api_tokens_void(struct req *r, struct reply *out)
{
	json_t		*codes = NULL;
	int		 all = 0;
	json_error_t	 jerr;
	enum err	 e;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s?o, s?b}", "codes",
	    &codes, "all_unused", &all) == -1)
		return reply_bad_body(out, &jerr, "{\"codes\": [\"...\"]} or "
		    "{\"all_unused\": true}");
	if ((codes != NULL) == (json_object_get(r->json, "all_unused") !=
	    NULL) || (codes != NULL && !json_is_array(codes)) ||
	    (codes == NULL && !all))
		return reply_error(out, ERR_VOID_BODY);
	if (codes != NULL)
		return void_listed(r, out, codes);
	if ((e = codes_void_unused(r->app, r->sess.username, r->ids[0])) !=
	    ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, json_pack("{s:s}", "status", "voided"));
}
