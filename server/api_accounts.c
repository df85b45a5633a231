/* SPDX-License-Identifier: ISC */
/*
 * The console's accounts: list them, add one, change a role, disable or
 * enable one, reset a password (the temporary one shown once), and
 * change one's own password.  The rules are accounts.c's; this file only
 * translates.  Every reply of the API already carries Cache-Control:
 * no-store (http.c), the ones with a temporary password too.
 */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http.h"
#include "actions.h"

/* "admin" 1, "viewer" 0, else -1. */
static int
role_parse(const char *role)
{
	if (strcmp(role, "admin") == 0)
		return 1;
	if (strcmp(role, "viewer") == 0)
		return 0;
	return -1;
}

/*
 * GET /api/v1/admin/accounts: {"accounts": [{"id", "username", "role",
 * "disabled", "must_change", "created_at"}]} by user name; never a hash.
 */
int
api_accounts_list(struct req *r, struct reply *out)
{
	struct admin	*as = NULL;
	size_t		 n = 0, i;
	json_t		*arr;
	enum err	 e;

	if ((e = accounts_list(r->app, &as, &n)) != ERR_OK)
		return reply_error(out, e);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, accounts_json(&as[i]));
	free(as);
	return reply_json(out, 200, json_pack("{s:o}", "accounts", arr));
}

/*
 * POST /api/v1/admin/accounts {"username", "role", "password"?}: 201
 * {"account"}; without a password, a temporary one is made and the reply
 * carries it once as "temporary_password" (its owner must replace it at
 * the first login).  400 bad body; 409 user_exists; 422 bad_username,
 * bad_role, bad_password.
 */
int
api_accounts_post(struct req *r, struct reply *out)
{
	const char	*user = NULL, *role = NULL;
	json_t		*pw = NULL;
	json_error_t	 jerr;
	struct admin	 a;
	char		 temp[ACCOUNT_TEMP_MAX];
	enum err	 e;
	int		 is_admin, status;

	temp[0] = '\0';
	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:s, s:s, s?o}",
	    "username", &user, "role", &role, "password", &pw) == -1) {
		status = reply_bad_body(out, &jerr, "{\"username\": \"...\", "
		    "\"role\": \"admin|viewer\", \"password\"?: \"...\"}");
		goto out;
	}
	if ((is_admin = role_parse(role)) == -1) {
		status = reply_error(out, ERR_BAD_ROLE);
		goto out;
	}
	if (json_is_null(pw))
		pw = NULL;
	if (pw != NULL && !json_is_string(pw)) {
		status = reply_error_msg(out, ERR_BAD_BODY,
		    "\"password\" must be a string, or null to make a "
		    "temporary one.");
		goto out;
	}
	if ((e = accounts_add(r->app, r->sess.username, user, pw == NULL ?
	    NULL : json_string_value(pw), is_admin, temp, &a)) != ERR_OK) {
		status = reply_error(out, e);
		goto out;
	}
	status = reply_json(out, 201, json_pack("{s:o, s:s*}", "account",
	    accounts_json(&a), "temporary_password", temp[0] != '\0' ? temp :
	    NULL));
out:
	sodium_memzero(temp, sizeof(temp));
	api_body_wipe(r->json, "password");
	return status;
}

/*
 * PATCH /api/v1/admin/accounts/{id} {"role"?, "disabled"?}: change the
 * role, disable or enable, in one transaction; 200 with the account.
 * A disabled account's sessions end at once; a role is read at every
 * request, so a change of role takes effect at once too.  400 bad body;
 * 404 no such account; 409 last_admin (the last enabled administrator),
 * own_account (disabling oneself); 422 bad_role.
 */
int
api_account_patch(struct req *r, struct reply *out)
{
	const char	*role = NULL;
	json_t		*dis = NULL;
	json_error_t	 jerr;
	struct admin	 a;
	enum err	 e;
	int		 is_admin = -1, disabled = -1;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s?s, s?o}", "role",
	    &role, "disabled", &dis) == -1)
		return reply_bad_body(out, &jerr,
		    "{\"role\"?: \"admin|viewer\", \"disabled\"?: true}");
	if (dis != NULL && !json_is_boolean(dis))
		return reply_error(out, ERR_BAD_DISABLED);
	if (role != NULL && (is_admin = role_parse(role)) == -1)
		return reply_error(out, ERR_BAD_ROLE);
	if (dis != NULL)
		disabled = json_is_true(dis);
	if ((e = accounts_change(r->app, r->sess.username, r->sess.admin_id,
	    r->ids[0], is_admin, disabled, &a)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, accounts_json(&a));
}

/*
 * POST /api/v1/admin/accounts/{id}/reset: a new temporary password,
 * 200 {"account", "temporary_password"}, shown this once; the account's
 * sessions end and its owner must choose a new password at the next
 * login.  404 no such account; 409 own_account (one's own: change it
 * with the current one instead).
 */
int
api_account_reset(struct req *r, struct reply *out)
{
	struct admin	 a;
	char		 temp[ACCOUNT_TEMP_MAX];
	enum err	 e;
	int		 status;

	if ((e = accounts_reset(r->app, r->sess.username, r->sess.admin_id,
	    r->ids[0], temp, &a)) != ERR_OK)
		return reply_error(out, e);
	status = reply_json(out, 200, json_pack("{s:o, s:s}", "account",
	    accounts_json(&a), "temporary_password", temp));
	sodium_memzero(temp, sizeof(temp));
	return status;
}

/*
 * POST /api/v1/admin/password {"current", "new"}: the logged-in user,
 * of either role, changes their own password; the one way out of
 * must_change.  200 {"status": "changed"}; the account's other sessions
 * end, this one stays.  400 bad body; 403 wrong_password (counted as a
 * failed login of this name from this address); 422 bad_password,
 * same_password; 429 too many wrong passwords.
 */
int
api_password_post(struct req *r, struct reply *out)
{
	const char		*cur = NULL, *new = NULL;
	json_error_t		 jerr;
	struct login_limits	 l;
	enum err		 e;
	int			 status;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:s, s:s}",
	    "current", &cur, "new", &new) == -1) {
		status = reply_bad_body(out, &jerr,
		    "{\"current\": \"...\", \"new\": \"...\"}");
		goto out;
	}
	/* Bounded before argon2 sees it, as at login. */
	if (strlen(cur) > PASSWORD_MAX) {
		status = reply_error(out, ERR_WRONG_PASSWORD);
		goto out;
	}
	if ((e = api_login_take(r, r->sess.username, &l, out)) != ERR_OK) {
		status = reply_error(out, e);
		goto out;
	}
	e = accounts_change_password(r->app, r->sess.admin_id, cur, new,
	    r->sess.hash);
	if (e != ERR_WRONG_PASSWORD)
		api_login_undo(r, &l);
	if (e != ERR_OK) {
		status = reply_error(out, e);
		goto out;
	}
	status = reply_json(out, 200, json_pack("{s:s}", "status",
	    "changed"));
out:
	api_body_wipe(r->json, "current");
	api_body_wipe(r->json, "new");
	return status;
}
