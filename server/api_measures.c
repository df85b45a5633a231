/* SPDX-License-Identifier: ISC */
/*
 * The working group's measures over HTTP, under /api/v1/admin/measures.
 * The rules are measures.c's; http.c has already checked the session,
 * the role and the CSRF header.  A measure that breaks a rule is 422
 * bad_measure with "fields": {"due": "no such day in that month", ...},
 * inside the error envelope and beside it, as invalid_answers has.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http.h"
#include "actions.h"
#include "measures.h"

/* 422 bad_measure with fields (stolen). */
static int
reply_fields(struct reply *out, json_t *fields)
{
	int	st = reply_error(out, ERR_BAD_MEASURE);

	if (fields == NULL)
		return st;
	json_object_set(json_object_get(out->json, "error"), "fields",
	    fields);
	json_object_set_new(out->json, "fields", fields);
	return st;
}

/*
 * The body's fields into in (strings borrowed from body); a field of the
 * wrong type or an unknown one goes into *fields.  0, or -1 with
 * *fields set (caller frees).
 */
static int
body_parse(json_t *body, struct measure_input *in, json_t **fields)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} texts[] = {
		{ "target", offsetof(struct measure_input, target) },
		{ "what", offsetof(struct measure_input, what) },
		{ "how", offsetof(struct measure_input, how) },
		{ "who", offsetof(struct measure_input, who) },
		{ "due", offsetof(struct measure_input, due) },
		{ "status", offsetof(struct measure_input, status) },
		{ "progress", offsetof(struct measure_input, progress) },
		{ "evidence", offsetof(struct measure_input, evidence) },
	};
	const char	*key;
	json_t		*v, *bad = json_object();
	size_t		 i;

	memset(in, 0, sizeof(*in));
	json_object_foreach(body, key, v) {
		if (strcmp(key, "fiscal_year") == 0) {
			if (!json_is_integer(v))
				json_object_set_new(bad, key, json_string(
				    "a whole number"));
			in->has_year = 1;
			in->year = json_integer_value(v);
			continue;
		}
		if (strcmp(key, "round") == 0) {
			if (!json_is_null(v) && (!json_is_integer(v) ||
			    json_integer_value(v) < 1))
				json_object_set_new(bad, key, json_string(
				    "a round id or null"));
			in->has_round = 1;
			in->round = json_is_integer(v) ?
			    json_integer_value(v) : 0;
			continue;
		}
		for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
			if (strcmp(key, texts[i].name) == 0)
				break;
		if (i == sizeof(texts) / sizeof(texts[0]))
			json_object_set_new(bad, strlen(key) <= 32 ? key :
			    "body", json_string("unknown field"));
		else if (!json_is_string(v))
			json_object_set_new(bad, key, json_string("text"));
		else
			*(const char **)(void *)((char *)in + texts[i].off) =
			    json_string_value(v);
	}
	if (json_object_size(bad) == 0) {
		json_decref(bad);
		*fields = NULL;
		return 0;
	}
	*fields = bad;
	return -1;
}

/* ?year=N (default: the current fiscal year).  0 or -1. */
static int
year_query(struct req *r, int64_t *year)
{
	const char	*q = req_query(r, "year");
	char		*end;
	long		 y;

	if (q == NULL) {
		*year = measures_fiscal_year((int64_t)time(NULL));
		return 0;
	}
	y = q[0] >= '1' && q[0] <= '9' ? strtol(q, &end, 10) : 0;
	if (y < MEASURE_YEAR_MIN || y > MEASURE_YEAR_MAX || *end != '\0')
		return -1;
	*year = y;
	return 0;
}

/*
 * GET /api/v1/admin/measures?year=N[&status=S]: the year's measures
 * (measures_list).  400 for a bad year or status.
 */
