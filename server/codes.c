/* SPDX-License-Identifier: ISC */
/*
 * One-time access codes: issuing them for a round of an internal form.
 * A code is shown once, after the transaction that stores its keyed hash
 * has committed, and is never stored or logged in plain text.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "actions.h"
#include "audit.h"

/*
 * Store n new codes of round in one transaction with its audit line and
 * the round's issued count; the texts go to toks.  0 or -1.
 */
static int
chunk_store(struct app *app, const char *actor, const struct round *rd,
    char (*toks)[TOKEN_TEXT_MAX], int64_t n)
{
	char		canon[TOKEN_CHARS + 1];
	unsigned char	h[HASH_BYTES];
	int64_t		i;
	int		rc = -1;

	if (db_tx_begin(app->db) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		token_new(toks[i], sizeof(toks[i]), TOKEN_BYTES);
		if (token_parse(toks[i], canon, sizeof(canon),
		    TOKEN_CHARS) == -1)
			goto out;
		token_hash(app->secret, TOKEN_ACCESS, rd->id, canon, h);
		if (db_token_insert(app->db, rd->id, h) == -1)
			goto out;
	}
	if (db_round_add_tokens(app->db, rd->id, n) == -1 ||
	    audit_add(app->db, actor, "tokens.issue", json_pack("{s:I, s:s, "
	    "s:I}", "round", (json_int_t)rd->id, "title", rd->title, "count",
	    (json_int_t)n)) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto out;
	rc = 0;
out:
	if (rc == -1)
		db_tx_rollback(app->db);
	sodium_memzero(canon, sizeof(canon));
	return rc;
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
    int64_t count, codes_fn fn, void *arg)
{
	char			(*toks)[TOKEN_TEXT_MAX] = NULL;
	struct round		 rd;
	const struct form	*f;
	int64_t			 done = 0, n, i, chunk;
	enum err		 e;

	if (count < 1 || count > CODES_MAX)
		return ERR_CODES_COUNT;
	if ((e = rounds_get(app, round, &rd)) != ERR_OK)
		return e;
	if ((f = formset_get(app->forms, rd.form_id)) == NULL || !f->internal)
		return ERR_NOT_INTERNAL;
	chunk = count < CODES_CHUNK ? count : CODES_CHUNK;
	toks = xcalloc((size_t)chunk, sizeof(*toks));
	while (done < count) {
		n = count - done < chunk ? count - done : chunk;
		db_lock(app->db);
		i = chunk_store(app, actor, &rd, toks, n);
		db_unlock(app->db);
		if (i == -1) {
			e = ERR_UNAVAILABLE;
			goto out;
		}
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
