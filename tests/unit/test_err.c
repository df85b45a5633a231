/* SPDX-License-Identifier: ISC */
/*
 * The error table (err.c): every error has a status, a stable code and a
 * message; messages that name a limit take it from the macro that
 * enforces it; codes stay the ones API.md documents.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "http.h"
#include "actions.h"
#include "../check.h"

/* The error codes API.md and the pages know. */
static const char *const known[] = {
	"bad_request", "bad_json", "unauthorized", "csrf", "forbidden",
	"not_found", "method_not_allowed", "payload_too_large",
	"uri_too_long", "not_implemented", "internal", "unavailable",
	"round_closed", "token_used", "rate_limited", "invalid_answers",
	"locked", "unknown_form", "bad_title", "bad_population", "bad_public",
	"bad_count", "not_internal", "not_external", "bad_name",
	"not_exportable", "bad_texts", "bad_oit", "wrong_instrument",
	"not_published", "bad_weights", "bad_username", "bad_password",
	"user_exists", "bad_role", "round_final", "kiosk_revoked",
	"too_many_parameters", "unknown_setting", "bad_agency", "last_admin",
	"own_account", "wrong_password", "same_password",
	"password_change_required", "unknown_codes", "round_open",
	"round_was_opened", "round_archived", "bad_url", "url_not_public",
	"url_exists", "too_many_urls", "unknown_item", "no_checklist",
	"no_copy", "bad_item", "bad_range", "bad_oit_setting", "no_oit",
	"bad_unit", "too_many_units",
	"bad_measure", "too_many_measures",
	"unknown_indicator", "bad_guidance", "not_comparable",
};

static int
is_known(const char *code)
{
	size_t	i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(known[i], code) == 0)
			return 1;
	return 0;
}

/* 1 when the message of e holds the decimal text of n. */
static int
names(enum err e, long long n)
{
	char	msg[ERR_MESSAGE_MAX], num[32];

	snprintf(num, sizeof(num), "%lld", n);
	return strstr(err_message(e, msg, sizeof(msg)), num) != NULL;
}

int
main(void)
{
	char		 msg[ERR_MESSAGE_MAX], tiny[8];
	const char	*c;
	int		 e, st;

	for (e = ERR_OK + 1; e < ERR__MAX; e++) {
		st = err_status((enum err)e);
		c = err_code((enum err)e);
		err_message((enum err)e, msg, sizeof(msg));
		CHECK(st >= 400 && st <= 599);
		CHECK(c != NULL && c[0] != '\0' && strspn(c,
		    "abcdefghijklmnopqrstuvwxyz_") == strlen(c));
		CHECK(is_known(c));
		/* A sentence: capital first, full stop last, no format left. */
		CHECK(isupper((unsigned char)msg[0]) || msg[0] == '"' ||
		    msg[0] == '?');
		CHECK(msg[strlen(msg) - 1] == '.');
		CHECK(strchr(msg, '%') == NULL);
		CHECK(strlen(msg) < sizeof(msg) - 1);
		if (st >= 500)
			CHECK(c[0] == 'i' || c[0] == 'u' || c[0] == 'n');
	}
	/* The limits come from their macros. */
	CHECK(names(ERR_TOO_LARGE, BODY_MAX / 1024));
	CHECK(names(ERR_URI_TOO_LONG, URL_MAX));
	CHECK(names(ERR_QUERY_TOO_LONG, QUERY_MAX));
	CHECK(names(ERR_TOO_MANY_PARAMS, QUERY_ARGS_MAX));
	CHECK(names(ERR_BAD_TITLE, TITLE_MAX));
	CHECK(names(ERR_BAD_POPULATION, POPULATION_MAX));
	CHECK(names(ERR_BAD_NAME, NAME_MAX_LEN));
	CHECK(names(ERR_CODES_COUNT, CODES_MAX));
	CHECK(names(ERR_CODES_PER_REQUEST, CODES_PER_REQUEST));
	CHECK(names(ERR_VOID_COUNT, CODES_VOID_MAX));
	CHECK(names(ERR_VOID_PER_REQUEST, CODES_VOID_PER_REQUEST));
	CHECK(names(ERR_QR_COUNT, QR_TEXTS_MAX));
	CHECK(names(ERR_QR_TEXT, QR_TEXT_MAX));
	CHECK(names(ERR_BAD_USERNAME, USERNAME_MAX));
	CHECK(names(ERR_BAD_PASSWORD, PASSWORD_MIN));
	CHECK(names(ERR_BAD_PASSWORD, PASSWORD_MAX));
	/* Statuses that API.md fixes. */
	CHECK(err_status(ERR_NO_ROUND) == 404);
	CHECK(err_status(ERR_ROUND_CLOSED) == 410);
	CHECK(err_status(ERR_CODE_USED) == 409);
	CHECK(err_status(ERR_INVALID_ANSWERS) == 422);
	CHECK(err_status(ERR_SESSION_UNAVAILABLE) == 503);
	CHECK(strcmp(err_code(ERR_LOCKED), "locked") == 0);
	/* Out of range is a 500, never a crash; a short buffer is cut. */
	CHECK(err_status(ERR__MAX) == 500);
	CHECK(err_status((enum err)-1) == 500);
	err_message(ERR_BAD_TITLE, tiny, sizeof(tiny));
	CHECK(strlen(tiny) == sizeof(tiny) - 1);
	/* Argument bounds are bad usage on the command line. */
	CHECK(err_usage(ERR_BAD_TITLE) && err_usage(ERR_BAD_NAME));
	CHECK(!err_usage(ERR_NO_ROUND) && !err_usage(ERR_NOT_INTERNAL));
	return check_done("test_err");
}
