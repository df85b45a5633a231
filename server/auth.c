/* SPDX-License-Identifier: ISC */
/*
 * Administrator authentication: argon2id password hashes, login with
 * lock-out after repeated failures, sessions and CSRF tokens that are
 * random, kept only as keyed hashes, and expire.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "extern.h"
#include "db.h"
#include "audit.h"

#define SESSION_BYTES	KIOSK_BYTES	/* 160 random bits */
#define SESSION_CHARS	KIOSK_CHARS

/* Verified when the user does not exist, so timing tells nothing. */
static char		dummy[crypto_pwhash_STRBYTES];
static pthread_once_t	dummy_once = PTHREAD_ONCE_INIT;

static void
dummy_init(void)
{
	if (auth_password_hash("no such user, no such password", dummy,
	    sizeof(dummy)) == -1)
		dummy[0] = '\0';
}

/*
 * argon2id cost: OWASP's "m=12 MiB, t=3, p=1" setting.  libsodium's
 * interactive preset takes 64 MiB per login, which would make a login the
 * largest memory use of the whole server (it must stay under 32 MiB while
 * serving a round of a million responses).  Stored hashes carry their own
 * parameters, so changing these never breaks existing accounts.
 */
#define PWHASH_OPS	3ULL
#define PWHASH_MEM	(12U * 1024 * 1024)

/*
 * Hash a password with argon2id into out (crypto_pwhash_STRBYTES).
 * 0 or -1 (out of memory in argon2).
 */
int
auth_password_hash(const char *pw, char *out, size_t outsz)
{
	if (outsz < crypto_pwhash_STRBYTES)
		return -1;
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), PWHASH_OPS,
	    PWHASH_MEM, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		log_err("%s: argon2id failed (out of memory?)", __func__);
		return -1;
	}
	return 0;
}

