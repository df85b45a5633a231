/* SPDX-License-Identifier: ISC */
/*
 * The respondents' side of the API: health, the public form document,
 * checking an access code, a kiosk asking who it is, and storing a
 * response.  Storing is one transaction: the token is marked used, the
 * answers stored under a random id, the counts bumped, the published
 * snapshot refreshed every min_cell responses, and the submission's hash
 * recorded, all committed before 201 is sent.
 */
#include <stdlib.h>
#include <string.h>

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
		return reply_error(out, 503, "unavailable",
		    "The database is not available.");
	return reply_json(out, 200, json_pack("{s:s}", "status", "ok"));
}

/*
 * Look up the round of the request's path and its form, with the database
 * locked by the caller.  Returns 0, or the error status already set in
 * out (404 unknown round, 500 form missing).
 */
static int
round_and_form(struct req *r, struct reply *out, struct round *rd,
    const struct form **f)
{
	int	rc;

	*f = NULL;
	rc = db_round_get(r->app->db, r->ids[0], rd);
	if (rc == -1)
		return reply_error(out, 500, "internal",
		    "The server could not read the round.");
	if (rc == 0)
		return reply_error(out, 404, "not_found", "No such round.");
	if ((*f = formset_get(r->app->forms, rd->form_id)) == NULL) {
		log_err("round %lld: form %s is not loaded",
		    (long long)rd->id, rd->form_id);
		return reply_error(out, 500, "internal",
		    "The round's questionnaire is missing on the server.");
	}
	return 0;
}

/*
 * GET /api/v1/rounds/{id}/form: the questionnaire of an open round, for
 * respondents: no points, no reverse flags.  404 unknown, 410 not open.
 */
int
api_form_get(struct req *r, struct reply *out)
{
	struct round		 rd;
	const struct form	*f;
	json_t			*doc;
	int			 st;

	db_lock(r->app->db);
	st = round_and_form(r, out, &rd, &f);
	db_unlock(r->app->db);
	if (st != 0)
		return st;
	if (!rd.open)
		return reply_error(out, 410, "round_closed",
		    "This round is not open for responses.");
	if ((doc = json_deep_copy(f->doc)) == NULL)
		return reply_error(out, 500, "internal", "Out of memory.");
	json_object_set_new(doc, "round", json_integer(rd.id));
	json_object_set_new(doc, "round_title", json_string(rd.title));
	json_object_set_new(doc, "public", json_boolean(rd.public));
	return reply_json(out, 200, doc);
}

/*
 * Parse "Authorization: Kiosk KEY" and find the kiosk.  1 found (k
 * filled, and not revoked), 0 no header, -1 header present but the key
 * is malformed, unknown or revoked, -2 database error.  Caller holds the
 * database lock.
 */
static int
kiosk_from_header(struct req *r, struct kiosk *k)
{
	const char	*h = req_header(r, "Authorization");
	char		 canon[KIOSK_CHARS + 1];
	unsigned char	 hash[HASH_BYTES];
	int		 rc;

	if (h == NULL)
		return 0;
	if (strncasecmp(h, "Kiosk ", 6) != 0 ||
	    token_parse(h + 6, canon, sizeof(canon), KIOSK_CHARS) == -1)
		return -1;
	token_hash(r->app->secret, TOKEN_KIOSK, 0, canon, hash);
	if ((rc = db_kiosk_by_key(r->app->db, hash, k)) == -1)
		return -2;
	return rc == 1 && !k->revoked ? 1 : -1;
}

/* The who-may-answer outcome of a request. */
struct gate {
	int		status;		/* 0 = may answer */
	unsigned char	token[HASH_BYTES]; /* internal: the token's hash */
	int64_t		kiosk;		/* external via kiosk: its id */
};

/*
 * Decide whether this request may answer round rd, without changing
 * anything: an unused access code for internal rounds; a valid kiosk key,
 * or none on a public round, for external ones.  Rate limits: wrong codes
 * per address, public submissions per address, kiosks per key.  Caller
 * holds the database lock.  Returns 0 or an error status set in out.
 */
