/* SPDX-License-Identifier: ISC */
/*
 * The console's kiosks: list a round's, register one (its key shown
 * once), rename or revoke one.  The rules are kiosks.c's.
 */
#include <stdlib.h>

#include <sodium.h>

#include "http.h"
#include "actions.h"

/* GET /api/v1/admin/rounds/{id}/kiosks: {"kiosks": [...]}; 404. */
int
api_kiosks_list(struct req *r, struct reply *out)
{
	struct kiosk	*ks = NULL;
	size_t		 n = 0, i;
	json_t		*arr;
	enum err	 e;

	if ((e = kiosks_list(r->app, r->ids[0], &ks, &n)) != ERR_OK)
		return reply_error(out, e);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, kiosks_json(&ks[i]));
	free(ks);
	return reply_json(out, 200, json_pack("{s:o}", "kiosks", arr));
}

/*
 * POST /api/v1/admin/rounds/{id}/kiosks {"name", "unit"?}: 201 {"kiosk",
 * "key"}, the key shown once; 404 unknown round; 422 not an external
 * round, a bad name or a bad unit.  Its responses carry the unit.
 */
int
api_kiosks_post(struct req *r, struct reply *out)
{
	const char	*name = NULL, *unit = NULL;
	json_error_t	 jerr;
	struct kiosk	 k;
	char		 key[TOKEN_TEXT_MAX];
	enum err	 e;
	int		 status;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s:s, s?s}", "name",
	    &name, "unit", &unit) == -1)
		return reply_bad_body(out, &jerr,
		    "{\"name\": \"...\", \"unit\"?: \"...\"}");
	if (unit != NULL && unit[0] == '\0')
		unit = NULL;
	if ((e = kiosks_add(r->app, r->sess.username, r->ids[0], name, unit,
	    key, &k)) != ERR_OK)
		return reply_error(out, e);
	status = reply_json(out, 201, json_pack("{s:o, s:s}", "kiosk",
	    kiosks_json(&k), "key", key));
	sodium_memzero(key, sizeof(key));
	return status;
}

/*
 * PATCH /api/v1/admin/kiosks/{id} {"name"?, "revoked"?}: rename or
 * revoke for good (a revoked kiosk's submissions get 403, and "revoked":
 * false on it answers 409 kiosk_revoked).  200 with the kiosk;
 * 404; 422 bad name.
 */
int
api_kiosk_patch(struct req *r, struct reply *out)
{
	const char	*name = NULL;
	int		 revoked = -1;
	json_t		*rv = NULL;
	json_error_t	 jerr;
	struct kiosk	 k;
	enum err	 e;

	if (json_unpack_ex(r->json, &jerr, JSON_STRICT, "{s?s, s?o}", "name",
	    &name, "revoked", &rv) == -1)
		return reply_bad_body(out, &jerr,
		    "{\"name\"?: \"...\", \"revoked\"?: true}");
	if (rv != NULL && !json_is_boolean(rv))
		return reply_error_msg(out, ERR_BAD_BODY,
		    "\"revoked\" must be true or false.");
	if (rv != NULL)
		revoked = json_is_true(rv);
	if ((e = kiosks_change(r->app, r->sess.username, r->ids[0], name,
	    revoked, &k)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, kiosks_json(&k));
}
