/* SPDX-License-Identifier: ISC */
/*
 * The administrators' side of the API: login and logout, rounds, access
 * codes, kiosks, scores, exports and the audit log.  http.c has already
 * checked the session, the role and the CSRF header for every route here
 * but login.  Every change is written to the audit log in the same
 * transaction.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "http.h"

#define TOKENS_PER_CALL	5000	/* codes one request may issue */
#define AUDIT_LIMIT	500	/* audit lines one request returns */

/*
 * Append an audit line for the session's user; caller holds the lock.
 * 0 or -1.
 */
static int
audit(struct req *r, const char *action, const char *fmt, long long id)
{
	char	detail[128];

	snprintf(detail, sizeof(detail), fmt, id);
	return db_audit(r->app->db, r->sess.username, action, detail);
}

/*
 * 1 when a browser says the request comes from another site: login is the
 * one state change without a CSRF token, and a page elsewhere could
 * otherwise log a visitor into an account of its choosing.  Clients that
 * send neither header (curl, scripts) are not browsers and pass.
 */
static int
cross_site(struct req *r)
{
	const char	*site = req_header(r, "Sec-Fetch-Site");
	const char	*origin = req_header(r, "Origin");
	const char	*host = req_header(r, "Host");
	const char	*p;

	if (site != NULL && strcmp(site, "cross-site") == 0)
		return 1;
	if (origin == NULL || strcmp(origin, "null") == 0)
		return origin != NULL;
	if ((p = strstr(origin, "://")) == NULL || host == NULL)
		return 1;
	return strcmp(p + 3, host) != 0;
}

/*
 * POST /api/v1/admin/login {"username", "password"}: 200 with the session
 * cookie (HttpOnly, SameSite=Strict) and {"csrf_token"}; 401 wrong user or
 * password; 403 from another site's page; 429 locked out or too many
 * attempts from this address.
 */
int
api_login_post(struct req *r, struct reply *out)
{
	const char	*user = NULL, *pw = NULL;
	char		 cookie[TOKEN_TEXT_MAX], csrf[TOKEN_TEXT_MAX];
	json_error_t	 jerr;
	int64_t		 wait;
	int		 rc;

	if (cross_site(r))
		return reply_error(out, 403, "forbidden",
		    "Log in from this server's own pages.");
	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:s, s:s}",
	    "username", &user, "password", &pw) == -1)
		return reply_error(out, 400, "bad_request",
		    "Send {\"username\": \"...\", \"password\": \"...\"}.");
	if ((wait = limit_check(LIMIT_LOGIN, r->client)) > 0) {
		out->retry_after = wait;
		return reply_error(out, 429, "rate_limited",
		    "Too many login attempts; try again later.");
	}
	limit_hit(LIMIT_LOGIN, r->client);
	if (strlen(user) > USERNAME_MAX || strlen(pw) > PASSWORD_MAX)
		return reply_error(out, 401, "unauthorized",
		    "Wrong user name or password.");
	rc = auth_login(r->app, user, pw, cookie, sizeof(cookie), csrf,
	    sizeof(csrf), &wait);
	if (rc == -1)
		return reply_error(out, 503, "unavailable",
		    "The server could not log you in right now.");
	if (rc == 2) {
		out->retry_after = wait;
		return reply_error(out, 429, "locked",
		    "Too many failed logins: this account is locked for a "
		    "while.");
	}
	if (rc == 0)
		return reply_error(out, 401, "unauthorized",
		    "Wrong user name or password.");
	out->cookie = xasprintf("ita_session=%s; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=%d%s", cookie, SESSION_TTL,
	    r->app->cfg.tls_cert != NULL ? "; Secure" : "");
	rc = reply_json(out, 200, json_pack("{s:s, s:s}",
	    "csrf_token", csrf, "username", user));
	sodium_memzero(cookie, sizeof(cookie));
	sodium_memzero(csrf, sizeof(csrf));
	return rc;
}

