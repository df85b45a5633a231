/* SPDX-License-Identifier: ISC */
/*
 * The one table of errors: status, code and message of every enum err.
 * Codes are part of the API (API.md) and stay stable; messages that name
 * a limit take it from the macro that enforces it, so the two cannot
 * drift.  Nothing here writes a reply or prints: http.c and the commands
 * do that with what this table says.
 */
#include <stdio.h>

#include "bounds.h"
#include "err.h"

struct errdef {
	int		 status;	/* HTTP status */
	const char	*code;		/* stable, [a-z_] */
	const char	*message;	/* English; may hold %lld for lo, hi */
	long long	 lo, hi;	/* the limits the message names */
};

static const struct errdef errs[ERR__MAX] = {
	[ERR_OK] = { 200, "ok", "OK.", 0, 0 },

	[ERR_BAD_REQUEST] = { 400, "bad_request",
	    "The request is malformed.", 0, 0 },
	[ERR_BAD_BODY] = { 400, "bad_request",
	    "The request body does not have the fields this route expects.",
	    0, 0 },
	[ERR_BAD_JSON] = { 400, "bad_json",
	    "The body is not valid JSON.", 0, 0 },
	[ERR_BODY_NOT_OBJECT] = { 400, "bad_request",
	    "The body must be a JSON object.", 0, 0 },
	[ERR_GET_BODY] = { 400, "bad_request",
	    "A GET request has no body.", 0, 0 },
	[ERR_FRAMING] = { 400, "bad_request",
	    "The request's length is ambiguous.", 0, 0 },
	[ERR_UNAUTHORIZED] = { 401, "unauthorized", "Please log in.", 0, 0 },
	[ERR_CSRF] = { 403, "csrf",
	    "The X-CSRF-Token header is missing or wrong.", 0, 0 },
	[ERR_READ_ONLY] = { 403, "forbidden",
	    "Your account may only read.", 0, 0 },
	[ERR_NO_ROUTE] = { 404, "not_found",
	    "There is no such API route.", 0, 0 },
	[ERR_NO_PAGE] = { 404, "not_found", "No such page.", 0, 0 },
	[ERR_METHOD] = { 405, "method_not_allowed",
	    "This method is not allowed on this route.", 0, 0 },
	[ERR_METHOD_GET] = { 405, "method_not_allowed",
	    "Only GET is allowed here.", 0, 0 },
	[ERR_TOO_LARGE] = { 413, "payload_too_large",
	    "The request body is larger than %lld KiB.", BODY_MAX / 1024, 0 },
	[ERR_URI_TOO_LONG] = { 414, "uri_too_long",
	    "The address is longer than %lld bytes.", URL_MAX, 0 },
	[ERR_QUERY_TOO_LONG] = { 414, "uri_too_long",
	    "The query string is longer than %lld bytes.", QUERY_MAX, 0 },
	[ERR_TOO_MANY_PARAMS] = { 400, "too_many_parameters",
	    "The query string has more than %lld parameters.", QUERY_ARGS_MAX,
	    0 },
	[ERR_NOT_IMPLEMENTED] = { 501, "not_implemented",
	    "Only chunked transfer coding is understood.", 0, 0 },
	[ERR_INTERNAL] = { 500, "internal",
	    "The server could not complete the request.", 0, 0 },
	[ERR_UNAVAILABLE] = { 503, "unavailable",
	    "The server cannot do this right now; try again shortly.", 0, 0 },
	[ERR_DB_UNAVAILABLE] = { 503, "unavailable",
	    "The database is not available.", 0, 0 },
	[ERR_SESSION_UNAVAILABLE] = { 503, "unavailable",
	    "The server could not check your session right now; try again "
	    "shortly.", 0, 0 },

	[ERR_NO_ROUND] = { 404, "not_found", "No such round.", 0, 0 },
	[ERR_ROUND_CLOSED] = { 410, "round_closed",
	    "This round is not open for responses.", 0, 0 },
	[ERR_ROUND_FINAL] = { 409, "round_final",
	    "This round is final: its raw responses were exported, so it "
	    "can never be reopened or accept responses again.", 0, 0 },
	[ERR_FORM_MISSING] = { 500, "internal",
	    "The round's questionnaire is missing on the server.", 0, 0 },
	[ERR_CODE_REQUIRED] = { 403, "forbidden",
	    "An access code is required.", 0, 0 },
	[ERR_CODE_INVALID] = { 403, "forbidden",
	    "This access code is not valid for this round.", 0, 0 },
	[ERR_CODE_USED] = { 409, "token_used",
	    "This access code has already been used.", 0, 0 },
	[ERR_CODE_RATE] = { 429, "rate_limited",
	    "Too many wrong access codes or kiosk keys from this address; "
	    "try again later.", 0, 0 },
	[ERR_NO_CODES] = { 400, "bad_request",
	    "This round does not use access codes.", 0, 0 },
	[ERR_TOKEN_TYPE] = { 400, "bad_request",
	    "\"token\" must be a string.", 0, 0 },
	[ERR_KIOSK_INVALID] = { 403, "forbidden",
	    "This kiosk key is not valid for this round.", 0, 0 },
	[ERR_KIOSK_KEY] = { 403, "forbidden",
	    "This kiosk key is not valid.", 0, 0 },
	[ERR_KIOSK_RATE] = { 429, "rate_limited",
	    "This kiosk is sending too fast; try again later.", 0, 0 },
	[ERR_KIOSKS_ONLY] = { 403, "forbidden",
	    "This round accepts responses only from its kiosks.", 0, 0 },
	[ERR_PUBLIC_RATE] = { 429, "rate_limited",
	    "Too many responses from this address; try again later.", 0, 0 },
	[ERR_INVALID_ANSWERS] = { 422, "invalid_answers",
	    "Some answers do not fit the questionnaire.", 0, 0 },
	[ERR_STORE_UNAVAILABLE] = { 503, "unavailable",
	    "The server cannot store responses right now.", 0, 0 },

	[ERR_CROSS_SITE] = { 403, "forbidden",
	    "Log in from this server's own pages.", 0, 0 },
	[ERR_LOGIN_WRONG] = { 401, "unauthorized",
	    "Wrong user name or password.", 0, 0 },
	[ERR_LOGIN_RATE] = { 429, "rate_limited",
	    "Too many login attempts; try again later.", 0, 0 },
	[ERR_LOCKED] = { 429, "locked",
	    "Too many failed logins for this name from this address; try "
	    "again later.", 0, 0 },
	[ERR_UNKNOWN_FORM] = { 422, "unknown_form",
	    "There is no form with that id.", 0, 0 },
	[ERR_BAD_TITLE] = { 422, "bad_title",
	    "The title must be 1 to %lld bytes of text, without control "
	    "characters.", TITLE_MAX, 0 },
	[ERR_BAD_POPULATION] = { 422, "bad_population",
	    "The population must be 0 to %lld.", POPULATION_MAX, 0 },
	[ERR_BAD_PUBLIC] = { 422, "bad_public",
	    "Only rounds of external forms can be public.", 0, 0 },
	[ERR_CODES_COUNT] = { 422, "bad_count",
	    "Issue 1 to %lld codes at a time.", CODES_MAX, 0 },
	[ERR_CODES_PER_REQUEST] = { 422, "bad_count",
	    "Issue 1 to %lld codes at a time.", CODES_PER_REQUEST, 0 },
	[ERR_NOT_INTERNAL] = { 422, "not_internal",
	    "Access codes are for rounds of internal forms.", 0, 0 },
	[ERR_NOT_EXTERNAL] = { 422, "not_external",
	    "Kiosks are for rounds of external forms.", 0, 0 },
	[ERR_BAD_NAME] = { 422, "bad_name",
	    "The name must be 1 to %lld bytes of text, without control "
	    "characters.", NAME_MAX_LEN, 0 },
	[ERR_NO_KIOSK] = { 404, "not_found", "No such kiosk.", 0, 0 },
	[ERR_BAD_EXPORT] = { 400, "bad_request",
	    "Use ?what=scores|responses|units|compare&format=csv|json|xlsx "
	    "(compare also with=ROUND).", 0, 0 },
	[ERR_KIOSK_REVOKED] = { 409, "kiosk_revoked",
	    "A revoked kiosk stays revoked; register a new kiosk instead.",
	    0, 0 },
	[ERR_NOT_EXPORTABLE] = { 409, "not_exportable",
	    "Responses can be exported once the round is closed and has at "
	    "least min_cell respondents.", 0, 0 },
	[ERR_QR_COUNT] = { 422, "bad_texts",
	    "Ask for 1 to %lld QR codes at a time.", QR_TEXTS_MAX, 0 },
	[ERR_QR_TEXT] = { 422, "bad_texts",
	    "Each text must be 1 to %lld bytes.", QR_TEXT_MAX, 0 },
	[ERR_ITA_QUERY] = { 400, "bad_request",
	    "Use ?iit=ROUND&eit=ROUND, and &oit=SCORE to type the OIT score "
	    "in instead of the estimate.", 0, 0 },
	[ERR_BAD_OIT] = { 422, "bad_oit",
	    "The OIT score must be 0 to 100 with at most two decimals.",
	    0, 0 },
	[ERR_ITA_NO_ROUND] = { 404, "not_found",
	    "A round of the overview does not exist.", 0, 0 },
	[ERR_WRONG_INSTRUMENT] = { 422, "wrong_instrument",
	    "A round of the overview is of the wrong instrument.", 0, 0 },
	[ERR_NOT_PUBLISHED] = { 409, "not_published",
	    "A round of the overview has no published scores yet.", 0, 0 },
	[ERR_BAD_WEIGHTS] = { 422, "bad_weights",
	    "The forms' indicator weights leave no weight for OIT.", 0, 0 },
	[ERR_BAD_USERNAME] = { 422, "bad_username",
	    "The user name must be 1 to %lld characters: letters, digits "
	    "and . _ - @ +.", USERNAME_MAX, 0 },
	[ERR_BAD_PASSWORD] = { 422, "bad_password",
	    "The password must be %lld to %lld bytes long.", PASSWORD_MIN,
	    PASSWORD_MAX },
	[ERR_USER_EXISTS] = { 409, "user_exists",
	    "An account with that user name already exists.", 0, 0 },
	[ERR_BAD_ROLE] = { 422, "bad_role",
	    "The role is admin or viewer.", 0, 0 },
	[ERR_AUDIT_QUERY] = { 400, "bad_request",
	    "Use ?from=&to= (YYYY-MM-DD or unix seconds), user=, action=, "
	    "before=ID, limit=1..500, format=json|csv.", 0, 0 },
	[ERR_UNKNOWN_SETTING] = { 422, "unknown_setting",
	    "There is no such setting; \"ita-survey settings get\" or GET "
	    "/api/v1/admin/settings lists them.", 0, 0 },
	[ERR_BAD_AGENCY] = { 422, "bad_agency",
	    "The agency's name must be at most %lld bytes of text, without "
	    "control characters (empty clears it).", AGENCY_MAX, 0 },
	[ERR_NO_ACCOUNT] = { 404, "not_found", "No such account.", 0, 0 },
	[ERR_LAST_ADMIN] = { 409, "last_admin",
	    "This is the last enabled administrator: it cannot be disabled "
	    "or made a viewer.  Make another account an administrator "
	    "first.", 0, 0 },
	[ERR_OWN_DISABLE] = { 409, "own_account",
	    "You cannot disable your own account; another administrator "
	    "can.", 0, 0 },
	[ERR_OWN_RESET] = { 409, "own_account",
	    "Change your own password with your current one instead of "
	    "resetting it.", 0, 0 },
	[ERR_WRONG_PASSWORD] = { 403, "wrong_password",
	    "The current password is wrong.", 0, 0 },
	[ERR_SAME_PASSWORD] = { 422, "same_password",
	    "The new password must differ from the current one.", 0, 0 },
	[ERR_PASSWORD_CHANGE] = { 403, "password_change_required",
	    "Choose a new password first: your password was set by an "
	    "administrator.", 0, 0 },
	[ERR_BAD_DISABLED] = { 400, "bad_request",
	    "\"disabled\" must be true or false.", 0, 0 },
	[ERR_VOID_COUNT] = { 422, "bad_count",
	    "Void 1 to %lld codes at a time.", CODES_VOID_MAX, 0 },
	[ERR_VOID_PER_REQUEST] = { 422, "bad_count",
	    "Void 1 to %lld codes at a time.", CODES_VOID_PER_REQUEST, 0 },
	[ERR_VOID_BODY] = { 400, "bad_request",
	    "Send either {\"codes\": [\"...\", ...]} or "
	    "{\"all_unused\": true}.", 0, 0 },
	[ERR_UNKNOWN_CODES] = { 422, "unknown_codes",
	    "Some of the codes are not codes of this round; nothing was "
	    "voided.", 0, 0 },
	[ERR_ROUND_OPEN] = { 409, "round_open",
	    "This round is open: close it first.", 0, 0 },
	[ERR_ROUND_WAS_OPENED] = { 409, "round_was_opened",
	    "A round that was ever open for responses may hold answers and "
	    "cannot be deleted; archive it instead.", 0, 0 },
	[ERR_ROUND_ARCHIVED] = { 409, "round_archived",
	    "This round is archived: restore it from the archive first.",
	    0, 0 },
	[ERR_ROUND_PATCH] = { 400, "bad_request",
	    "Send one or more of \"title\", \"population\" and "
	    "\"archived\".", 0, 0 },
	[ERR_ROUNDS_QUERY] = { 400, "bad_request",
	    "Use ?archived=0 or ?archived=1.", 0, 0 },
	[ERR_OIT_BAD_URL] = { 422, "bad_url",
	    "An evidence URL must be an http:// or https:// address of at "
	    "most %lld bytes, with a host name and without a user name or "
	    "password.", OIT_URL_MAX, 0 },
	[ERR_OIT_URL_PRIVATE] = { 422, "url_not_public",
	    "That address is a loopback, private, link-local or metadata "
	    "address, or its name does not resolve; serve with "
	    "--oit-allow-private to watch intranet evidence.", 0, 0 },
	[ERR_OIT_URL_EXISTS] = { 409, "url_exists",
	    "That URL is already evidence of this item.", 0, 0 },
	[ERR_OIT_TOO_MANY_URLS] = { 422, "too_many_urls",
	    "At most %lld URLs per item and %lld in all are watched.",
	    OIT_URLS_PER_ITEM, OIT_URLS_MAX },
	[ERR_OIT_NO_URL] = { 404, "not_found", "No such evidence URL.", 0,
	    0 },
	[ERR_OIT_UNKNOWN_ITEM] = { 404, "unknown_item",
	    "The OIT checklist has no such item.", 0, 0 },
	[ERR_OIT_NO_CHECKLIST] = { 404, "no_checklist",
	    "There is no such OIT checklist in the forms folder.", 0, 0 },
	[ERR_OIT_NO_COPY] = { 404, "no_copy",
	    "No good copy of this URL has been kept yet.", 0, 0 },
	[ERR_OIT_BAD_ITEM] = { 422, "bad_item",
	    "Send \"ready\" (true or false), \"note\" (at most %lld bytes) "
	    "and \"owner\" (at most %lld bytes), one or more of them.",
	    OIT_NOTE_MAX, OIT_OWNER_MAX },
	[ERR_OIT_BAD_RANGE] = { 400, "bad_range",
	    "Use from=YYYY-MM-DD&to=YYYY-MM-DD, from not after to, at most "
	    "%lld days.", OIT_RANGE_DAYS_MAX, 0 },
	[ERR_BAD_OIT_SETTING] = { 422, "bad_oit_setting",
	    "That OIT setting's value breaks its rule (see README, \"OIT "
	    "evidence desk\").", 0, 0 },
	[ERR_OIT_BAD_FORMAT] = { 400, "bad_request",
	    "Use format=json|csv|xlsx and, for csv, part=summary|log|"
	    "incidents.", 0, 0 },
	[ERR_ITA_NO_OIT] = { 422, "no_oit",
	    "No OIT checklist is loaded to estimate OIT from: type the OIT "
	    "score (oit=SCORE) or add an OIT checklist to the forms "
	    "folder.", 0, 0 },
	[ERR_BAD_UNIT] = { 422, "bad_unit",
	    "The unit's name must be 1 to %lld bytes of text, without "
	    "control characters.", UNIT_NAME_MAX, 0 },
	[ERR_UNITS_MAX] = { 422, "too_many_units",
	    "A round may have at most %lld units, and there may be %lld in "
	    "all.", UNITS_PER_ROUND, UNITS_MAX },
	[ERR_BAD_MEASURE] = { 422, "bad_measure",
	    "The measure does not fit its rules: see \"fields\".", 0, 0 },
	[ERR_NO_MEASURE] = { 404, "not_found", "No such measure.", 0, 0 },
	[ERR_TOO_MANY_MEASURES] = { 422, "too_many_measures",
	    "A fiscal year holds at most %lld measures.", MEASURES_PER_YEAR,
	    0 },
	[ERR_MEASURES_QUERY] = { 400, "bad_request",
	    "Use ?year=%lld..%lld (Buddhist Era), status=planned|doing|done|"
	    "dropped and format=csv|json.", MEASURE_YEAR_MIN,
	    MEASURE_YEAR_MAX },
	[ERR_GUIDANCE_UNKNOWN] = { 404, "unknown_indicator",
	    "No form, OIT checklist or guidance file has such an indicator.",
	    0, 0 },
	[ERR_GUIDANCE_TEXT] = { 422, "bad_guidance",
	    "Give the guidance in Thai and English, each 1 to %lld bytes of "
	    "text lines.", GUIDANCE_TEXT_MAX, 0 },
	[ERR_NOT_COMPARABLE] = { 422, "not_comparable",
	    "Only rounds of the same instrument (IIT with IIT, EIT with EIT) "
	    "can be compared.", 0, 0 },
	[ERR_SAME_ROUND] = { 422, "not_comparable",
	    "Compare a round with another round, not with itself.", 0, 0 },
	[ERR_COMPARE_WITH] = { 400, "bad_request",
	    "Name the round to compare with: with=ROUND (an id).", 0, 0 },
};

