/* SPDX-License-Identifier: ISC */
/*
 * The respondents' side of the API: health, the public form document,
 * checking an access code, a kiosk asking who it is, and storing a
 * response.  Storing is one transaction: the token is marked used, the
 * answers stored under a random id, the counts bumped, the published
 * snapshot refreshed every min_cell responses, and the submission's hash
 * recorded, all committed before 201 is sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "http.h"

/* GET /healthz: 200 {"status": "ok"} once the database answers. */
int
api_health_get(struct req *r, struct reply *out)
{
	int64_t	v;
	int	rc;

	db_lock(r->app->db);
	rc = db_user_version(r->app->db, &v);
	db_unlock(r->app->db);
	if (rc == -1)
		return reply_error(out, ERR_DB_UNAVAILABLE);
	return reply_json(out, 200, json_pack("{s:s}", "status", "ok"));
}

/*
 * Look up the round of the request's path and its form, with the database
 * locked by the caller.  ERR_OK, ERR_NO_ROUND, ERR_FORM_MISSING,
 * ERR_INTERNAL.
 */
static enum err
round_and_form(struct req *r, struct round *rd, const struct form **f)
{
	int	rc;

	*f = NULL;
	if ((rc = db_round_get(r->app->db, r->ids[0], rd)) != 1)
		return rc == 0 ? ERR_NO_ROUND : ERR_INTERNAL;
	if ((*f = formset_get(r->app->forms, rd->form_id)) == NULL) {
		log_err("round %lld: form %s is not loaded",
		    (long long)rd->id, rd->form_id);
		return ERR_FORM_MISSING;
	}
	return ERR_OK;
}

/*
 * GET /api/v1/rounds/{id}/form: the questionnaire of an open round, for
 * respondents: no points, no reverse flags.  404 unknown, 410 not open.
 * Made once per round and kept (formdoc.c); gzip, ETag and 304 as the
 * request allows (reply_prepared).
 */
int
api_form_get(struct req *r, struct reply *out)
{
	struct prepared	*doc;
	enum err	 e;

	if ((e = formdoc_get(r->app, r->ids[0], &doc)) != ERR_OK)
		return reply_error(out, e);
	return reply_prepared(r, out, doc);
}

/*
 * Find the kiosk of "Authorization: Kiosk KEY".  ERR_OK with *found 1 and
 * k filled (not revoked), ERR_OK with *found 0 when there is no such
 * header, ERR_KIOSK_KEY when the key is malformed, unknown or revoked,
 * ERR_INTERNAL on a database error.  Caller holds the database lock.
 */
static enum err
kiosk_from_header(struct req *r, struct kiosk *k, int *found)
{
	const char	*h = req_header(r, "Authorization");
	char		 canon[KIOSK_CHARS + 1];
	unsigned char	 hash[HASH_BYTES];
	int		 rc;

	*found = 0;
	if (h == NULL)
		return ERR_OK;
	if (strncasecmp(h, "Kiosk ", 6) != 0 ||
	    token_parse(h + 6, canon, sizeof(canon), KIOSK_CHARS) == -1)
		return ERR_KIOSK_KEY;
	token_hash(r->app->secret, TOKEN_KIOSK, 0, canon, hash);
	if ((rc = db_kiosk_by_key(r->app->db, hash, k)) == -1)
		return ERR_INTERNAL;
	if (rc == 0 || k->revoked)
		return ERR_KIOSK_KEY;
	*found = 1;
	return ERR_OK;
}

/* The who-may-answer outcome of a request. */
struct gate {
	unsigned char	token[HASH_BYTES]; /* internal: the token's hash */
	int64_t		kiosk;		/* external via kiosk: its id */
	int64_t		unit;		/* the kiosk's unit, or 0 */
	int64_t		retry_after;	/* with a rate limit's error */
};

/*
 * A wrong access code or kiosk key from this request's address: counted
 * against the address's limit of wrong guesses.  e (the reason it is
 * wrong) is the answer while under the limit, 429 once over it.
 */