/* POST /api/v1/admin/logout: ends the session; 200. */
int
api_logout_post(struct req *r, struct reply *out)
{
	if (auth_logout(r->app, req_cookie(r, "ita_session")) == -1)
		return reply_error(out, 503, "unavailable",
		    "The server could not end the session right now.");
	out->cookie = xstrdup("ita_session=; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0");
	return reply_json(out, 200, json_pack("{s:s}", "status",
	    "logged_out"));
}

/* GET /api/v1/admin/me: who is logged in. */
int
api_me_get(struct req *r, struct reply *out)
{
	return reply_json(out, 200, json_pack("{s:s, s:s, s:I}",
	    "username", r->sess.username,
	    "role", r->sess.is_admin ? "admin" : "viewer",
	    "expires_at", (json_int_t)r->sess.expires_at));
}

/* GET /api/v1/admin/forms: the loaded forms. */
int
api_forms_list(struct req *r, struct reply *out)
{
	json_t	*arr = json_array();
	size_t	 i;
	const struct form *f;

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

/* GET /api/v1/admin/rounds: {"rounds": [...]} by id. */
int
api_rounds_list(struct req *r, struct reply *out)
{
	struct round	*rs = NULL;
	size_t		 n = 0, i;
	json_t		*arr;
	int		 rc;

	db_lock(r->app->db);
	rc = db_round_list(r->app->db, &rs, &n);
	db_unlock(r->app->db);
	if (rc == -1)
		return reply_error(out, 500, "internal",
		    "The server could not list the rounds.");
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, round_to_json(&rs[i],
		    formset_get(r->app->forms, rs[i].form_id)));
	free(rs);
	return reply_json(out, 200, json_pack("{s:o}", "rounds", arr));
}

/* GET /api/v1/admin/rounds/{id}: one round; 404 unknown. */
int
api_round_get(struct req *r, struct reply *out)
{
	struct round	rd;
	int		rc;

	db_lock(r->app->db);
	rc = db_round_get(r->app->db, r->ids[0], &rd);
	db_unlock(r->app->db);
	if (rc == -1)
		return reply_error(out, 500, "internal",
		    "The server could not read the round.");
	if (rc == 0)
		return reply_error(out, 404, "not_found", "No such round.");
	return reply_json(out, 200, round_to_json(&rd,
	    formset_get(r->app->forms, rd.form_id)));
}

/*
 * POST /api/v1/admin/rounds {"form", "title", "population"?, "public"?}:
 * 201 with the new (closed) round; 400 bad body; 422 unknown form, bad
 * title or population.
 */
int
api_rounds_post(struct req *r, struct reply *out)
{
	const char		*form = NULL, *title = NULL;
	json_int_t		 pop = 0;
	int			 pub = 0, rc;
	json_error_t		 jerr;
	const struct form	*f;
	struct round		 rd;
	int64_t			 id;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:s, s:s, s?I, s?b}",
	    "form", &form, "title", &title, "population", &pop, "public",
	    &pub) == -1)
		return reply_error(out, 400, "bad_request",
		    "Send {\"form\", \"title\", \"population\"?, "
		    "\"public\"?}.");
	if ((f = formset_get(r->app->forms, form)) == NULL)
		return reply_error(out, 422, "unknown_form",
		    "There is no form with that id.");
	if (title[0] == '\0' || strlen(title) > TITLE_MAX)
		return reply_error(out, 422, "bad_title",
		    "The title must be 1 to 300 bytes.");
	if (pop < 0 || pop > 100000000)
		return reply_error(out, 422, "bad_population",
		    "The population must be 0 to 100,000,000.");
	if (pub && f->internal)
		return reply_error(out, 422, "bad_public",
		    "Only rounds of external forms can be public.");
	db_lock(r->app->db);
	rc = -1;
	if (db_tx_begin(r->app->db) == 0) {
		if (db_round_insert(r->app->db, f->id, title, pop, pub,
		    f->min_cell, &id) == 0 &&
		    audit(r, "round.create", "round %lld", id) == 0 &&
		    db_tx_commit(r->app->db) == 0)
			rc = db_round_get(r->app->db, id, &rd);
		else
			db_tx_rollback(r->app->db);
	}
	db_unlock(r->app->db);
	if (rc != 1)
		return reply_error(out, 503, "unavailable",
		    "The server could not save the round right now.");
	return reply_json(out, 201, round_to_json(&rd, f));
}

