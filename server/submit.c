/* SPDX-License-Identifier: ISC */
/*
 * The body of POST /api/v1/rounds/{id}/responses, parsed and checked
 * against a form: everything that can be decided from the bytes and the
 * form alone.  Pure: no database, no secret, no clock, no rate limits, so
 * the handler and the fuzzer (tests/fuzz/fuzz_submit.c) run the same code.
 * Whether the code is known or used, the round open, or the submission a
 * replay is api_public.c's business.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "extern.h"

/* Set the human message of an error; a cut message is still a message. */
static void
say(char *msg, size_t msgsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
say(char *msg, size_t msgsz, const char *fmt, ...)
{
	va_list	ap;

	if (msg == NULL || msgsz == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, msgsz, fmt, ap);
	va_end(ap);
}

/* An error with its message; returns e for the caller to return. */
static enum err
fail(enum err e, char *msg, size_t msgsz, const char *text)
{
	say(msg, msgsz, "%s", text);
	return e;
}

/*
 * A UUID in its 8-4-4-4-12 text form of len bytes (no NUL inside),
 * lower-cased into canon.  0 or -1.
 */
static int
sid_parse(const char *in, size_t len, char *canon)
{
	size_t	i;

	if (len != SUBMISSION_ID_LEN || strlen(in) != len)
		return -1;
	for (i = 0; i < SUBMISSION_ID_LEN; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (in[i] != '-')
				return -1;
		} else if (!isxdigit((unsigned char)in[i]))
			return -1;
		canon[i] = (char)tolower((unsigned char)in[i]);
	}
	canon[SUBMISSION_ID_LEN] = '\0';
	return 0;
}

/*
 * The answers opts (option index + 1 per question of f, 0 unanswered) as
 * canonical JSON, owned by the caller: compact, keys sorted bytewise, as
 * json_dumps(JSON_COMPACT | JSON_SORT_KEYS) writes them, but straight
 * from the form instead of a second walk of the parsed tree.  Codes and
 * option values are [A-Za-z0-9_-] (form.c refuses anything else), so no
 * byte needs escaping.
 */
