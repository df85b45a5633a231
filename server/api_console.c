/* SPDX-License-Identifier: ISC */
/*
 * What the console reads besides rounds and kiosks: the loaded forms,
 * the audit log, QR codes for slips and pairing, and the ITA overview
 * (ita.c does its arithmetic).
 */
#include <string.h>

#include "http.h"
#include "actions.h"

#define AUDIT_LIMIT	500	/* audit lines one request returns */

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

/* GET /api/v1/admin/audit: {"audit": [newest first, at most 500]}. */
int
api_audit_list(struct req *r, struct reply *out)
{
	json_t	*arr = NULL;
	int	 rc;

	db_lock(r->app->db);
	rc = db_audit_list(r->app->db, AUDIT_LIMIT, &arr);
	db_unlock(r->app->db);
	if (rc == -1)
		return reply_error(out, ERR_INTERNAL);
	return reply_json(out, 200, json_pack("{s:o}", "audit", arr));
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
 * GET /api/v1/admin/ita?iit=ROUND&eit=ROUND&oit=SCORE: the overall ITA
 * estimate (ita_overview) from the published indicator scores of an IIT
 * and an EIT round and an OIT score typed in (0 to 100, two decimals).
 * 200; 400 a parameter missing; 404 unknown round; 409 a round not
 * published yet; 422 a round of the wrong instrument, a bad OIT score,
 * or weights that leave nothing for OIT.
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
	if (iit == 0 || eit == 0 || req_query(r, "oit") == NULL)
		return reply_error(out, ERR_ITA_QUERY);
	if (ita_score_parse(req_query(r, "oit"), &oit) == -1)
		return reply_error(out, ERR_BAD_OIT);
	if ((e = ita_overview(r->app, iit, eit, oit, &doc, msg,
	    sizeof(msg))) != ERR_OK)
		return msg[0] != '\0' ? reply_error_msg(out, e, "%s", msg) :
		    reply_error(out, e);
	return reply_json(out, 200, doc);
}
