/* SPDX-License-Identifier: ISC */
/*
 * One-time access codes: issuing them for a round of an internal form,
 * and voiding lost or unused ones.  A code is shown once, after the
 * transaction that stores its keyed hash has committed, and is never
 * stored or logged in plain text; so it can never be shown again, and a
 * lost slip is replaced by a new code, the lost one voided.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "actions.h"
#include "audit.h"

/*
 * Read round into rd: only rounds of an internal form have codes.
 * ERR_NO_ROUND, ERR_NOT_INTERNAL, ERR_INTERNAL.
 */
static enum err
internal_round(struct app *app, int64_t round, struct round *rd)
{
	const struct form	*f;
	enum err		 e;

	if ((e = rounds_get(app, round, rd)) != ERR_OK)
		return e;
	if ((f = formset_get(app->forms, rd->form_id)) == NULL || !f->internal)
		return ERR_NOT_INTERNAL;
	return ERR_OK;
}

/*
 * Store n new codes of round in one transaction with its audit line and
 * the round's issued count; the texts go to toks.  0 or -1.
 */
static enum err
chunk_store(struct app *app, const char *actor, const struct round *rd,
    const char *unit, char (*toks)[TOKEN_TEXT_MAX], int64_t n)
{
	char		canon[TOKEN_CHARS + 1];
	unsigned char	h[HASH_BYTES];
	int64_t		i, uid = 0;
	enum err	e = ERR_UNAVAILABLE;

	canon[0] = '\0';
	if (db_tx_begin(app->db) == -1)
		return ERR_UNAVAILABLE;
	if (unit != NULL &&
	    (e = units_enter(app, rd->id, unit, n, &uid)) != ERR_OK)
		goto out;
	e = ERR_UNAVAILABLE;
	for (i = 0; i < n; i++) {
		token_new(toks[i], sizeof(toks[i]), TOKEN_BYTES);
		if (token_parse(toks[i], canon, sizeof(canon),
		    TOKEN_CHARS) == -1)
			goto out;
		token_hash(app->secret, TOKEN_ACCESS, rd->id, canon, h);
		if (db_token_insert(app->db, rd->id, h, uid) == -1)
			goto out;
	}
	if (db_round_add_tokens(app->db, rd->id, n) == -1 ||
	    audit_add(app->db, actor, unit != NULL ? "tokens.issue.unit" :
	    "tokens.issue", json_pack("{s:I, s:s, s:I, s:s*}", "round",
	    (json_int_t)rd->id, "title", rd->title, "count", (json_int_t)n,
	    "unit", unit)) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto out;
	e = ERR_OK;
out:
	if (e != ERR_OK)
		db_tx_rollback(app->db);
	sodium_memzero(canon, sizeof(canon));
	return e;
}

/*
 * Issue count (1 to CODES_MAX) codes for round, in transactions of
 * CODES_CHUNK; fn gets each code of a chunk once it is committed.  A
 * count over one chunk may end part-way: the chunks already given to fn
 * stay issued.  ERR_CODES_COUNT, ERR_NO_ROUND, ERR_NOT_INTERNAL,
 * ERR_UNAVAILABLE, ERR_INTERNAL when fn stopped.
 */
enum err
codes_issue(struct app *app, const char *actor, int64_t round,
    int64_t count, const char *unit, codes_fn fn, void *arg)
{
	char			(*toks)[TOKEN_TEXT_MAX] = NULL;
	char			 uname[UNIT_NAME_MAX + 1];
	struct round		 rd;
	int64_t			 done = 0, n, i, chunk;
	enum err		 e;

	if (count < 1 || count > CODES_MAX)
		return ERR_CODES_COUNT;
	if (unit != NULL) {
		if (!units_name(unit, uname))
			return ERR_BAD_UNIT;
		unit = uname;
	}
	if ((e = internal_round(app, round, &rd)) != ERR_OK)
		return e;
	chunk = count < CODES_CHUNK ? count : CODES_CHUNK;
	toks = xcalloc((size_t)chunk, sizeof(*toks));
	while (done < count) {
		n = count - done < chunk ? count - done : chunk;
		db_lock(app->db);
		e = chunk_store(app, actor, &rd, unit, toks, n);
		db_unlock(app->db);
		if (e != ERR_OK)
			goto out;
		for (i = 0; i < n; i++)
			if (fn(toks[i], arg) == -1) {
				e = ERR_INTERNAL;
				goto out;
			}
		done += n;
	}
	e = ERR_OK;
out:
	sodium_memzero(toks, (size_t)chunk * sizeof(*toks));
	free(toks);
	return e;
}

/*
 * Void the listed codes of round: n texts (1 to CODES_VOID_MAX), each as
 * a respondent would type it (any case, hyphens and spaces ignored).
 * Each code of round listed becomes unusable, whether or not it had been
 * used, and from then on answers a respondent exactly as a used code
 * does.  Nothing here tells which had been used (that would say who
 * answered): *voided counts the distinct codes of round listed, used or
 * not.  When any text is not a code of round (malformed, unknown, of
 * another round), nothing is voided: ERR_UNKNOWN_CODES, and the indexes
 * of those texts are in unknown[0 .. *nunknown) (the caller's array of
 * n).  One transaction with its audit line.  ERR_VOID_COUNT,
 * ERR_NO_ROUND, ERR_NOT_INTERNAL, ERR_UNKNOWN_CODES, ERR_UNAVAILABLE.
 */
enum err
codes_void(struct app *app, const char *actor, int64_t round,
    const char *const *codes, size_t n, int64_t *voided, size_t *unknown,
    size_t *nunknown)
{
	unsigned char		(*h)[HASH_BYTES] = NULL;
	unsigned char		*ok = NULL;
	char			 canon[TOKEN_CHARS + 1];
	struct round		 rd;
	size_t			 i, j;
	int64_t			 count = 0;
	enum err		 e;
	int			 rc;

	*voided = 0;
	*nunknown = 0;
	if (n < 1 || n > CODES_VOID_MAX)
		return ERR_VOID_COUNT;
	if ((e = internal_round(app, round, &rd)) != ERR_OK)
		return e;
	h = xcalloc(n, sizeof(*h));
	ok = xcalloc(n, 1);
	for (i = 0; i < n; i++) {
		if (strlen(codes[i]) > CODE_TEXT_MAX || token_parse(codes[i],
		    canon, sizeof(canon), TOKEN_CHARS) == -1)
			continue;
		token_hash(app->secret, TOKEN_ACCESS, round, canon, h[i]);
		ok[i] = 1;
	}
	sodium_memzero(canon, sizeof(canon));
	e = ERR_UNAVAILABLE;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	for (i = 0; i < n; i++) {
		if (!ok[i]) {
			unknown[(*nunknown)++] = i;
			continue;
		}
		/* The same code twice counts once (n is small). */
		for (j = 0; j < i; j++)
			if (ok[j] && memcmp(h[i], h[j], HASH_BYTES) == 0)
				break;
		if (j < i)
			continue;
		if ((rc = db_token_void(app->db, round, h[i])) == -1)
			goto rollback;
		if (rc == 0)
			unknown[(*nunknown)++] = i;
		else
			count++;
	}
	if (*nunknown > 0) {
		e = ERR_UNKNOWN_CODES;
		goto rollback;
	}
	if (audit_add(app->db, actor, "tokens.void", json_pack("{s:I, s:s, "
	    "s:I}", "round", (json_int_t)rd.id, "title", rd.title, "count",
	    (json_int_t)count)) == -1 || db_tx_commit(app->db) == -1)
		goto rollback;
	*voided = count;
	e = ERR_OK;
	goto out;
rollback:
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	sodium_memzero(h, n * sizeof(*h));
	free(h);
	free(ok);
	return e;
}

/*
 * Void every unused code of round, in one transaction with its audit
 * line.  How many that was is said nowhere, not even in the audit line:
 * issued minus used, it would be the exact number of respondents, which
 * administrators only ever see in steps of min_cell.  ERR_NO_ROUND,
 * ERR_NOT_INTERNAL, ERR_UNAVAILABLE.
 */
enum err
codes_void_unused(struct app *app, const char *actor, int64_t round)
{
	struct round		 rd;
	enum err		 e;

	if ((e = internal_round(app, round, &rd)) != ERR_OK)
		return e;
	e = ERR_UNAVAILABLE;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if (db_token_void_unused(app->db, round) == -1 ||
	    audit_add(app->db, actor, "tokens.void_unused", json_pack("{s:I, "
	    "s:s}", "round", (json_int_t)rd.id, "title", rd.title)) == -1 ||
	    db_tx_commit(app->db) == -1) {
		db_tx_rollback(app->db);
		goto out;
	}
	e = ERR_OK;
out:
	db_unlock(app->db);
	return e;
}