/*
 * Errors that say an argument is out of its bounds: on the command line
 * they are bad usage (exit 2, API.md), as a malformed flag is.
 */
static const enum err usage_errs[] = {
	ERR_BAD_TITLE, ERR_BAD_POPULATION, ERR_CODES_COUNT, ERR_BAD_NAME,
	ERR_BAD_ROLE, ERR_UNKNOWN_SETTING, ERR_BAD_AGENCY, ERR_OIT_BAD_URL,
	ERR_OIT_URL_PRIVATE, ERR_OIT_BAD_ITEM, ERR_OIT_BAD_RANGE,
	ERR_BAD_OIT_SETTING, ERR_OIT_BAD_FORMAT, ERR_BAD_UNIT, ERR_UNITS_MAX,
	ERR_BAD_MEASURE, ERR_GUIDANCE_TEXT,
};

static const struct errdef *
def(enum err e)
{
	if ((unsigned)e >= ERR__MAX || errs[e].code == NULL)
		e = ERR_INTERNAL;
	return &errs[e];
}

/* The HTTP status of e. */
int
err_status(enum err e)
{
	return def(e)->status;
}

/* The stable error code of e ("not_found"); static storage. */
const char *
err_code(enum err e)
{
	return def(e)->code;
}

/*
 * The message of e, its limits filled in, in buf (ERR_MESSAGE_MAX bytes
 * are always enough).  Returns buf.
 */
const char *
err_message(enum err e, char *buf, size_t bufsz)
{
	const struct errdef	*d = def(e);

	if (bufsz == 0)
		return buf;
	/*
	 * The formats are the constants above, each with at most two %lld
	 * and both limits always passed; unused ones are ignored (C11
	 * 7.21.6.1p2).
	 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	(void)snprintf(buf, bufsz, d->message, d->lo, d->hi);
#pragma GCC diagnostic pop
	return buf;
}

/* 1 when e means a command's argument is out of bounds (exit 2). */
int
err_usage(enum err e)
{
	size_t	i;

	for (i = 0; i < sizeof(usage_errs) / sizeof(usage_errs[0]); i++)
		if (usage_errs[i] == e)
			return 1;
	return 0;
}
