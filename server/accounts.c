/* SPDX-License-Identifier: ISC */
/*
 * The console's accounts: create one, list them, change a role, disable
 * and enable, reset a password to a temporary one, set one from the
 * shell, and change one's own.  Each action is one transaction with its
 * audit line.  Logging in, sessions and CSRF are auth.c's.
 *
 * Rules kept here for the command line and the console alike:
 * - the last enabled administrator can be neither disabled nor made a
 *   viewer (ERR_LAST_ADMIN), so the console never locks itself out;
 * - in the console an administrator can neither disable nor reset their
 *   own account (they change their password with the current one), so
 *   nobody ends their own session by accident; the shell may do both;
 * - disabling an account or changing its password ends its sessions at
 *   once (changing one's own ends only the other sessions);
 * - a temporary password is shown once to the caller, never stored but
 *   as its argon2id hash, never logged nor audited, and its account must
 *   choose its own before anything else (must_change).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "actions.h"
#include "audit.h"

/* The characters a user name may hold. */
#define USERNAME_CHARS	"abcdefghijklmnopqrstuvwxyz" \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@+"

static int
password_ok(const char *pw)
{
	size_t	len = strlen(pw);

	return len >= PASSWORD_MIN && len <= PASSWORD_MAX;
}

/*
 * A new temporary password in temp (ACCOUNT_TEMP_MAX bytes): 80 random
 * bits from libsodium in Crockford base32, four groups of four like an
 * access code ("7QF9-MZD2-XWAP-4HTK"), typed as shown.
 */
static void
temp_new(char temp[ACCOUNT_TEMP_MAX])
{
	token_new(temp, ACCOUNT_TEMP_MAX, TOKEN_BYTES);
}

/*
 * Create the account user with role admin (is_admin 1) or viewer and
 * password (PASSWORD_MIN to PASSWORD_MAX bytes).  With password NULL, a
 * temporary password is made, written to temp (shown once by the
 * caller) and the account must change it at its first login.  Fills out
 * (when not NULL) with the new account, hash wiped.  ERR_BAD_USERNAME,
 * ERR_BAD_PASSWORD, ERR_USER_EXISTS, ERR_UNAVAILABLE.
 */
enum err
accounts_add(struct app *app, const char *actor, const char *user,
    const char *password, int is_admin, char temp[ACCOUNT_TEMP_MAX],
    struct admin *out)
{
	struct admin	a;
	char		hash[crypto_pwhash_STRBYTES];
	size_t		len = strlen(user);
	enum err	e = ERR_UNAVAILABLE;
	int		rc = -1, must_change = password == NULL;

	if (temp != NULL)
		temp[0] = '\0';
	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (len == 0 || len > USERNAME_MAX ||
	    strspn(user, USERNAME_CHARS) != len)
		return ERR_BAD_USERNAME;
	if (password == NULL) {
		if (temp == NULL)
			return ERR_INTERNAL;
		temp_new(temp);
		password = temp;
	}
	if (!password_ok(password)) {
		e = ERR_BAD_PASSWORD;
		goto wipe;
	}
	if (auth_password_hash(password, hash, sizeof(hash)) == -1)
		goto wipe;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = db_admin_insert(app->db, user, hash, is_admin,
	    must_change)) == 1 &&
	    audit_add(app->db, actor, "admin.add", json_pack("{s:s, s:s}",
	    "user", user, "role", is_admin ? "admin" : "viewer")) == 0 &&
	    db_tx_commit(app->db) == 0) {
		e = ERR_OK;
		/* Committed: a failing read-back must not lose temp. */
		if (db_admin_get(app->db, user, &a) != 1) {
			log_warn("%s: account %s added but not read back",
			    __func__, user);
			memset(&a, 0, sizeof(a));
			(void)snprintf(a.username, sizeof(a.username), "%s",
			    user);
			a.is_admin = is_admin != 0;
			a.must_change = must_change;
		}
		sodium_memzero(a.pwhash, sizeof(a.pwhash));
		if (out != NULL)
			*out = a;
		goto out;
	}
	db_tx_rollback(app->db);
	if (rc == 0)
		e = ERR_USER_EXISTS;
out:
	db_unlock(app->db);
wipe:
	sodium_memzero(hash, sizeof(hash));
	if (e != ERR_OK && temp != NULL)
		sodium_memzero(temp, ACCOUNT_TEMP_MAX);
	return e;
}

/*
 * The account called user, its password hash wiped, in out.
 * ERR_NO_ACCOUNT, ERR_UNAVAILABLE.
 */