int
api_measures_list(struct req *r, struct reply *out)
{
	json_t		*doc;
	int64_t		 year;
	enum err	 e;

	if (year_query(r, &year) == -1)
		return reply_error(out, ERR_MEASURES_QUERY);
	if ((e = measures_list(r->app, year, req_query(r, "status"),
	    &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * GET /api/v1/admin/measures/export?year=N&format=csv|json: a download,
 * "measures-N.csv" (measures_csv) or "measures-N.json" (the list).
 */
int
api_measures_export(struct req *r, struct reply *out)
{
	const char	*format = req_query(r, "format");
	json_t		*doc = NULL;
	FILE		*tmp;
	int64_t		 year;
	enum err	 e;
	int		 csv, st;

	if (year_query(r, &year) == -1 || (format != NULL &&
	    strcmp(format, "csv") != 0 && strcmp(format, "json") != 0))
		return reply_error(out, ERR_MEASURES_QUERY);
	csv = format == NULL || strcmp(format, "csv") == 0;
	if ((tmp = tmpfile()) == NULL)
		return reply_error(out, ERR_UNAVAILABLE);
	if (csv)
		e = measures_csv(r->app, year, tmp);
	else if ((e = measures_list(r->app, year, NULL, &doc)) == ERR_OK) {
		if (json_dumpf(doc, tmp, JSON_INDENT(2)) == -1 ||
		    fputc('\n', tmp) == EOF)
			e = ERR_INTERNAL;
		json_decref(doc);
	}
	if (e != ERR_OK)
		st = reply_error(out, e);
	else
		st = reply_file(out, tmp, csv ? "text/csv; charset=utf-8" :
		    "application/json", xasprintf("measures-%lld.%s",
		    (long long)year, csv ? "csv" : "json"));
	fclose(tmp);
	return st;
}

/* GET /api/v1/admin/measures/targets: the picker's list (measures_targets). */
int
api_measures_targets(struct req *r, struct reply *out)
{
	json_t		*doc;
	enum err	 e;

	if ((e = measures_targets(r->app, &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/* GET /api/v1/admin/measures/{id}.  404. */
int
api_measure_get(struct req *r, struct reply *out)
{
	json_t		*doc;
	enum err	 e;

	if ((e = measures_get(r->app, r->ids[0], &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/*
 * POST /api/v1/admin/measures {"target", "what", "who", "due",
 * ["fiscal_year", "round", "how", "status", "progress", "evidence"]}:
 * 201 with the measure; 422 bad_measure (fields), too_many_measures.
 */
int
api_measures_post(struct req *r, struct reply *out)
{
	struct measure_input	 in;
	json_t			*fields, *doc;
	int64_t			 id;
	enum err		 e;

	if (body_parse(r->json, &in, &fields) == -1)
		return reply_fields(out, fields);
	if ((e = measures_add(r->app, r->sess.username, &in, &id,
	    &fields)) != ERR_OK) {
		if (e == ERR_BAD_MEASURE)
			return reply_fields(out, fields);
		return reply_error(out, e);
	}
	if ((e = measures_get(r->app, id, &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 201, doc);
}

/*
 * PATCH /api/v1/admin/measures/{id} with any of POST's fields: only
 * those change ("round": null unlinks the round).  200 with the
 * measure; 404; 422 bad_measure (fields; also for an empty body).
 */
int
api_measure_patch(struct req *r, struct reply *out)
{
	struct measure_input	 in;
	json_t			*fields, *doc;
	enum err		 e;

	if (body_parse(r->json, &in, &fields) == -1)
		return reply_fields(out, fields);
	if ((e = measures_change(r->app, r->sess.username, r->ids[0], &in,
	    &fields)) != ERR_OK) {
		if (e == ERR_BAD_MEASURE)
			return reply_fields(out, fields);
		return reply_error(out, e);
	}
	if ((e = measures_get(r->app, r->ids[0], &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}

/* DELETE /api/v1/admin/measures/{id}: 200 {"status": "deleted", "id"}. */
int
api_measure_delete(struct req *r, struct reply *out)
{
	enum err	e;

	if ((e = measures_delete(r->app, r->sess.username, r->ids[0])) !=
	    ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, json_pack("{s:s, s:I}", "status",
	    "deleted", "id", (json_int_t)r->ids[0]));
}