static enum err
wrong_guess(struct req *r, int64_t *retry_after, enum err e)
{
	if ((*retry_after = limit_check(LIMIT_GUESS, r->client)) > 0)
		return ERR_CODE_RATE;
	limit_hit(LIMIT_GUESS, r->client);
	return e;
}

/*
 * Decide whether this request may answer round rd, without changing
 * anything: an unused access code for internal rounds; a valid kiosk key,
 * or none on a public round, for external ones.  Rate limits: wrong codes
 * and kiosk keys per address, public submissions per address, kiosks per
 * key.  The wrong-guess limit only ever refuses wrong guesses: a valid
 * code or key is accepted from an address over it, so one typing
 * colleague behind an office's shared address stops nobody else (codes
 * have 80 random bits and keys 160, so guessing needs no limit to fail;
 * the limit keeps a guesser's traffic down).  Caller holds the database
 * lock.  ERR_OK, or why not.
 */
static enum err
gate_check(struct req *r, const struct round *rd, const struct form *f,
    const struct submit *s, struct gate *g)
{
	char		 key[32];
	struct kiosk	 k;
	enum err	 e;
	int		 used, rc, found;

	memset(g, 0, sizeof(*g));
	if (f->internal) {
		if (!s->has_token && !s->token_bad)
			return ERR_CODE_REQUIRED;
		if (s->token_bad)
			return wrong_guess(r, &g->retry_after,
			    ERR_CODE_INVALID);
		token_hash(r->app->secret, TOKEN_ACCESS, rd->id,
		    s->token_canon, g->token);
		rc = db_token_state(r->app->db, rd->id, g->token, &used);
		if (rc == -1)
			return ERR_INTERNAL;
		if (rc == 0)
			return wrong_guess(r, &g->retry_after,
			    ERR_CODE_INVALID);
		return used ? ERR_CODE_USED : ERR_OK;
	}
	if ((e = kiosk_from_header(r, &k, &found)) == ERR_INTERNAL)
		return e;
	if (e != ERR_OK)
		return wrong_guess(r, &g->retry_after, ERR_KIOSK_INVALID);
	if (found && k.round_id != rd->id)
		return ERR_KIOSK_INVALID;
	if (found) {
		snprintf(key, sizeof(key), "kiosk-%lld", (long long)k.id);
		if ((g->retry_after = limit_check(LIMIT_KIOSK, key)) > 0)
			return ERR_KIOSK_RATE;
		g->kiosk = k.id;
		g->unit = k.unit_id;
		return ERR_OK;
	}
	if (!rd->public)
		return ERR_KIOSKS_ONLY;
	if ((g->retry_after = limit_check(LIMIT_PUBLIC, r->client)) > 0)
		return ERR_PUBLIC_RATE;
	return ERR_OK;
}

/* A job for the writer with what s and g decided; s's parts are taken. */
static struct job *
job_new(int64_t round, const struct form *f, const unsigned char *sub,
    const struct gate *g, struct submit *s)
{
	struct job	*job;

	job = xcalloc(1, sizeof(*job));
	job->round = round;
	job->form = f;
	memcpy(job->sub, sub, HASH_BYTES);
	job->internal = f->internal;
	if (g != NULL) {
		memcpy(job->token, g->token, HASH_BYTES);
		job->kiosk = g->kiosk;
		job->unit = g->unit;
	}
	job->answers = s->answers_text;
	s->answers_text = NULL;
	job->opts = s->opts;
	s->opts = NULL;
	return job;
}