static int
round_set(struct req *r, struct reply *out, int open)
{
	struct round	rd;
	int		rc = -1;

	db_lock(r->app->db);
	if (db_tx_begin(r->app->db) == 0) {
		rc = db_round_set_open(r->app->db, r->ids[0], open);
		if (rc == 1 && (audit(r, open ? "round.open" : "round.close",
		    "round %lld", r->ids[0]) == -1 ||
		    db_tx_commit(r->app->db) == -1))
			rc = -1;
		if (rc != 1)
			db_tx_rollback(r->app->db);
		if (rc == 1)
			rc = db_round_get(r->app->db, r->ids[0], &rd);
	}
	db_unlock(r->app->db);
	if (rc == 0)
		return reply_error(out, 404, "not_found", "No such round.");
	if (rc != 1)
		return reply_error(out, 503, "unavailable",
		    "The server could not save the change right now.");
	return reply_json(out, 200, round_to_json(&rd,
	    formset_get(r->app->forms, rd.form_id)));
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
	json_t	*doc;
	int	 status;

	if ((doc = scores_for_round(r->app, r->ids[0], &status)) == NULL)
		return status == 404 ?
		    reply_error(out, 404, "not_found", "No such round.") :
		    reply_error(out, 500, "internal",
		    "The server could not compute the scores.");
	return reply_json(out, 200, doc);
}

/*
 * GET /api/v1/admin/rounds/{id}/export?what=scores|responses&
 * format=csv|json|xlsx: a download, written to an unlinked temporary file
 * so memory does not grow with the round.  400 bad query, 404 unknown
 * round, 409 responses of an open or too small round.
 */
int
api_export_get(struct req *r, struct reply *out)
{
	enum export_what	 what;
	enum export_format	 fmt;
	FILE			*f;
	long			 len;
	int			 rc;
	char			 detail[64];

	if (export_parse(req_query(r, "what"), req_query(r, "format"), &what,
	    &fmt) == -1)
		return reply_error(out, 400, "bad_request",
		    "Use ?what=scores|responses&format=csv|json|xlsx.");
	if ((f = tmpfile()) == NULL)
		return reply_error(out, 503, "unavailable",
		    "The server has no room for the export.");
	rc = export_write(r->app, r->ids[0], what, fmt, f);
	if (rc != 0) {
		fclose(f);
		if (rc == 404)
			return reply_error(out, 404, "not_found",
			    "No such round.");
		if (rc == 409)
			return reply_error(out, 409, "not_exportable",
			    "Responses can be exported once the round is "
			    "closed and has at least min_cell respondents.");
		return reply_error(out, 500, "internal",
		    "The server could not write the export.");
	}
	if ((len = ftell(f)) < 0 || (out->fd = dup(fileno(f))) == -1) {
		fclose(f);
		return reply_error(out, 500, "internal",
		    "The server could not write the export.");
	}
	fclose(f);
	if (lseek(out->fd, 0, SEEK_SET) == -1)
		return reply_error(out, 500, "internal",
		    "The server could not write the export.");
	out->fdlen = (uint64_t)len;
	out->ctype = export_mime(fmt);
	out->filename = xasprintf("round-%lld-%s.%s", (long long)r->ids[0],
	    what == EXPORT_SCORES ? "scores" : "responses", export_ext(fmt));
	snprintf(detail, sizeof(detail), "round %%lld %s %s",
	    what == EXPORT_SCORES ? "scores" : "responses", export_ext(fmt));
	/* No export leaves without its audit line. */
	db_lock(r->app->db);
	rc = audit(r, "export", detail, r->ids[0]);
	db_unlock(r->app->db);
	if (rc == -1)
		return reply_error(out, 503, "unavailable",
		    "The server cannot record the export right now.");
	return 200;
}

