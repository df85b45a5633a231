/* SPDX-License-Identifier: ISC */
/*
 * The error vocabulary: every error a command or a request can end in,
 * with its HTTP status, its stable "code" and its message, in one table
 * (err.c).  Admin actions, handlers and commands return these; reply_error()
 * turns one into the JSON envelope and the commands print its message.
 */
#ifndef ERR_H
#define ERR_H

#include <stddef.h>

enum err {
	ERR_OK = 0,		/* not an error */
	/* requests in general */
	ERR_BAD_REQUEST,
	ERR_BAD_BODY,
	ERR_BAD_JSON,
	ERR_BODY_NOT_OBJECT,
	ERR_GET_BODY,
	ERR_FRAMING,
	ERR_UNAUTHORIZED,
	ERR_CSRF,
	ERR_READ_ONLY,
	ERR_NO_ROUTE,
	ERR_NO_PAGE,
	ERR_METHOD,
	ERR_METHOD_GET,
	ERR_TOO_LARGE,
	ERR_URI_TOO_LONG,
	ERR_QUERY_TOO_LONG,
	ERR_TOO_MANY_PARAMS,
	ERR_NOT_IMPLEMENTED,
	ERR_INTERNAL,
	ERR_UNAVAILABLE,
	ERR_DB_UNAVAILABLE,
	ERR_SESSION_UNAVAILABLE,
	/* respondents */
	ERR_NO_ROUND,
	ERR_ROUND_CLOSED,
	ERR_ROUND_FINAL,
	ERR_FORM_MISSING,
	ERR_CODE_REQUIRED,
	ERR_CODE_INVALID,
	ERR_CODE_USED,
	ERR_CODE_RATE,
	ERR_NO_CODES,
	ERR_TOKEN_TYPE,
	ERR_KIOSK_INVALID,
	ERR_KIOSK_KEY,
	ERR_KIOSK_RATE,
	ERR_KIOSKS_ONLY,
	ERR_PUBLIC_RATE,
	ERR_INVALID_ANSWERS,
	ERR_STORE_UNAVAILABLE,
	/* administrators */
	ERR_CROSS_SITE,
	ERR_LOGIN_WRONG,
	ERR_LOGIN_RATE,
	ERR_LOCKED,
	ERR_UNKNOWN_FORM,
	ERR_BAD_TITLE,
	ERR_BAD_POPULATION,
	ERR_BAD_PUBLIC,
	ERR_CODES_COUNT,
	ERR_CODES_PER_REQUEST,
	ERR_NOT_INTERNAL,
	ERR_NOT_EXTERNAL,
	ERR_BAD_NAME,
	ERR_NO_KIOSK,
	ERR_KIOSK_REVOKED,
	ERR_BAD_EXPORT,
	ERR_NOT_EXPORTABLE,
	ERR_QR_COUNT,
	ERR_QR_TEXT,
	ERR_ITA_QUERY,
	ERR_BAD_OIT,
	ERR_ITA_NO_ROUND,
	ERR_WRONG_INSTRUMENT,
	ERR_NOT_PUBLISHED,
	ERR_BAD_WEIGHTS,
	ERR_BAD_USERNAME,
	ERR_BAD_PASSWORD,
	ERR_USER_EXISTS,
	ERR_BAD_ROLE,
	ERR_AUDIT_QUERY,
	ERR_UNKNOWN_SETTING,
	ERR_BAD_AGENCY,
	ERR__MAX
};

#define ERR_MESSAGE_MAX	256	/* bytes of one message, with its NUL */

int	 err_status(enum err);
const char *err_code(enum err);
const char *err_message(enum err, char *buf, size_t bufsz);
int	 err_usage(enum err);

#endif /* !ERR_H */