static char *
answers_text(const struct form *f, const uint16_t *opts)
{
	const struct question	*q;
	const char		*val;
	size_t			 i, len = 2, clen, vlen;
	char			*s, *p;

	for (i = 0; i < f->nquestions; i++)
		if (opts[f->sorted[i]->index] != 0) {
			q = f->sorted[i];
			len += strlen(q->code) + 6 +
			    strlen(q->scale->opts[opts[q->index] - 1].value);
		}
	p = s = xcalloc(len + 1, 1);
	*p++ = '{';
	for (i = 0; i < f->nquestions; i++) {
		q = f->sorted[i];
		if (opts[q->index] == 0)
			continue;
		val = q->scale->opts[opts[q->index] - 1].value;
		clen = strlen(q->code);
		vlen = strlen(val);
		if (p != s + 1)
			*p++ = ',';
		*p++ = '"';
		memcpy(p, q->code, clen);
		p += clen;
		*p++ = '"';
		*p++ = ':';
		*p++ = '"';
		memcpy(p, val, vlen);
		p += vlen;
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return s;
}

/*
 * Parse the len bytes of body (borrowed, need not be NUL-terminated) as
 * JSON, the way http.c parses every request body (duplicate keys refused,
 * any value at the top), and check it with submit_check().  Returns as
 * submit_check() does, and also ERR_BAD_JSON when body is not JSON.
 * What the fuzzer drives.
 */
enum err
submit_parse(const char *body, size_t len, const struct form *f,
    struct submit *out, json_t **fields, char *msg, size_t msgsz)
{
	json_t		*root;
	json_error_t	 jerr;
	enum err	 e;

	root = json_loadb(body == NULL ? "" : body, len,
	    JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
	if (root == NULL) {
		memset(out, 0, sizeof(*out));
		*fields = NULL;
		say(msg, msgsz, "The body is not valid JSON: %s.", jerr.text);
		return ERR_BAD_JSON;
	}
	e = submit_check(root, f, out, fields, msg, msgsz);
	json_decref(root);
	return e;
}

/*
 * Check root (borrowed: the parsed body) as a response to form f
 * (borrowed): {"submission_id": UUID, "token"?: code, "answers":
 * {question: value}}, no other keys.  Fills *out (zeroed first; release
 * with submit_free) and returns ERR_OK, or an error with a message in
 * msg (msgsz bytes, cut if need be):
 *   ERR_BAD_BODY          not the shape above, a wrong type, a bad UUID,
 *                         or (internal forms) a token neither string nor
 *                         null
 *   ERR_INVALID_ANSWERS   answers do not fit f; *fields is set to the
 *                         form_answers_check() object (caller decrefs)
 *   ERR_INTERNAL          out of memory
 * The token matters only for internal forms: absent or null leaves
 * out->has_token and out->token_bad 0; a string that token_parse()
 * accepts sets has_token and token_canon; any other string sets
 * token_bad (token_canon stays empty), which is not an error here: the
 * caller answers 403 after its rate-limit check.  On ERR_OK and on
 * ERR_INVALID_ANSWERS,
 * out->sid and the token fields are set, so the caller can still answer
 * a replay or a closed round first.  On ERR_OK only, out->answers_text is the
 * answers as canonical JSON (compact, keys sorted) and out->opts the
 * option index + 1 of each question of f (by question->index; 0 when
 * unanswered), both owned by out until the caller takes them (and sets
 * them to NULL).  *fields is NULL unless ERR_INVALID_ANSWERS is returned.
 * Nothing in
 * root is changed.
 */
enum err
submit_check(json_t *root, const struct form *f, struct submit *out,
    json_t **fields, char *msg, size_t msgsz)
{
	json_t			*token = NULL, *answers = NULL, *v;
	json_error_t		 jerr;
	const char		*sid = NULL;
	size_t			 sidlen = 0;
	enum err		 st;

	memset(out, 0, sizeof(*out));
	*fields = NULL;
	if (msg != NULL && msgsz > 0)
		msg[0] = '\0';

	if (!json_is_object(root)) {
		st = fail(ERR_BAD_BODY, msg, msgsz,
		    "The body must be a JSON object.");
		goto out;
	}
	/*
	 * The shape by hand first (what every good body costs); only a
	 * body that fails it pays for json_unpack_ex's message.
	 */
	v = json_object_get(root, "submission_id");
	token = json_object_get(root, "token");
	answers = json_object_get(root, "answers");
	if (json_is_string(v) && answers != NULL &&
	    json_object_size(root) == (token != NULL ? 3 : 2)) {
		sid = json_string_value(v);
		sidlen = json_string_length(v);
	} else if (json_unpack_ex(root, &jerr, JSON_STRICT,
	    "{s:s%, s?o, s:o}", "submission_id", &sid, &sidlen, "token",
	    &token, "answers", &answers) == -1) {
		say(msg, msgsz, "Bad request body: %s.", jerr.text);
		st = ERR_BAD_BODY;
		goto out;
	}
	if (!json_is_object(answers)) {
		st = fail(ERR_BAD_BODY, msg, msgsz,
		    "\"answers\" must be an object.");
		goto out;
	}
	if (sid_parse(sid, sidlen, out->sid) == -1) {
		st = fail(ERR_BAD_BODY, msg, msgsz,
		    "\"submission_id\" must be a UUID.");
		goto out;
	}
	if (f->internal && token != NULL && !json_is_null(token)) {
		if (!json_is_string(token)) {
			st = fail(ERR_BAD_BODY, msg, msgsz,
			    "\"token\" must be a string.");
			goto out;
		}
		/*
		 * A NUL inside would let "CODE\u0000junk" pass as CODE; the
		 * parser refuses \u0000 today, but root may come from
		 * elsewhere.
		 */
		if (strlen(json_string_value(token)) ==
		    json_string_length(token) &&
		    token_parse(json_string_value(token), out->token_canon,
		    sizeof(out->token_canon), TOKEN_CHARS) == 0)
			out->has_token = 1;
		else {
			/* token_parse() may leave part of it behind. */
			sodium_memzero(out->token_canon,
			    sizeof(out->token_canon));
			out->token_bad = 1;
		}
	}
	out->opts = xcalloc(f->nquestions > 0 ? f->nquestions : 1,
	    sizeof(*out->opts));
	if (form_answers_opts(f, answers, out->opts, fields) == -1) {
		free(out->opts);
		out->opts = NULL;
		if (*fields == NULL)
			st = fail(ERR_INTERNAL, msg, msgsz,
			    "Out of memory.");
		else
			st = fail(ERR_INVALID_ANSWERS, msg, msgsz,
			    "Some answers do not fit the questionnaire.");
		goto out;
	}
	out->answers_text = answers_text(f, out->opts);
	st = ERR_OK;
out:
	if (st != ERR_OK && st != ERR_INVALID_ANSWERS) {
		memset(out->sid, 0, sizeof(out->sid));
		out->has_token = out->token_bad = 0;
		sodium_memzero(out->token_canon, sizeof(out->token_canon));
	}
	return st;
}

/*
 * Release what submit_parse() left in s (not s itself), and wipe the
 * token text.  Accepts NULL and a zeroed struct.
 */
void
submit_free(struct submit *s)
{
	if (s == NULL)
		return;
	free(s->answers_text);
	free(s->opts);
	s->answers_text = NULL;
	s->opts = NULL;
	sodium_memzero(s->token_canon, sizeof(s->token_canon));
}