/*
 * POST /api/v1/admin/rounds/{id}/tokens {"count": N}: 201 {"tokens":
 * [...]} shown once; 404 unknown round; 422 not an internal round or a
 * count outside 1..5000.
 */
int
api_tokens_post(struct req *r, struct reply *out)
{
	json_int_t		 count = 0;
	json_error_t		 jerr;
	struct round		 rd;
	const struct form	*f;
	json_t			*arr;
	char			 tok[TOKEN_TEXT_MAX], canon[TOKEN_CHARS + 1];
	unsigned char		 h[HASH_BYTES];
	json_int_t		 i;
	int			 rc;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:I}", "count",
	    &count) == -1)
		return reply_error(out, 400, "bad_request",
		    "Send {\"count\": N}.");
	if (count < 1 || count > TOKENS_PER_CALL)
		return reply_error(out, 422, "bad_count",
		    "Issue 1 to 5000 codes at a time.");
	db_lock(r->app->db);
	rc = db_round_get(r->app->db, r->ids[0], &rd);
	if (rc != 1) {
		db_unlock(r->app->db);
		return rc == 0 ? reply_error(out, 404, "not_found",
		    "No such round.") : reply_error(out, 500, "internal",
		    "The server could not read the round.");
	}
	f = formset_get(r->app->forms, rd.form_id);
	if (f == NULL || !f->internal) {
		db_unlock(r->app->db);
		return reply_error(out, 422, "not_internal",
		    "Access codes are for rounds of internal forms.");
	}
	arr = json_array();
	rc = db_tx_begin(r->app->db);
	for (i = 0; rc == 0 && i < count; i++) {
		token_new(tok, sizeof(tok), TOKEN_BYTES);
		if (token_parse(tok, canon, sizeof(canon), TOKEN_CHARS) == -1)
			rc = -1;
		token_hash(r->app->secret, TOKEN_ACCESS, rd.id, canon, h);
		if (rc == 0 && db_token_insert(r->app->db, rd.id, h) == -1)
			rc = -1;
		json_array_append_new(arr, json_string(tok));
	}
	if (rc == 0 && (db_round_add_tokens(r->app->db, rd.id, count) == -1 ||
	    audit(r, "tokens.issue", "round %lld", rd.id) == -1 ||
	    db_tx_commit(r->app->db) == -1))
		rc = -1;
	if (rc == -1)
		db_tx_rollback(r->app->db);
	db_unlock(r->app->db);
	sodium_memzero(tok, sizeof(tok));
	sodium_memzero(canon, sizeof(canon));
	if (rc == -1) {
		json_decref(arr);
		return reply_error(out, 503, "unavailable",
		    "The server could not store the codes.");
	}
	return reply_json(out, 201, json_pack("{s:I, s:o}", "round",
	    (json_int_t)rd.id, "tokens", arr));
}

static json_t *
kiosk_json(const struct kiosk *k)
{
	return json_pack("{s:I, s:I, s:s, s:b, s:I, s:s?, s:I}",
	    "id", (json_int_t)k->id, "round", (json_int_t)k->round_id,
	    "name", k->name, "revoked", k->revoked,
	    "responses", (json_int_t)k->responses,
	    "last_seen_day", k->last_seen_day[0] == '\0' ? NULL :
	    k->last_seen_day, "created_at", (json_int_t)k->created_at);
}

/* GET /api/v1/admin/rounds/{id}/kiosks: {"kiosks": [...]}; 404. */
int
api_kiosks_list(struct req *r, struct reply *out)
{
	struct round	 rd;
	struct kiosk	*ks = NULL;
	size_t		 n = 0, i;
	json_t		*arr;
	int		 rc;

	db_lock(r->app->db);
	rc = db_round_get(r->app->db, r->ids[0], &rd);
	if (rc == 1 && db_kiosk_list(r->app->db, r->ids[0], &ks, &n) == -1)
		rc = -1;
	db_unlock(r->app->db);
	if (rc == 0)
		return reply_error(out, 404, "not_found", "No such round.");
	if (rc == -1)
		return reply_error(out, 500, "internal",
		    "The server could not list the kiosks.");
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, kiosk_json(&ks[i]));
	free(ks);
	return reply_json(out, 200, json_pack("{s:o}", "kiosks", arr));
}

