/* SPDX-License-Identifier: ISC */
/*
 * What the console reads besides rounds and kiosks: the loaded forms,
 * the audit log, QR codes for slips and pairing, and the ITA overview
 * (ita.c does its arithmetic).
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "actions.h"
#include "audit.h"

/* GET /api/v1/admin/forms: the loaded forms. */
int
api_forms_list(struct req *r, struct reply *out)
{
	json_t			*arr = json_array();
	const struct form	*f;
	size_t			 i;

	for (i = 0; i < r->app->forms->nforms; i++) {
		f = r->app->forms->forms[i];
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, "
		    "s:{s:s, s:s}, s:I}", "id", f->id,
		    "instrument", f->instrument,
		    "audience", f->internal ? "internal" : "external",
		    "title", "th", f->title.th, "en", f->title.en,
		    "questions", (json_int_t)f->nquestions));
	}
	return reply_json(out, 200, json_pack("{s:o}", "forms", arr));
}

/*
 * The audit filter of r's query into q; csv set for format=csv.  Dates
 * and times as audit_time_parse() takes them.  -1 on a bad value.
 */
static int
audit_query_take(struct req *r, struct audit_query *q, int *csv)
{
	const char	*v;
	char		*ep;
	long long	 n;

	memset(q, 0, sizeof(*q));
	q->limit = AUDIT_PAGE_MAX;
	*csv = 0;
	if ((v = req_query(r, "from")) != NULL && *v != '\0' &&
	    audit_time_parse(v, 0, &q->from) == -1)
		return -1;
	if ((v = req_query(r, "to")) != NULL && *v != '\0' &&
	    audit_time_parse(v, 1, &q->to) == -1)
		return -1;
	if ((q->user = req_query(r, "user")) != NULL &&
	    strlen(q->user) > USERNAME_MAX)
		return -1;
	if ((q->action = req_query(r, "action")) != NULL &&
	    strlen(q->action) > AUDIT_ACTION_MAX)
		return -1;
	if ((v = req_query(r, "before")) != NULL && *v != '\0') {
		n = strtoll(v, &ep, 10);
		if (*ep != '\0' || n <= 0)
			return -1;
		q->before = n;
	}
	if ((v = req_query(r, "limit")) != NULL && *v != '\0') {
		n = strtoll(v, &ep, 10);
		if (*ep != '\0' || n < 1 || n > AUDIT_PAGE_MAX)
			return -1;
		q->limit = n;
	}
	if ((v = req_query(r, "format")) != NULL && strcmp(v, "csv") == 0) {
		*csv = 1;
		q->limit = AUDIT_CSV_MAX;
	} else if (v != NULL && strcmp(v, "json") != 0)
		return -1;
	return 0;
}

/* The CSV download of lines; the status. */
static int
audit_csv_reply(json_t *lines, struct reply *out)
{
	FILE	*f;
	int	 status;

	if ((f = tmpfile()) == NULL)
		return reply_error(out, ERR_UNAVAILABLE);
	audit_write_csv(f, lines);
	status = reply_file(out, f, "text/csv; charset=utf-8",
	    xstrdup("audit-log.csv"));
	fclose(f);
	return status;
}

/*
 * GET /api/v1/admin/audit?from=&to=&user=&action=&before=&limit=
 * &format=json|csv: the audit lines that match, newest first.  JSON:
 * {"audit": [{"id", "at", "user", "action", "detail", "facts", "text":
 * {"th", "en"}}], "more": true when older lines match too (ask again
 * with before= the last id)}; CSV: a download of up to AUDIT_CSV_MAX.
 */
int
api_audit_list(struct req *r, struct reply *out)
{
	struct audit_query	 q;
	json_t			*arr = NULL, *l;
	size_t			 i;
	int			 rc, csv, more;

	if (audit_query_take(r, &q, &csv) == -1)
		return reply_error(out, ERR_AUDIT_QUERY);
	q.limit++;		/* one more says whether there are more */
	db_lock(r->app->db);
	rc = db_audit_list(r->app->db, &q, &arr);
	db_unlock(r->app->db);
	if (rc == -1)
		return reply_error(out, ERR_INTERNAL);
	if ((more = json_array_size(arr) == (size_t)q.limit))
		json_array_remove(arr, json_array_size(arr) - 1);
	json_array_foreach(arr, i, l)
		json_object_set_new(l, "text", audit_text(json_string_value(
		    json_object_get(l, "action")), json_object_get(l, "facts"),
		    json_string_value(json_object_get(l, "detail"))));
	if (csv) {
		rc = audit_csv_reply(arr, out);
		json_decref(arr);
		return rc;
	}
	return reply_json(out, 200, json_pack("{s:o, s:b}", "audit", arr,
	    "more", more));
}