/*
 * POST /api/v1/rounds/{id}/responses: check everything that can be
 * checked before writing, then hand the response to the writer thread
 * (HTTP_SUSPEND); api_responses_finish() answers once it is committed.
 *
 * The common case, a valid public submission (an external round kept
 * by formdoc.c, no kiosk key), asks the database nothing here: the
 * writer decides the replay, the round's state, whether it is public
 * and the address's limit, in that order, inside its transaction.
 * Everything else (codes, kiosks, invalid answers) is checked here first
 * under the database lock, and the writer checks again.
 * Statuses as API.md: 201 stored, 200 replay, 400 bad body, 403 no right
 * to answer, 404 unknown round, 409 token used, 410 round closed, 422
 * answers fail the form, 429 rate limited, 503 storage failing.
 */
int
api_responses_post(struct req *r, struct reply *out)
{
	struct round		 rd;
	const struct form	*f;
	struct gate		 g;
	struct submit		 s;
	json_t			*fields = NULL;
	char			 msg[240];
	unsigned char		 sub[HASH_BYTES];
	enum err		 e, body;
	int			 st, rc, locked = 0, fast;

	memset(&s, 0, sizeof(s));
	fast = formdoc_round(r->app, r->ids[0], &f) &&
	    !f->internal && req_header(r, "Authorization") == NULL;
	if (!fast) {
		db_lock(r->app->db);
		e = round_and_form(r, &rd, &f);
		db_unlock(r->app->db);
		if (e != ERR_OK)
			return reply_error(out, e);
	}
	/*
	 * Parse and validate without the lock (the costly part).  A 422
	 * waits: a replay, a closed round or a bad code come first.
	 */
	body = submit_check(r->json, f, &s, &fields, msg, sizeof(msg));
	if (body != ERR_OK && body != ERR_INVALID_ANSWERS) {
		st = reply_error_msg(out, body, "%s", msg);
		goto out;
	}
	token_hash(r->app->secret, TOKEN_SUBMISSION, r->ids[0], s.sid, sub);
	if (fast && body == ERR_OK) {
		r->job = job_new(r->ids[0], f, sub, NULL, &s);
		r->job->public_gate = 1;
		snprintf(r->job->client, sizeof(r->job->client), "%s",
		    r->client);
		st = HTTP_SUSPEND;
		goto out;
	}
	db_lock(r->app->db);
	locked = 1;
	/* Invalid answers to a kept round: the full order of checks below. */
	if (fast && (e = round_and_form(r, &rd, &f)) != ERR_OK) {
		st = reply_error(out, e);
		goto out;
	}
	if ((rc = db_submission_exists(r->app->db, sub)) == 1) {
		st = reply_json(out, 200, json_pack("{s:s}", "status",
		    "already_accepted"));
		goto out;
	}
	if (rc == -1) {
		st = reply_error(out, ERR_INTERNAL);
		goto out;
	}
	if (!rd.open) {
		st = reply_error(out, ERR_ROUND_CLOSED);
		goto out;
	}
	if ((e = gate_check(r, &rd, f, &s, &g)) != ERR_OK) {
		out->retry_after = g.retry_after;
		st = reply_error(out, e);
		goto out;
	}
	if (body == ERR_INVALID_ANSWERS) {
		st = reply_error_msg(out, body, "%s", msg);
		/*
		 * Inside the envelope, and at the top level too for
		 * clients that read API.md's table that way.
		 */
		json_object_set(json_object_get(out->json, "error"),
		    "fields", fields);
		json_object_set_new(out->json, "fields", fields);
		fields = NULL;
		goto out;
	}
	r->job = job_new(rd.id, f, sub, &g, &s);
	st = HTTP_SUSPEND;
out:
	if (locked)
		db_unlock(r->app->db);
	json_decref(fields);
	submit_free(&s);
	return st;
}

/*
 * The resume handler of POST .../responses (routes.c): the answer once
 * the writer decided the job.  201 accepted, 200 already_accepted, 409
 * token_used, 410 round_closed, 503 unavailable.  Counts the public and
 * kiosk rate limits on success.
 */
int
api_responses_finish(struct req *r, const struct job *job,
    struct reply *out)
{
	char	key[32];