static int
name_ok(const char *name)
{
	size_t	i, len = strlen(name);

	if (len == 0 || len > NAME_MAX_LEN)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return 0;
	return 1;
}

/*
 * POST /api/v1/admin/rounds/{id}/kiosks {"name"}: 201 {"kiosk", "key"},
 * the key shown once; 404 unknown round; 422 not an external round or a
 * bad name.
 */
int
api_kiosks_post(struct req *r, struct reply *out)
{
	const char		*name = NULL;
	json_error_t		 jerr;
	struct round		 rd;
	struct kiosk		 k;
	const struct form	*f;
	char			 key[TOKEN_TEXT_MAX], canon[KIOSK_CHARS + 1];
	unsigned char		 h[HASH_BYTES];
	int64_t			 id = 0;
	int			 rc;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:s}", "name",
	    &name) == -1)
		return reply_error(out, 400, "bad_request",
		    "Send {\"name\": \"...\"}.");
	if (!name_ok(name))
		return reply_error(out, 422, "bad_name",
		    "The name must be 1 to 100 bytes of text.");
	db_lock(r->app->db);
	if ((rc = db_round_get(r->app->db, r->ids[0], &rd)) != 1) {
		db_unlock(r->app->db);
		return rc == 0 ? reply_error(out, 404, "not_found",
		    "No such round.") : reply_error(out, 500, "internal",
		    "The server could not read the round.");
	}
	f = formset_get(r->app->forms, rd.form_id);
	if (f == NULL || f->internal) {
		db_unlock(r->app->db);
		return reply_error(out, 422, "not_external",
		    "Kiosks are for rounds of external forms.");
	}
	token_new(key, sizeof(key), KIOSK_BYTES);
	rc = token_parse(key, canon, sizeof(canon), KIOSK_CHARS);
	token_hash(r->app->secret, TOKEN_KIOSK, 0, canon, h);
	if (rc == 0 && db_tx_begin(r->app->db) == 0) {
		if (db_kiosk_insert(r->app->db, rd.id, name, h, &id) == 0 &&
		    audit(r, "kiosk.add", "kiosk %lld", id) == 0 &&
		    db_tx_commit(r->app->db) == 0)
			rc = db_kiosk_get(r->app->db, id, &k) == 1 ? 1 : -1;
		else {
			db_tx_rollback(r->app->db);
			rc = -1;
		}
	} else
		rc = -1;
	db_unlock(r->app->db);
	if (rc != 1) {
		sodium_memzero(key, sizeof(key));
		return reply_error(out, 503, "unavailable",
		    "The server could not save the kiosk right now.");
	}
	rc = reply_json(out, 201, json_pack("{s:o, s:s}", "kiosk",
	    kiosk_json(&k), "key", key));
	sodium_memzero(key, sizeof(key));
	sodium_memzero(canon, sizeof(canon));
	return rc;
}

/*
 * PATCH /api/v1/admin/kiosks/{id} {"name"?, "revoked"?}: rename or
 * revoke (a revoked kiosk's submissions get 403).  200 with the kiosk;
 * 404; 422 bad name.
 */
