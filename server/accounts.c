/* SPDX-License-Identifier: ISC */
/*
 * The console's accounts: creating one, with its role and an argon2id
 * hash of its password.  Logging in, sessions and CSRF are auth.c's.
 */
#include <string.h>

#include <sodium.h>

#include "actions.h"
#include "audit.h"

/* The characters a user name may hold. */
#define USERNAME_CHARS	"abcdefghijklmnopqrstuvwxyz" \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-@+"

/*
 * Create the account user with password (PASSWORD_MIN to PASSWORD_MAX
 * bytes), role admin (is_admin 1) or viewer.  ERR_BAD_USERNAME,
 * ERR_BAD_PASSWORD, ERR_USER_EXISTS, ERR_UNAVAILABLE.
 */
enum err
accounts_add(struct app *app, const char *actor, const char *user,
    const char *password, int is_admin)
{
	char		hash[crypto_pwhash_STRBYTES];
	size_t		len = strlen(user), pwlen = strlen(password);
	enum err	e = ERR_UNAVAILABLE;
	int		rc = -1;

	if (len == 0 || len > USERNAME_MAX ||
	    strspn(user, USERNAME_CHARS) != len)
		return ERR_BAD_USERNAME;
	if (pwlen < PASSWORD_MIN || pwlen > PASSWORD_MAX)
		return ERR_BAD_PASSWORD;
	if (auth_password_hash(password, hash, sizeof(hash)) == -1)
		return ERR_UNAVAILABLE;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if ((rc = db_admin_insert(app->db, user, hash, is_admin)) == 1 &&
	    audit_add(app->db, actor, "admin.add", json_pack("{s:s, s:s}",
	    "user", user, "role", is_admin ? "admin" : "viewer")) == 0 &&
	    db_tx_commit(app->db) == 0) {
		e = ERR_OK;
		goto out;
	}
	db_tx_rollback(app->db);
	if (rc == 0)
		e = ERR_USER_EXISTS;
out:
	db_unlock(app->db);
	sodium_memzero(hash, sizeof(hash));
	return e;
}