static int
gate_check(struct req *r, struct reply *out, const struct round *rd,
    const struct form *f, const struct submit *s, struct gate *g)
{
	char		 key[32];
	struct kiosk	 k;
	int64_t		 wait;
	int		 used, rc;

	memset(g, 0, sizeof(*g));
	if (f->internal) {
		if ((wait = limit_check(LIMIT_CODE, r->client)) > 0) {
			out->retry_after = wait;
			return reply_error(out, 429, "rate_limited",
			    "Too many wrong access codes from this address; "
			    "try again later.");
		}
		if (!s->has_token && !s->token_bad)
			return reply_error(out, 403, "forbidden",
			    "An access code is required.");
		if (s->token_bad) {
			limit_hit(LIMIT_CODE, r->client);
			return reply_error(out, 403, "forbidden",
			    "This access code is not valid for this round.");
		}
		token_hash(r->app->secret, TOKEN_ACCESS, rd->id,
		    s->token_canon, g->token);
		rc = db_token_state(r->app->db, rd->id, g->token, &used);
		if (rc == -1)
			return reply_error(out, 500, "internal",
			    "The server could not check the code.");
		if (rc == 0) {
			limit_hit(LIMIT_CODE, r->client);
			return reply_error(out, 403, "forbidden",
			    "This access code is not valid for this round.");
		}
		if (used)
			return reply_error(out, 409, "token_used",
			    "This access code has already been used.");
		return 0;
	}
	rc = kiosk_from_header(r, &k);
	if (rc == -2)
		return reply_error(out, 500, "internal",
		    "The server could not check the kiosk.");
	if (rc == -1 || (rc == 1 && k.round_id != rd->id))
		return reply_error(out, 403, "forbidden",
		    "This kiosk key is not valid for this round.");
	if (rc == 1) {
		snprintf(key, sizeof(key), "kiosk-%lld", (long long)k.id);
		if ((wait = limit_check(LIMIT_KIOSK, key)) > 0) {
			out->retry_after = wait;
			return reply_error(out, 429, "rate_limited",
			    "This kiosk is sending too fast; "
			    "try again later.");
		}
		g->kiosk = k.id;
		return 0;
	}
	if (!rd->public)
		return reply_error(out, 403, "forbidden",
		    "This round accepts responses only from its kiosks.");
	if ((wait = limit_check(LIMIT_PUBLIC, r->client)) > 0) {
		out->retry_after = wait;
		return reply_error(out, 429, "rate_limited",
		    "Too many responses from this address; "
		    "try again later.");
	}
	return 0;
}

/*
 * POST /api/v1/rounds/{id}/responses: check everything that can be
 * checked before writing, then hand the response to the writer thread
 * (HTTP_SUSPEND); api_responses_finish() answers once it is committed.
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
	struct job		*job;
	char			 msg[240];
	unsigned char		 sub[HASH_BYTES];
	int			 st, body, rc;

	memset(&s, 0, sizeof(s));
	db_lock(r->app->db);
	st = round_and_form(r, out, &rd, &f);
	db_unlock(r->app->db);
	if (st != 0)
		return st;
	/*
	 * Parse and validate without the lock (the costly part).  A 422
	 * waits: a replay, a closed round or a bad code come first.
	 */
	body = submit_check(r->json, f, &s, &fields, msg, sizeof(msg));
	if (body != 0 && body != 422) {
		st = reply_error(out, body, s.code, msg);
		json_decref(fields);
		submit_free(&s);
		return st;
	}
	token_hash(r->app->secret, TOKEN_SUBMISSION, rd.id, s.sid, sub);
	db_lock(r->app->db);
	if ((rc = db_submission_exists(r->app->db, sub)) == 1) {
		st = reply_json(out, 200, json_pack("{s:s}", "status",
		    "already_accepted"));
		goto out;
	}
	if (rc == -1) {
		st = reply_error(out, 500, "internal",
		    "The server could not check the submission.");
		goto out;
	}
	if (!rd.open) {
		st = reply_error(out, 410, "round_closed",
		    "This round is not open for responses.");
		goto out;
	}
	if ((st = gate_check(r, out, &rd, f, &s, &g)) != 0)
		goto out;
	if (body == 422) {
		st = reply_error(out, 422, s.code, msg);
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
	job = xcalloc(1, sizeof(*job));
	job->round = rd.id;
	job->form = f;
	memcpy(job->sub, sub, HASH_BYTES);
	job->internal = f->internal;
	memcpy(job->token, g.token, HASH_BYTES);
	job->kiosk = g.kiosk;
	job->answers = s.answers_text;		/* stolen from s */
	s.answers_text = NULL;
	job->opts = s.opts;
	s.opts = NULL;
	r->job = job;
	st = HTTP_SUSPEND;
out:
	db_unlock(r->app->db);
	json_decref(fields);
	submit_free(&s);
	return st;
}