	switch (job->status) {
	case 201:
		if (job->kiosk != 0) {
			snprintf(key, sizeof(key), "kiosk-%lld",
			    (long long)job->kiosk);
			limit_hit(LIMIT_KIOSK, key);
		} else if (!job->internal)
			limit_hit(LIMIT_PUBLIC, r->client);
		/* The answer of every stored response: no tree to build. */
		out->body = xstrdup("{\"status\":\"accepted\"}");
		out->bodylen = strlen(out->body);
		out->ctype = "application/json; charset=utf-8";
		return 201;
	case 200:
		return reply_json(out, 200, json_pack("{s:s}", "status",
		    "already_accepted"));
	case 403:
		return reply_error(out, ERR_KIOSKS_ONLY);
	case 409:
		return reply_error(out, ERR_CODE_USED);
	case 410:
		return reply_error(out, ERR_ROUND_CLOSED);
	case 429:
		out->retry_after = job->retry_after;
		return reply_error(out, ERR_PUBLIC_RATE);
	default:
		return reply_error(out, ERR_STORE_UNAVAILABLE);
	}
}

/*
 * POST /api/v1/rounds/{id}/tokens/check {"token"}: whether a staff member
 * may start the questionnaire with this code.  Changes nothing.  200
 * {"status": "valid"}, or 403, 404, 409, 410, 429 as for responses.
 */
int
api_token_check(struct req *r, struct reply *out)
{
	struct round		 rd;
	const struct form	*f;
	struct gate		 g;
	struct submit		 s;
	json_error_t		 jerr;
	json_t			*token = NULL;
	enum err		 e;

	memset(&g, 0, sizeof(g));
	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:o}", "token",
	    &token) == -1)
		return reply_bad_body(out, &jerr, "{\"token\": \"...\"}");
	memset(&s, 0, sizeof(s));
	if (json_is_string(token)) {
		if (token_parse(json_string_value(token), s.token_canon,
		    sizeof(s.token_canon), TOKEN_CHARS) == 0)
			s.has_token = 1;
		else
			s.token_bad = 1;
	}
	db_lock(r->app->db);
	if ((e = round_and_form(r, &rd, &f)) != ERR_OK)
		goto out;
	if (!rd.open)
		e = ERR_ROUND_CLOSED;
	else if (!f->internal)
		e = ERR_NO_CODES;
	else if (!json_is_string(token) && !json_is_null(token))
		e = ERR_TOKEN_TYPE;
	else
		e = gate_check(r, &rd, f, &s, &g);
out:
	db_unlock(r->app->db);
	sodium_memzero(s.token_canon, sizeof(s.token_canon));
	if (e != ERR_OK) {
		out->retry_after = g.retry_after;
		return reply_error(out, e);
	}
	return reply_json(out, 200, json_pack("{s:s}", "status", "valid"));
}

/*
 * GET /api/v1/kiosk with "Authorization: Kiosk KEY": which kiosk this is
 * and its round, for pairing a tablet.  200, or 403 when the key is
 * missing, unknown or revoked.
 */
int
api_kiosk_get(struct req *r, struct reply *out)
{
	struct kiosk	k;
	enum err	e;
	int64_t		wait = 0;
	int		found;

	db_lock(r->app->db);
	e = kiosk_from_header(r, &k, &found);
	if (e == ERR_KIOSK_KEY)
		e = wrong_guess(r, &wait, e);
	/* Only a note of contact: a failing disk must not stop pairing. */
	if (e == ERR_OK && found && db_kiosk_seen(r->app->db, k.id) == -1)
		log_warn("kiosk %lld: contact not recorded", (long long)k.id);
	db_unlock(r->app->db);
	if (e == ERR_OK && !found)
		e = ERR_KIOSK_KEY;
	if (e != ERR_OK) {
		out->retry_after = wait;
		return reply_error(out, e);
	}
	return reply_json(out, 200, json_pack("{s:{s:I, s:s}, s:I}",
	    "kiosk", "id", (json_int_t)k.id, "name", k.name,
	    "round", (json_int_t)k.round_id));
}