enum err
accounts_find(struct app *app, const char *user, struct admin *out)
{
	int	rc;

	if (strlen(user) > USERNAME_MAX) {
		memset(out, 0, sizeof(*out));
		return ERR_NO_ACCOUNT;
	}
	db_lock(app->db);
	rc = db_admin_get(app->db, user, out);
	db_unlock(app->db);
	sodium_memzero(out->pwhash, sizeof(out->pwhash));
	return rc == 1 ? ERR_OK : rc == 0 ? ERR_NO_ACCOUNT : ERR_UNAVAILABLE;
}

/*
 * Every account by user name, without password hashes, in *out (caller
 * frees) and *n.  ERR_UNAVAILABLE.
 */
enum err
accounts_list(struct app *app, struct admin **out, size_t *n)
{
	int	rc;

	db_lock(app->db);
	rc = db_admin_list(app->db, out, n);
	db_unlock(app->db);
	return rc == 0 ? ERR_OK : ERR_UNAVAILABLE;
}

/*
 * An account as the console shows it (caller owns): never its hash.
 */
json_t *
accounts_json(const struct admin *a)
{
	return json_pack("{s:I, s:s, s:s, s:b, s:b, s:I}",
	    "id", (json_int_t)a->id,
	    "username", a->username,
	    "role", a->is_admin ? "admin" : "viewer",
	    "disabled", a->disabled,
	    "must_change", a->must_change,
	    "created_at", (json_int_t)a->created_at);
}

/*
 * Inside a transaction: ERR_LAST_ADMIN when a, an enabled administrator,
 * is the only one left.  ERR_OK when others remain or a is not one.
 */
static enum err
last_admin(struct app *app, const struct admin *a)
{
	int64_t	n;

	if (!a->is_admin || a->disabled)
		return ERR_OK;
	if (db_admin_count_active(app->db, &n) == -1)
		return ERR_UNAVAILABLE;
	return n <= 1 ? ERR_LAST_ADMIN : ERR_OK;
}

/*
 * Change account id's role (is_admin 1 admin, 0 viewer, -1 as it is)
 * and/or disable it (disabled 1), enable it (0) or neither (-1), in one
 * transaction with an audit line for each thing that changed (admin.role,
 * admin.disable, admin.enable); a disabled account's sessions end in
 * it.  self is the acting account's id (0 from the shell): it cannot
 * disable itself.  Fills out with the account as it now is.
 * ERR_NO_ACCOUNT, ERR_OWN_DISABLE, ERR_LAST_ADMIN, ERR_UNAVAILABLE.
 */
enum err
accounts_change(struct app *app, const char *actor, int64_t self,
    int64_t id, int is_admin, int disabled, struct admin *out)
{
	struct admin	 a;
	enum err	 e = ERR_UNAVAILABLE;
	int		 rc, role_changes, state_changes;

	memset(out, 0, sizeof(*out));
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = db_admin_get_id(app->db, id, &a)) != 1) {
		e = rc == 0 ? ERR_NO_ACCOUNT : ERR_UNAVAILABLE;
		goto fail;
	}
	sodium_memzero(a.pwhash, sizeof(a.pwhash));
	role_changes = is_admin >= 0 && (is_admin != 0) != a.is_admin;
	state_changes = disabled >= 0 && (disabled != 0) != a.disabled;
	if (state_changes && disabled && id == self) {
		e = ERR_OWN_DISABLE;
		goto fail;
	}
	if (((role_changes && !is_admin) || (state_changes && disabled)) &&
	    (e = last_admin(app, &a)) != ERR_OK)
		goto fail;
	e = ERR_UNAVAILABLE;
	*out = a;
	if (role_changes)
		out->is_admin = is_admin != 0;
	if (state_changes)
		out->disabled = disabled != 0;
	if ((role_changes || state_changes) && db_admin_set(app->db, id,
	    role_changes ? is_admin != 0 : -1,
	    state_changes ? disabled != 0 : -1) != 1)
		goto fail;
	if (role_changes && audit_add(app->db, actor, "admin.role",
	    json_pack("{s:s, s:s}", "user", a.username, "role",
	    out->is_admin ? "admin" : "viewer")) == -1)
		goto fail;
	if (state_changes && (audit_add(app->db, actor, out->disabled ?
	    "admin.disable" : "admin.enable", json_pack("{s:s}", "user",
	    a.username)) == -1 || (out->disabled &&
	    db_admin_sessions_end(app->db, id, NULL) == -1)))
		goto fail;
	if (db_tx_commit(app->db) == -1)
		goto fail;
	e = ERR_OK;
	goto out;
fail:
	db_tx_rollback(app->db);
	memset(out, 0, sizeof(*out));
out:
	db_unlock(app->db);
	return e;
}

