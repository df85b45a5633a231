/* SPDX-License-Identifier: ISC */
/*
 * The console's settings: read them (admins and viewers) and change them
 * (admins).  The rules are settings.c's; http.c has already checked the
 * session, the role and the CSRF header.
 */
#include "http.h"
#include "oit.h"
#include "actions.h"

#define ECHO_MAX	64	/* bytes of a key a message repeats */

/* GET /api/v1/admin/settings: {"settings": {"agency": "..."}}. */
int
api_settings_get(struct req *r, struct reply *out)
{
	json_t		*o;
	enum err	 e;

	if ((e = settings_json(r->app, &o)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, json_pack("{s:o}", "settings", o));
}

/*
 * PUT /api/v1/admin/settings {"agency": "..."}: set the settings named,
 * all or none ("" unsets one); 200 with every setting as GET has them.
 * 400 an empty object or a value that is not a string; 422
 * unknown_setting or the setting's own error (bad_agency; bad_oit_setting
 * naming the setting), with the messages the command line prints.
 */
int
api_settings_put(struct req *r, struct reply *out)
{
	const char	*bad = NULL;
	char		 rule[ERR_MESSAGE_MAX];
	enum err	 e;

	if (json_object_size(r->json) == 0)
		return reply_error_msg(out, ERR_BAD_BODY, "Name the settings "
		    "to change: {\"%s\": \"...\"}.", SETTING_AGENCY);
	e = settings_set(r->app, r->sess.username, r->json, &bad);
	/* The key is the client's: repeated only when it is plain text. */
	if (e == ERR_BAD_BODY && bad != NULL && text_ok(bad, ECHO_MAX))
		return reply_error_msg(out, e, "The value of \"%s\" must be a "
		    "string.", bad);
	if (e == ERR_BAD_OIT_SETTING && bad != NULL &&
	    oit_setting_rule(bad, rule, sizeof(rule)) != NULL)
		return reply_error_msg(out, e, "%s", rule);
	if (e != ERR_OK)
		return reply_error(out, e);
	return api_settings_get(r, out);
}