/*
 * The answer to a response once the writer decided it: 201 accepted, 200
 * already_accepted, 409 token_used, 410 round_closed, 503 unavailable.
 * Counts the public and kiosk rate limits on success.
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
		return reply_json(out, 201, json_pack("{s:s}", "status",
		    "accepted"));
	case 200:
		return reply_json(out, 200, json_pack("{s:s}", "status",
		    "already_accepted"));
	case 409:
		return reply_error(out, 409, "token_used",
		    "This access code has already been used.");
	case 410:
		return reply_error(out, 410, "round_closed",
		    "This round is not open for responses.");
	default:
		return reply_error(out, 503, "unavailable",
		    "The server cannot store responses right now.");
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
	char			 msg[200];
	int			 st;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:o}", "token",
	    &token) == -1) {
		snprintf(msg, sizeof(msg), "Bad request body: %s.", jerr.text);
		return reply_error(out, 400, "bad_request", msg);
	}
	db_lock(r->app->db);
	if ((st = round_and_form(r, out, &rd, &f)) != 0)
		goto out;
	if (!rd.open) {
		st = reply_error(out, 410, "round_closed",
		    "This round is not open for responses.");
		goto out;
	}
	if (!f->internal) {
		st = reply_error(out, 400, "bad_request",
		    "This round does not use access codes.");
		goto out;
	}
	memset(&s, 0, sizeof(s));
	if (json_is_string(token)) {
		if (token_parse(json_string_value(token), s.token_canon,
		    sizeof(s.token_canon), TOKEN_CHARS) == 0)
			s.has_token = 1;
		else
			s.token_bad = 1;
	} else if (!json_is_null(token)) {
		st = reply_error(out, 400, "bad_request",
		    "\"token\" must be a string.");
		goto out;
	}
	if ((st = gate_check(r, out, &rd, f, &s, &g)) != 0)
		goto out;
	st = reply_json(out, 200, json_pack("{s:s}", "status", "valid"));
out:
	db_unlock(r->app->db);
	return st;
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
	int		rc;

	db_lock(r->app->db);
	rc = kiosk_from_header(r, &k);
	/* Only a note of contact: a failing disk must not stop pairing. */
	if (rc == 1 && db_kiosk_seen(r->app->db, k.id, 0) == -1)
		log_warn("kiosk %lld: contact not recorded", (long long)k.id);
	db_unlock(r->app->db);
	if (rc == -2)
		return reply_error(out, 500, "internal",
		    "The server could not check the kiosk.");
	if (rc != 1)
		return reply_error(out, 403, "forbidden",
		    "This kiosk key is not valid.");
	return reply_json(out, 200, json_pack("{s:{s:I, s:s}, s:I}",
	    "kiosk", "id", (json_int_t)k.id, "name", k.name,
	    "round", (json_int_t)k.round_id));
}