int
api_kiosk_patch(struct req *r, struct reply *out)
{
	const char	*name = NULL;
	int		 revoked = -1, rc = -1;
	json_t		*rv = NULL;
	json_error_t	 jerr;
	struct kiosk	 k;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s?s, s?o}", "name",
	    &name, "revoked", &rv) == -1 || (rv != NULL &&
	    !json_is_boolean(rv)))
		return reply_error(out, 400, "bad_request",
		    "Send {\"name\"?: \"...\", \"revoked\"?: true}.");
	if (rv != NULL)
		revoked = json_is_true(rv);
	if (name != NULL && !name_ok(name))
		return reply_error(out, 422, "bad_name",
		    "The name must be 1 to 100 bytes of text.");
	db_lock(r->app->db);
	if (db_tx_begin(r->app->db) == 0) {
		rc = db_kiosk_set(r->app->db, r->ids[0], name, revoked);
		if (rc == 1 && (audit(r, revoked == 1 ? "kiosk.revoke" :
		    "kiosk.change", "kiosk %lld", r->ids[0]) == -1 ||
		    db_tx_commit(r->app->db) == -1))
			rc = -1;
		if (rc != 1)
			db_tx_rollback(r->app->db);
		else
			rc = db_kiosk_get(r->app->db, r->ids[0], &k);
	}
	db_unlock(r->app->db);
	if (rc == 0)
		return reply_error(out, 404, "not_found", "No such kiosk.");
	if (rc != 1)
		return reply_error(out, 503, "unavailable",
		    "The server could not save the change right now.");
	return reply_json(out, 200, kiosk_json(&k));
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
		return reply_error(out, 500, "internal",
		    "The server could not read the audit log.");
	return reply_json(out, 200, json_pack("{s:o}", "audit", arr));
}

/*
 * POST /api/v1/admin/qr {"texts": ["...", ...]}: 200 {"svgs": [...]},
 * the QR code of each text as SVG, in order.  Changes nothing, so a
 * viewer may ask too.  400 bad body; 422 no texts, more than
 * QR_TEXTS_MAX, or a text empty, over QR_TEXT_MAX bytes or holding a NUL.
 * The body cap (64 KiB) bounds the work of one request.
 */