/*
 * POST /api/v1/admin/qr {"texts": ["...", ...]}: 200 {"svgs": [...]},
 * the QR code of each text as SVG, in order.  Changes nothing, so a
 * viewer may ask too.  400 bad body; 422 no texts, more than
 * QR_TEXTS_MAX, or a text empty, over QR_TEXT_MAX bytes or holding a NUL.
 * The body cap (BODY_MAX) bounds the work of one request.
 */
int
api_qr_post(struct req *r, struct reply *out)
{
	json_t		*texts = NULL, *svgs = NULL, *v;
	json_error_t	 jerr;
	struct buf	 b;
	size_t		 i;
	int		 status;

	buf_init(&b, QR_SVG_MAX);
	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:o}", "texts",
	    &texts) == -1 || !json_is_array(texts))
		return reply_bad_body(out, &jerr,
		    "{\"texts\": [\"...\", ...]}");
	if (json_array_size(texts) == 0 ||
	    json_array_size(texts) > QR_TEXTS_MAX)
		return reply_error(out, ERR_QR_COUNT);
	json_array_foreach(texts, i, v) {
		/* A NUL inside would be cut off by the encoder. */
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > QR_TEXT_MAX ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return reply_error(out, ERR_QR_TEXT);
	}
	svgs = json_array();
	json_array_foreach(texts, i, v) {
		buf_reset(&b);
		if (qr_svg(json_string_value(v), &b) == -1 ||
		    json_array_append_new(svgs, json_stringn(b.p, b.len)) ==
		    -1) {
			status = reply_error(out, ERR_INTERNAL);
			goto out;
		}
	}
	status = reply_json(out, 200, json_pack("{s:o}", "svgs", svgs));
	svgs = NULL;
out:
	json_decref(svgs);
	buf_free(&b);
	return status;
}

/* A positive round id from the query, or 0 when absent or malformed. */
static int64_t
query_id(struct req *r, const char *name)
{
	const char	*v = req_query(r, name);
	int64_t		 id = 0;
	size_t		 i;

	if (v == NULL || v[0] == '\0' || strlen(v) > 15)
		return 0;
	for (i = 0; v[i] != '\0'; i++) {
		if (v[i] < '0' || v[i] > '9')
			return 0;
		id = id * 10 + (v[i] - '0');
	}
	return id;
}

/*
 * GET /api/v1/admin/ita?iit=ROUND&eit=ROUND[&oit=SCORE]: the overall ITA
 * estimate (ita_overview) from the published indicator scores of an IIT
 * and an EIT round and the OIT score: the evidence desk's estimate, or,
 * given oit (0 to 100, two decimals), that score typed in as an override.
 * 200; 400 a round missing; 404 unknown round; 409 a round not published
 * yet; 422 a round of the wrong instrument, a bad OIT score, no OIT
 * score and no checklist to estimate one (no_oit), or weights that leave
 * nothing for OIT.
 */
int
api_ita_get(struct req *r, struct reply *out)
{
	json_t		*doc;
	int64_t		 iit, eit, oit;
	char		 msg[ERR_MESSAGE_MAX];
	enum err	 e;

	iit = query_id(r, "iit");
	eit = query_id(r, "eit");
	if (iit == 0 || eit == 0)
		return reply_error(out, ERR_ITA_QUERY);
	if (req_query(r, "oit") == NULL)
		oit = ITA_OIT_ESTIMATE;
	else if (ita_score_parse(req_query(r, "oit"), &oit) == -1)
		return reply_error(out, ERR_BAD_OIT);
	if ((e = ita_overview(r->app, iit, eit, oit, &doc, msg,
	    sizeof(msg))) != ERR_OK)
		return msg[0] != '\0' ? reply_error_msg(out, e, "%s", msg) :
		    reply_error(out, e);
	return reply_json(out, 200, doc);
}
