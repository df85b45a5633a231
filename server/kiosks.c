/* SPDX-License-Identifier: ISC */
/*
 * Kiosks: the tablets at a service counter that answer an external
 * round.  Registering one makes its key, shown once and kept only as a
 * keyed hash; renaming and revoking; listing.  The one home of these
 * rules for the command line and the console.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "actions.h"
#include "audit.h"

/*
 * 1 when name may name a kiosk: 1 to NAME_MAX_LEN bytes of one line of
 * text (text_ok), which lists and the audit log show as typed.
 */
int
kiosks_name_ok(const char *name)
{
	return text_ok(name, NAME_MAX_LEN);
}

/*
 * Register a kiosk named name for round, which must be of an external
 * form.  key receives its key (the only copy: the caller shows it once
 * and wipes it) and out the kiosk.  ERR_BAD_NAME, ERR_NO_ROUND,
 * ERR_NOT_EXTERNAL, ERR_UNAVAILABLE.
 */
enum err
kiosks_add(struct app *app, const char *actor, int64_t round,
    const char *name, const char *unit, char key[TOKEN_TEXT_MAX],
    struct kiosk *out)
{
	struct round		 rd;
	const struct form	*f;
	char			 canon[KIOSK_CHARS + 1];
	unsigned char		 h[HASH_BYTES];
	char			 uname[UNIT_NAME_MAX + 1];
	int64_t			 id = 0, uid = 0;
	enum err		 e;

	key[0] = '\0';
	memset(out, 0, sizeof(*out));
	if (!kiosks_name_ok(name))
		return ERR_BAD_NAME;
	if (unit != NULL && !units_name(unit, uname))
		return ERR_BAD_UNIT;
	if ((e = rounds_get(app, round, &rd)) != ERR_OK)
		return e;
	if ((f = formset_get(app->forms, rd.form_id)) == NULL || f->internal)
		return ERR_NOT_EXTERNAL;
	token_new(key, TOKEN_TEXT_MAX, KIOSK_BYTES);
	if (token_parse(key, canon, sizeof(canon), KIOSK_CHARS) == -1) {
		e = ERR_INTERNAL;
		goto out;
	}
	token_hash(app->secret, TOKEN_KIOSK, 0, canon, h);
	e = ERR_UNAVAILABLE;
	db_lock(app->db);
	if (db_tx_begin(app->db) == 0) {
		if (unit != NULL)
			e = units_enter(app, round, uname, 0, &uid);
		else
			e = ERR_OK;
		if (e == ERR_OK) {
			e = ERR_UNAVAILABLE;
			if (db_kiosk_insert(app->db, round, name, h, uid,
			    &id) == 0 && audit_add(app->db, actor, unit != NULL ?
			    "kiosk.add.unit" : "kiosk.add", json_pack("{s:I, "
			    "s:s, s:I, s:s, s:s*}", "kiosk", (json_int_t)id,
			    "name", name, "round", (json_int_t)round, "title",
			    rd.title, "unit", unit != NULL ? uname : NULL)) == 0 &&
			    db_tx_commit(app->db) == 0)
				e = ERR_OK;
		}
		if (e != ERR_OK)
			db_tx_rollback(app->db);
	}
	/*
	 * Committed: the key is the only copy, so a failing read-back must
	 * not lose it; describe the new kiosk from what we know instead.
	 */
	if (e == ERR_OK && db_kiosk_get(app->db, id, out) != 1) {
		log_warn("%s: kiosk %lld added but not read back", __func__,
		    (long long)id);
		out->id = id;
		out->round_id = round;
		snprintf(out->name, sizeof(out->name), "%s", name);
		out->created_at = (int64_t)time(NULL);
	}
	db_unlock(app->db);
out:
	if (e != ERR_OK)
		sodium_memzero(key, TOKEN_TEXT_MAX);
	sodium_memzero(canon, sizeof(canon));
	return e;
}

/*
 * Rename (name not NULL) and/or revoke (revoked 1) kiosk id; -1 (or 0 on
 * a kiosk not revoked) leaves the state.  Revoking is final: a revoked
 * kiosk's key never works again (a stolen tablet stays locked out), and
 * its submissions get 403.  Fills out with the kiosk.  ERR_BAD_NAME,
 * ERR_NO_KIOSK, ERR_KIOSK_REVOKED, ERR_UNAVAILABLE.
 */
enum err
kiosks_change(struct app *app, const char *actor, int64_t id,
    const char *name, int revoked, struct kiosk *out)
{
	enum err	e = ERR_UNAVAILABLE;
	int		rc;

	memset(out, 0, sizeof(*out));
	if (name != NULL && !kiosks_name_ok(name))
		return ERR_BAD_NAME;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = db_kiosk_get(app->db, id, out)) != 1) {
		e = rc == 0 ? ERR_NO_KIOSK : ERR_UNAVAILABLE;
		goto rollback;
	}
	if (revoked == 0 && out->revoked) {
		e = ERR_KIOSK_REVOKED;
		goto rollback;
	}
	if (db_kiosk_set(app->db, id, name, revoked) != 1 ||
	    db_kiosk_get(app->db, id, out) != 1 ||
	    audit_add(app->db, actor, revoked == 1 ? "kiosk.revoke" :
	    "kiosk.change", json_pack("{s:I, s:s}", "kiosk", (json_int_t)id,
	    "name", out->name)) == -1 ||
	    db_tx_commit(app->db) == -1)
		goto rollback;
	e = ERR_OK;
	goto out;
rollback:
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	return e;
}

/*
 * The kiosks of round; *out is an array the caller frees.  ERR_NO_ROUND,
 * ERR_INTERNAL.
 */
enum err
kiosks_list(struct app *app, int64_t round, struct kiosk **out, size_t *n)
{
	struct round	rd;
	int		rc;

	*out = NULL;
	*n = 0;
	db_lock(app->db);
	rc = db_round_get(app->db, round, &rd);
	if (rc == 1 && db_kiosk_list(app->db, round, out, n) == -1)
		rc = -1;
	db_unlock(app->db);
	return rc == 1 ? ERR_OK : rc == 0 ? ERR_NO_ROUND : ERR_INTERNAL;
}

/* A kiosk as JSON, never with its key (caller owns). */
json_t *
kiosks_json(const struct kiosk *k)
{
	return json_pack("{s:I, s:I, s:s, s:b, s:I, s:s?, s:I, s:s?}",
	    "id", (json_int_t)k->id, "round", (json_int_t)k->round_id,
	    "name", k->name, "revoked", k->revoked,
	    "responses", (json_int_t)k->responses,
	    "last_seen_day", k->last_seen_day[0] == '\0' ? NULL :
	    k->last_seen_day, "created_at", (json_int_t)k->created_at,
	    "unit", k->unit[0] == '\0' ? NULL : k->unit);
}