int
api_qr_post(struct req *r, struct reply *out)
{
	json_t		*texts = NULL, *svgs = NULL, *v;
	json_error_t	 jerr;
	struct buf	 b;
	const char	*s;
	size_t		 i;
	int		 status;

	buf_init(&b, QR_SVG_MAX);
	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:o}", "texts",
	    &texts) == -1 || !json_is_array(texts))
		return reply_error(out, 400, "bad_request",
		    "Send {\"texts\": [\"...\", ...]}.");
	if (json_array_size(texts) == 0 ||
	    json_array_size(texts) > QR_TEXTS_MAX)
		return reply_error(out, 422, "bad_texts",
		    "Ask for 1 to 500 QR codes at a time.");
	json_array_foreach(texts, i, v) {
		/* A NUL inside would be cut off by the encoder. */
		if (!json_is_string(v) || json_string_length(v) == 0 ||
		    json_string_length(v) > QR_TEXT_MAX ||
		    strlen(json_string_value(v)) != json_string_length(v))
			return reply_error(out, 422, "bad_texts",
			    "Each text must be 1 to 512 bytes.");
	}
	svgs = json_array();
	json_array_foreach(texts, i, v) {
		s = json_string_value(v);
		buf_reset(&b);
		if (qr_svg(s, &b) == -1 || json_array_append_new(svgs,
		    json_stringn(b.p, b.len)) == -1) {
			status = reply_error(out, 500, "internal",
			    "The server could not make the QR codes.");
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

/*
 * The overall ITA estimate: the weighted mean of n indicator scores
 * (hundredths, 0..10000) with their forms' weights, and of the OIT score
 * oit, whose weight is what the indicators leave of ITA_WEIGHT_TOTAL
 * (ITA.md: 30 IIT + 30 EIT leave OIT 40).  Rounds half up through
 * score_weighted().  Returns 0 with *oit_weight and *overall set, or -1
 * when n is 0 or over ITA_PARTS_MAX - 1, a score is out of range, a
 * weight is negative, or the weights leave nothing for OIT.
 */
int
ita_overall(const int64_t *scores, const int64_t *weights, size_t n,
    int64_t oit, int64_t *oit_weight, int64_t *overall)
{
	int64_t	s[ITA_PARTS_MAX], w[ITA_PARTS_MAX], sum = 0;
	size_t	i;

	*oit_weight = *overall = 0;
	if (n == 0 || n >= ITA_PARTS_MAX || oit < 0 || oit > 10000)
		return -1;
	for (i = 0; i < n; i++) {
		if (scores[i] < 0 || scores[i] > 10000 || weights[i] < 0 ||
		    weights[i] > ITA_WEIGHT_TOTAL)
			return -1;
		s[i] = scores[i];
		w[i] = weights[i];
		sum += weights[i];
	}
	if (sum >= ITA_WEIGHT_TOTAL)
		return -1;
	s[n] = oit;
	w[n] = ITA_WEIGHT_TOTAL - sum;
	*oit_weight = w[n];
	*overall = score_weighted(s, w, n + 1);
	return 0;
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
 * A score typed by a person, "69.23", "69.2" or "69", to hundredths.
 * Returns 0, or -1 unless it is 0 to 100 with at most two decimals.
 */
static int
score_parse(const char *v, int64_t *out)
{
	int64_t	whole = 0, frac = 0;
	size_t	i = 0, nd = 0, nf = 0;

	*out = 0;
	if (v == NULL)
		return -1;
	for (; v[i] >= '0' && v[i] <= '9' && nd < 4; i++, nd++)
		whole = whole * 10 + (v[i] - '0');
	if (nd == 0)
		return -1;
	if (v[i] == '.')
		for (i++; v[i] >= '0' && v[i] <= '9' && nf < 3; i++, nf++)
			frac = frac * 10 + (v[i] - '0');
	if (v[i] != '\0' || nf > 2 || (v[nd] == '.' && nf == 0))
		return -1;
	*out = whole * 100 + (nf == 1 ? frac * 10 : frac);
	return *out <= 10000 ? 0 : -1;
}

/* One instrument's part of the ITA overview, read from its scores. */
struct ita_round {
	json_t			*doc;	/* scores document, owned */
	const struct form	*f;	/* borrowed from app->forms */
};

/*
 * Read the published scores of round id, which must be of instrument
 * want.  Returns 0, or an HTTP status with the error set in out.
 */
static int
ita_round_get(struct req *r, struct reply *out, const char *want,
    int64_t id, struct ita_round *ir)
{
	char		 msg[256];
	int		 status;
	size_t		 i;
	json_t		*ind;
	const char	*instrument;

	if ((ir->doc = scores_for_round(r->app, id, &status)) == NULL) {
		if (status != 404)
			return reply_error(out, 500, "internal",
			    "The server could not compute the scores.");
		snprintf(msg, sizeof(msg), "There is no round %lld to use "
		    "as the %s.", (long long)id, want);
		return reply_error(out, 404, "not_found", msg);
	}
	instrument = json_string_value(json_object_get(ir->doc,
	    "instrument"));
	ir->f = formset_get(r->app->forms,
	    json_string_value(json_object_get(ir->doc, "form")));
	if (instrument == NULL || ir->f == NULL ||
	    strcmp(instrument, want) != 0) {
		snprintf(msg, sizeof(msg), "Round %lld is not an %s round.",
		    (long long)id, want);
		return reply_error(out, 422, "wrong_instrument", msg);
	}
	if (!json_is_true(json_object_get(ir->doc, "published"))) {
		snprintf(msg, sizeof(msg), "The %s round %lld has %lld "
		    "respondents: its scores are published from %lld.", want,
		    (long long)id, (long long)json_integer_value(
		    json_object_get(ir->doc, "respondents")),
		    (long long)ir->f->min_cell);
		return reply_error(out, 409, "not_published", msg);
	}
	json_array_foreach(json_object_get(ir->doc, "indicators"), i, ind)
		if (!json_is_number(json_object_get(ind, "score"))) {
			snprintf(msg, sizeof(msg), "Indicator %s of the %s "
			    "round %lld has no answers yet.",
			    json_string_value(json_object_get(ind, "code")),
			    want, (long long)id);
			return reply_error(out, 409, "not_published", msg);
		}
	return 0;
}

/* The round's line of the overview (caller owns). */
static json_t *
ita_round_json(const struct ita_round *ir)
{
	return json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}",
	    "round", json_object_get(ir->doc, "round"),
	    "title", json_object_get(ir->doc, "title"),
	    "form", json_object_get(ir->doc, "form"),
	    "respondents", json_object_get(ir->doc, "respondents"),
	    "score", json_object_get(ir->doc, "score"),
	    "grade", json_object_get(ir->doc, "grade"));
}

/*
 * GET /api/v1/admin/ita?iit=ROUND&eit=ROUND&oit=SCORE: the overall ITA
 * estimate from the published indicator scores of an IIT and an EIT
 * round and an OIT score typed in (0 to 100, two decimals), weighted by
 * the forms' indicator weights, OIT taking the rest of 100
 * (ita_overall).  The grade bands and target are the IIT form's.  200
 * {"iit", "eit", "oit", "indicators": [... , OIT], "score", "grade",
 * "target", "meets_target"}; 400 a parameter missing; 404 unknown
 * round; 409 a round not published yet; 422 a round of the wrong
 * instrument, a bad OIT score, or weights that leave nothing for OIT.
 */
int
api_ita_get(struct req *r, struct reply *out)
{
	struct ita_round	 parts[2];
	static const char *const names[2] = { "IIT", "EIT" };
	int64_t			 ids[2], scores[ITA_PARTS_MAX];
	int64_t			 weights[ITA_PARTS_MAX], oit, oitw, overall;
	json_t			*inds = NULL, *ind, *o;
	const char		*grade;
	size_t			 i, j, n = 0;
	int			 status;

	memset(parts, 0, sizeof(parts));
	ids[0] = query_id(r, "iit");
	ids[1] = query_id(r, "eit");
	if (ids[0] == 0 || ids[1] == 0 || req_query(r, "oit") == NULL) {
		status = reply_error(out, 400, "bad_request",
		    "Use ?iit=ROUND&eit=ROUND&oit=SCORE.");
		goto out;
	}
	if (score_parse(req_query(r, "oit"), &oit) == -1) {
		status = reply_error(out, 422, "bad_oit",
		    "The OIT score must be 0 to 100 with at most two "
		    "decimals.");
		goto out;
	}
	for (i = 0; i < 2; i++)
		if ((status = ita_round_get(r, out, names[i], ids[i],
		    &parts[i])) != 0)
			goto out;
	inds = json_array();
	for (i = 0; i < 2; i++)
		json_array_foreach(json_object_get(parts[i].doc,
		    "indicators"), j, ind) {
			/* Forms have at most 32 indicators (forms check). */
			if (n + 1 >= ITA_PARTS_MAX)
				break;
			/* The doubles are the nearest to hundredths. */
			scores[n] = (int64_t)(json_number_value(
			    json_object_get(ind, "score")) * 100.0 + 0.5);
			weights[n++] = json_integer_value(
			    json_object_get(ind, "weight"));
			json_array_append_new(inds, json_pack("{s:O, s:s, "
			    "s:O, s:O, s:O}", "code", json_object_get(ind,
			    "code"), "instrument", names[i], "name",
			    json_object_get(ind, "name"), "score",
			    json_object_get(ind, "score"), "weight",
			    json_object_get(ind, "weight")));
		}
	if (ita_overall(scores, weights, n, oit, &oitw, &overall) == -1) {
		status = reply_error(out, 422, "bad_weights",
		    "The forms' indicator weights leave no weight for OIT.");
		goto out;
	}
	grade = score_grade(parts[0].f, overall);
	o = json_pack("{s:s, s:s, s:f, s:I}", "code", "OIT",
	    "instrument", "OIT", "score", score_to_double(oit),
	    "weight", (json_int_t)oitw);
	json_array_append_new(inds, o);
	status = reply_json(out, 200, json_pack("{s:o, s:o, s:{s:f, s:I}, "
	    "s:O, s:f, s:s?, s:O, s:b}",
	    "iit", ita_round_json(&parts[0]),
	    "eit", ita_round_json(&parts[1]),
	    "oit", "score", score_to_double(oit), "weight", (json_int_t)oitw,
	    "indicators", inds,
	    "score", score_to_double(overall),
	    "grade", grade,
	    "target", json_object_get(parts[0].doc, "target"),
	    "meets_target", overall >= parts[0].f->target));
out:
	json_decref(inds);
	json_decref(parts[0].doc);
	json_decref(parts[1].doc);
	return status;
}