/* 1 when pw matches hash, else 0. */
int
auth_password_verify(const char *hash, const char *pw)
{
	return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

/*
 * The audit line of a failed login: the name tried, cut to USERNAME_MAX
 * bytes on a character boundary, control characters shown as '?'.  The
 * password is never written anywhere.  A line that cannot be written is
 * logged, and the login still fails.
 */
static void
audit_failure(struct app *app, const char *user)
{
	char	name[USERNAME_MAX + 1];
	size_t	len = strlen(user), i;

	if (len > USERNAME_MAX) {
		len = USERNAME_MAX;
		while (len > 0 && ((unsigned char)user[len] & 0xC0) == 0x80)
			len--;	/* user[len] continues a character */
	}
	for (i = 0; i < len; i++)
		name[i] = (unsigned char)user[i] < 0x20 || user[i] == 0x7f ?
		    '?' : user[i];
	name[len] = '\0';
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if (audit_add(app->db, name, "login.fail", json_pack("{s:s}", "user",
	    name)) == -1 || db_tx_commit(app->db) == -1) {
		db_tx_rollback(app->db);
		goto out;
	}
	db_unlock(app->db);
	return;
out:
	db_unlock(app->db);
	log_warn("%s: failed login not audited", __func__);
}

/*
 * Check user and password and, when they match, open a session: cookie
 * and csrf receive the new secrets (shown once, never stored), and
 * *must_change whether the password is a temporary one to replace before
 * anything else.  Returns ERR_OK, ERR_LOGIN_WRONG for a wrong user or
 * password or a disabled account (the same work and answer for a name
 * that does not exist, so nobody learns which names exist or were
 * disabled), ERR_UNAVAILABLE on a storage error.  Failed logins are
 * limited by the caller, per name and client address (api_session.c):
 * nothing here locks an account for everyone.  The database lock is not
 * held during argon2id, which takes a while on purpose.
 */
enum err
auth_login(struct app *app, const char *user, const char *pw,
    char *cookie, size_t cookiesz, char *csrf, size_t csrfsz,
    int *must_change)
{
	struct admin	 a;
	int64_t		 now = (int64_t)time(NULL);
	unsigned char	 sh[HASH_BYTES], ch[HASH_BYTES];
	char		 canon[SESSION_CHARS + 1];
	int		 found, ok;
	enum err	 e = ERR_UNAVAILABLE;

	cookie[0] = csrf[0] = '\0';
	*must_change = 0;
	pthread_once(&dummy_once, dummy_init);
	if (dummy[0] == '\0')
		return ERR_UNAVAILABLE;
	db_lock(app->db);
	found = db_admin_get(app->db, user, &a);
	db_unlock(app->db);
	if (found == -1)
		return ERR_UNAVAILABLE;
	ok = auth_password_verify(found == 1 ? a.pwhash : dummy, pw);
	sodium_memzero(a.pwhash, sizeof(a.pwhash));
	if (found == 0 || !ok || a.disabled) {
		audit_failure(app, user);
		return ERR_LOGIN_WRONG;
	}
	token_new(cookie, cookiesz, SESSION_BYTES);
	token_new(csrf, csrfsz, SESSION_BYTES);
	db_lock(app->db);
	if (token_parse(cookie, canon, sizeof(canon), SESSION_CHARS) == -1)
		goto out;
	token_hash(app->secret, TOKEN_SESSION, 0, canon, sh);
	if (token_parse(csrf, canon, sizeof(canon), SESSION_CHARS) == -1)
		goto out;
	token_hash(app->secret, TOKEN_CSRF, 0, canon, ch);
	if (db_tx_begin(app->db) == -1)
		goto out;
	if (db_session_insert(app->db, sh, a.id, ch, now + SESSION_TTL) == -1 ||
	    audit_add(app->db, a.username, "login", NULL) == -1 ||
	    db_tx_commit(app->db) == -1) {
		db_tx_rollback(app->db);
		goto out;
	}
	e = ERR_OK;
	*must_change = a.must_change;
out:
	db_unlock(app->db);
	if (e != ERR_OK) {
		sodium_memzero(cookie, cookiesz);
		sodium_memzero(csrf, csrfsz);
		cookie[0] = csrf[0] = '\0';
	}
	sodium_memzero(canon, sizeof(canon));
	return e;
}

/*
 * The live session of cookie: 1 (s filled), 0 none or expired or
 * malformed, -1 error.  Caller holds no lock.
 */
int
auth_session(struct app *app, const char *cookie, struct session *s)
{
	char		 canon[SESSION_CHARS + 1];
	unsigned char	 h[HASH_BYTES];
	int		 rc;

	memset(s, 0, sizeof(*s));
	if (cookie == NULL ||
	    token_parse(cookie, canon, sizeof(canon), SESSION_CHARS) == -1)
		return 0;
	token_hash(app->secret, TOKEN_SESSION, 0, canon, h);
	db_lock(app->db);
	rc = db_session_get(app->db, h, (int64_t)time(NULL), s);
	db_unlock(app->db);
	return rc;
}

/* 1 when the X-CSRF-Token header value belongs to session s, else 0. */
int
auth_csrf_ok(struct app *app, const struct session *s, const char *hdr)
{
	char		 canon[SESSION_CHARS + 1];
	unsigned char	 h[HASH_BYTES];

	if (hdr == NULL ||
	    token_parse(hdr, canon, sizeof(canon), SESSION_CHARS) == -1)
		return 0;
	token_hash(app->secret, TOKEN_CSRF, 0, canon, h);
	return sodium_memcmp(h, s->csrf_hash, HASH_BYTES) == 0;
}

/* End the session of cookie (if any).  0 or -1. */
int
auth_logout(struct app *app, const char *cookie)
{
	char		 canon[SESSION_CHARS + 1];
	unsigned char	 h[HASH_BYTES];
	int		 rc;

	if (cookie == NULL ||
	    token_parse(cookie, canon, sizeof(canon), SESSION_CHARS) == -1)
		return 0;
	token_hash(app->secret, TOKEN_SESSION, 0, canon, h);
	db_lock(app->db);
	rc = db_session_delete(app->db, h);
	db_unlock(app->db);
	return rc;
}
