/* SPDX-License-Identifier: ISC */
/*
 * Settings an administrator changes from the console or the shell: the
 * names that exist, the rule each value follows, reading them, and
 * changing them with one audit line per change.  For now one: "agency",
 * the agency's name that every export carries.  Where a setting shows is
 * its reader's business (export.c, the console).
 */
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "audit.h"
#include "oit.h"

struct setting {
	const char	*name;
	size_t		 max;	/* bytes of a value; "" unsets it */
	enum err	 bad;	/* a value that breaks the rule */
};

static const struct setting known[] = {
	{ SETTING_AGENCY, AGENCY_MAX, ERR_BAD_AGENCY },
};

#define NKNOWN	(sizeof(known) / sizeof(known[0]))

static const struct setting *
find(const char *name)
{
	size_t	i;

	for (i = 0; i < NKNOWN; i++)
		if (strcmp(known[i].name, name) == 0)
			return &known[i];
	return NULL;
}

/* Whether name is a setting: ours, or the OIT desk's (oitconf.c). */
static int
known_name(const char *name)
{
	int	ok;

	return find(name) != NULL || oit_setting_check(name, "", &ok);
}

/*
 * Whether value may be stored as setting name: one line of text
 * (text_ok) of at most the setting's bytes, or "" to unset it.
 * ERR_OK, ERR_UNKNOWN_SETTING, or the setting's own error
 * (ERR_BAD_AGENCY).
 */
enum err
settings_check(const char *name, const char *value)
{
	const struct setting	*s;
	int			 ok;

	if (oit_setting_check(name, value, &ok))
		return ok ? ERR_OK : ERR_BAD_OIT_SETTING;
	if ((s = find(name)) == NULL)
		return ERR_UNKNOWN_SETTING;
	if (value[0] != '\0' && !text_ok(value, s->max))
		return s->bad;
	return ERR_OK;
}

/*
 * The value of setting name in *value, "" when unset (caller frees).
 * ERR_UNKNOWN_SETTING, ERR_INTERNAL.
 */
enum err
settings_get(struct app *app, const char *name, char **value)
{
	int	rc;

	*value = NULL;
	if (!known_name(name))
		return ERR_UNKNOWN_SETTING;
	db_lock(app->db);
	rc = db_setting_get(app->db, name, value);
	db_unlock(app->db);
	if (rc == -1)
		return ERR_INTERNAL;
	if (rc == 0)
		*value = xstrdup("");
	return ERR_OK;
}

/*
 * Every known setting as {"agency": "...", ...}, "" for an unset one
 * (caller owns *out).  ERR_INTERNAL.
 */
enum err
settings_json(struct app *app, json_t **out)
{
	json_t		*o = json_object();
	const char	*name;
	char		*v = NULL;
	size_t		 i;
	int		 rc = 0;

	*out = NULL;
	db_lock(app->db);
	for (i = 0; (name = i < NKNOWN ? known[i].name :
	    oit_setting_name(i - NKNOWN)) != NULL && rc != -1; i++) {
		if ((rc = db_setting_get(app->db, name, &v)) != -1)
			json_object_set_new(o, name,
			    json_string(v == NULL ? "" : v));
		free(v);
		v = NULL;
	}
	db_unlock(app->db);
	if (rc == -1) {
		json_decref(o);
		return ERR_INTERNAL;
	}
	*out = o;
	return ERR_OK;
}

/*
 * Set each setting of values, an object of name -> string (borrowed),
 * all or none: every name and value is checked first, then they are
 * stored in one transaction with an audit line "settings.set" each
 * (facts: name, value; "" when cleared).  On ERR_UNKNOWN_SETTING
 * or a setting's own error, *bad names the first culprit (borrowed from
 * values).  ERR_BAD_BODY when a value is not a string, ERR_UNAVAILABLE.
 */
enum err
settings_set(struct app *app, const char *actor, json_t *values,
    const char **bad)
{
	const char	*name, *v;
	json_t		*jv;
	enum err	 e;

	*bad = NULL;
	json_object_foreach(values, name, jv) {
		*bad = name;
		if (!json_is_string(jv))
			return ERR_BAD_BODY;
		/* jansson refuses "\u0000" in a string: no NUL gets here. */
		if ((e = settings_check(name, json_string_value(jv))) !=
		    ERR_OK)
			return e;
	}
	*bad = NULL;
	e = ERR_UNAVAILABLE;
	db_lock(app->db);
	if (db_tx_begin(app->db) == -1)
		goto out;
	json_object_foreach(values, name, jv) {
		v = json_string_value(jv);
		if (db_setting_set(app->db, name, v) == -1 ||
		    audit_add(app->db, actor, "settings.set", json_pack(
		    "{s:s, s:s}", "name", name, "value", v)) == -1) {
			db_tx_rollback(app->db);
			goto out;
		}
	}
	if (db_tx_commit(app->db) == -1) {
		db_tx_rollback(app->db);
		goto out;
	}
	e = ERR_OK;
out:
	db_unlock(app->db);
	return e;
}