/*
 * Store password as account id's (must_change: a temporary one), end
 * every session of the account but keep (a cookie hash, or NULL: all),
 * and write the audit line action with the fact "user", in one
 * transaction.  The account is read inside it; self (0: none) is an id
 * this action may not be used on, with own the error to say so.  Fills
 * a, hash wiped.  ERR_NO_ACCOUNT, own, ERR_UNAVAILABLE.
 */
static enum err
password_store(struct app *app, const char *actor, int64_t id,
    int64_t self, enum err own, const char *password, int must_change,
    const unsigned char *keep, const char *action, struct admin *a)
{
	char		hash[crypto_pwhash_STRBYTES];
	enum err	e = ERR_UNAVAILABLE;
	int		rc;

	memset(a, 0, sizeof(*a));
	if (self != 0 && id == self)
		return own;
	/* argon2id takes a while on purpose: not under the lock. */
	if (auth_password_hash(password, hash, sizeof(hash)) == -1)
		return ERR_UNAVAILABLE;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = db_admin_get_id(app->db, id, a)) != 1) {
		e = rc == 0 ? ERR_NO_ACCOUNT : ERR_UNAVAILABLE;
		goto fail;
	}
	sodium_memzero(a->pwhash, sizeof(a->pwhash));
	if (db_admin_set_password(app->db, id, hash, must_change) != 1 ||
	    db_admin_sessions_end(app->db, id, keep) == -1 ||
	    audit_add(app->db, actor, action, json_pack("{s:s}", "user",
	    a->username)) == -1 || db_tx_commit(app->db) == -1)
		goto fail;
	a->must_change = must_change != 0;
	e = ERR_OK;
	goto out;
fail:
	db_tx_rollback(app->db);
out:
	db_unlock(app->db);
	sodium_memzero(hash, sizeof(hash));
	return e;
}

/*
 * Reset account id's password to a new temporary one, written to temp
 * to be shown once; its sessions end and it must choose its own password
 * at its next login.  self is the acting account's id (0 from the
 * shell): the console cannot reset its own.  Fills out (hash wiped).
 * ERR_NO_ACCOUNT, ERR_OWN_RESET, ERR_UNAVAILABLE.
 */
enum err
accounts_reset(struct app *app, const char *actor, int64_t self,
    int64_t id, char temp[ACCOUNT_TEMP_MAX], struct admin *out)
{
	enum err	e;

	temp_new(temp);
	e = password_store(app, actor, id, self, ERR_OWN_RESET, temp, 1,
	    NULL, "admin.reset", out);
	if (e != ERR_OK)
		sodium_memzero(temp, ACCOUNT_TEMP_MAX);
	return e;
}

/*
 * From the shell: set account id's password to password, chosen by the
 * person at the shell (so not one to change), ending its sessions; the
 * rescue of a working group whose last administrator forgot theirs.
 * Audited as a reset.  ERR_NO_ACCOUNT, ERR_BAD_PASSWORD,
 * ERR_UNAVAILABLE.
 */
enum err
accounts_set_password(struct app *app, const char *actor, int64_t id,
    const char *password)
{
	struct admin	a;

	if (!password_ok(password))
		return ERR_BAD_PASSWORD;
	return password_store(app, actor, id, 0, ERR_OK, password, 0, NULL,
	    "admin.reset", &a);
}

/*
 * Account id changes its own password from current to new (PASSWORD_MIN
 * to PASSWORD_MAX bytes, not the same): this clears must_change and ends
 * the account's other sessions, keeping the one whose cookie hashes to
 * keep.  ERR_BAD_PASSWORD, ERR_SAME_PASSWORD, ERR_WRONG_PASSWORD (the
 * current one is wrong), ERR_NO_ACCOUNT, ERR_UNAVAILABLE.
 */
enum err
accounts_change_password(struct app *app, int64_t id, const char *current,
    const char *new, const unsigned char *keep)
{
	struct admin	a, now;
	int		rc, ok;

	if (!password_ok(new))
		return ERR_BAD_PASSWORD;
	if (strcmp(current, new) == 0)
		return ERR_SAME_PASSWORD;
	db_lock(app->db);
	rc = db_admin_get_id(app->db, id, &a);
	db_unlock(app->db);
	if (rc != 1) {
		sodium_memzero(a.pwhash, sizeof(a.pwhash));
		return rc == 0 ? ERR_NO_ACCOUNT : ERR_UNAVAILABLE;
	}
	ok = auth_password_verify(a.pwhash, current);
	sodium_memzero(a.pwhash, sizeof(a.pwhash));
	if (!ok)
		return ERR_WRONG_PASSWORD;
	return password_store(app, a.username, id, 0, ERR_OK, new, 0, keep,
	    "admin.password", &now);
}
