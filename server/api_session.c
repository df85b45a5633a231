/* SPDX-License-Identifier: ISC */
/*
 * The console's session routes: log in, log out, who am I.  The checks
 * themselves (argon2id, lock-out, sessions, CSRF) are auth.c's.
 */
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "http.h"

/*
 * 1 when a browser says the request comes from another site: login is the
 * one state change without a CSRF token, and a page elsewhere could
 * otherwise log a visitor into an account of its choosing.  Clients that
 * send neither header (curl, scripts) are not browsers and pass.
 */
static int
cross_site(struct req *r)
{
	const char	*site = req_header(r, "Sec-Fetch-Site");
	const char	*origin = req_header(r, "Origin");
	const char	*host = req_header(r, "Host");
	const char	*p;

	if (site != NULL && strcmp(site, "cross-site") == 0)
		return 1;
	if (origin == NULL || strcmp(origin, "null") == 0)
		return origin != NULL;
	if ((p = strstr(origin, "://")) == NULL || host == NULL)
		return 1;
	return strcmp(p + 3, host) != 0;
}

/*
 * The failed-login limits of one attempt: per client address (a guesser
 * trying many names), and per name and address, so a stranger who types
 * a colleague's name five times locks only himself out: the account stays
 * open from every other address.  A name that does not exist is counted
 * the same way, so the answers never tell whether an account exists.
 * A wrong current password when changing one's own (api_accounts.c)
 * counts as a failed login too, so a session left open is no way around
 * the limits.
 *
 * Take one failed attempt from both limits before checking the password,
 * atomically, so parallel guesses never get more tries than the limit;
 * a login that succeeds gives them back (api_login_undo).  ERR_OK, or
 * ERR_LOCKED or ERR_LOGIN_RATE with the seconds to wait in out.
 */
enum err
api_login_take(struct req *r, const char *user, struct login_limits *l,
    struct reply *out)
{
	snprintf(l->pair, sizeof(l->pair), "%s %s", user, r->client);
	if ((out->retry_after = limit_take(LIMIT_ACCOUNT, l->pair)) > 0)
		return ERR_LOCKED;
	if ((out->retry_after = limit_take(LIMIT_LOGIN, r->client)) > 0) {
		limit_undo(LIMIT_ACCOUNT, l->pair);
		return ERR_LOGIN_RATE;
	}
	return ERR_OK;
}

/* Give back the attempt api_login_take() took. */
void
api_login_undo(struct req *r, const struct login_limits *l)
{
	limit_undo(LIMIT_ACCOUNT, l->pair);
	limit_undo(LIMIT_LOGIN, r->client);
}

/*
 * Zero the string field name (a password) inside the parsed body, which
 * lives until the request ends and which jansson frees without wiping.
 * The cast drops the const of json_string_value(): the string is the
 * tree's own (r->json is ours) and nothing reads it after this.
 */
void
api_body_wipe(json_t *body, const char *name)
{
	json_t	*v = json_object_get(body, name);

	if (json_is_string(v))
		sodium_memzero((char *)(uintptr_t)json_string_value(v),
		    json_string_length(v));
}

/*
 * POST /api/v1/admin/login {"username", "password"}: 200 with the session
 * cookie (HttpOnly, SameSite=Strict) and {"csrf_token", "username",
 * "must_change"} (true: the password is a temporary one, and every other
 * admin route answers 403 password_change_required until it is changed);
 * 401 wrong user or password, or a disabled account; 403 from another
 * site's page; 429 too many failed logins for this name from this
 * address, or from this address in all.
 */
int
api_login_post(struct req *r, struct reply *out)
{
	const char		*user = NULL, *pw = NULL;
	char			 cookie[TOKEN_TEXT_MAX], csrf[TOKEN_TEXT_MAX];
	struct login_limits	 l;
	json_error_t		 jerr;
	enum err		 e;
	int			 status, must_change = 0;

	cookie[0] = csrf[0] = '\0';
	if (cross_site(r)) {
		status = reply_error(out, ERR_CROSS_SITE);
		goto out;
	}
	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:s, s:s}",
	    "username", &user, "password", &pw) == -1) {
		status = reply_bad_body(out, &jerr,
		    "{\"username\": \"...\", \"password\": \"...\"}");
		goto out;
	}
	if (strlen(user) > USERNAME_MAX || strlen(pw) > PASSWORD_MAX) {
		status = reply_error(out, ERR_LOGIN_WRONG);
		goto out;
	}
	if ((e = api_login_take(r, user, &l, out)) != ERR_OK) {
		status = reply_error(out, e);
		goto out;
	}
	e = auth_login(r->app, user, pw, cookie, sizeof(cookie), csrf,
	    sizeof(csrf), &must_change);
	if (e != ERR_LOGIN_WRONG)
		api_login_undo(r, &l);
	if (e != ERR_OK) {
		status = reply_error(out, e);
		goto out;
	}
	out->cookie = xasprintf("ita_session=%s; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=%d%s", cookie, SESSION_TTL,
	    r->secure ? "; Secure" : "");
	status = reply_json(out, 200, json_pack("{s:s, s:s, s:b}",
	    "csrf_token", csrf, "username", user, "must_change", must_change));
out:
	sodium_memzero(cookie, sizeof(cookie));
	sodium_memzero(csrf, sizeof(csrf));
	api_body_wipe(r->json, "password");
	return status;
}

/* POST /api/v1/admin/logout: ends the session; 200. */
int
api_logout_post(struct req *r, struct reply *out)
{
	if (auth_logout(r->app, req_cookie(r, "ita_session")) == -1)
		return reply_error(out, ERR_UNAVAILABLE);
	out->cookie = xstrdup("ita_session=; Path=/; HttpOnly; "
	    "SameSite=Strict; Max-Age=0");
	return reply_json(out, 200, json_pack("{s:s}", "status",
	    "logged_out"));
}

/*
 * GET /api/v1/admin/me: who is logged in, whether they must choose a new
 * password first, and the address printed links start with
 * (--public-url without its trailing "/"; null when unset, and the
 * console then warns before a loopback or private address is printed).
 */
int
api_me_get(struct req *r, struct reply *out)
{
	const char	*url = r->app->cfg.public_url;

	return reply_json(out, 200, json_pack("{s:s, s:s, s:b, s:I, s:o}",
	    "username", r->sess.username,
	    "role", r->sess.is_admin ? "admin" : "viewer",
	    "must_change", r->sess.must_change,
	    "expires_at", (json_int_t)r->sess.expires_at,
	    "public_url", url != NULL ? json_stringn(url,
	    text_base_url(url)) : json_null()));
}
