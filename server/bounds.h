/* SPDX-License-Identifier: ISC */
/*
 * The bounds on what the outside world may send: request sizes, text
 * lengths, counts.  They live together because both the code that
 * enforces them and the error messages that name them (err.c) need
 * them, and one number must not be written twice.
 */
#ifndef BOUNDS_H
#define BOUNDS_H

/* HTTP requests (http.c) */
#define BODY_MAX	65536	/* bytes of a request body (413 past it) */
#define URL_MAX		2048	/* bytes of a request path (414 past it) */
#define QUERY_MAX	1024	/* bytes of a query string (414 past it) */
#define QUERY_ARGS_MAX	32	/* parameters of a query string (400 past it) */

/* Rounds, kiosks, accounts (rounds.c, kiosks.c, accounts.c, auth.c) */
#define TITLE_MAX	300	/* bytes of a round title */
#define POPULATION_MAX	100000000 /* head-count of one round */
#define NAME_MAX_LEN	100	/* bytes of a kiosk name */
#define PUBLIC_URL_MAX	200	/* bytes of --public-url */
#define USERNAME_MAX	64	/* bytes of an admin user name */
#define PASSWORD_MIN	8	/* bytes of an admin password */
#define PASSWORD_MAX	256

/* Units (units.c) */
#define UNIT_NAME_MAX	120	/* bytes of a unit's name */
#define UNITS_MAX	1000	/* units in all */
#define UNITS_PER_ROUND	200	/* units one round may have */

/* Settings (settings.c) */
#define AGENCY_MAX	200	/* bytes of the agency's name */

/* Access codes (codes.c) */
#define CODES_MAX	1000000	/* codes one action may issue */
#define CODES_PER_REQUEST 5000	/* codes one HTTP request may ask for */
#define CODES_VOID_MAX	10000	/* codes one void action may list */
#define CODES_VOID_PER_REQUEST 500 /* codes one HTTP request may void */
#define CODE_TEXT_MAX	64	/* bytes of one code as typed, to void */

/* The audit log (audit.c, api_console.c) */
#define AUDIT_TEXT_MAX	1024	/* bytes of one audit line's sentence */
#define AUDIT_ACTION_MAX 64	/* bytes of an action name in a filter */
#define AUDIT_PAGE_MAX	500	/* audit lines one request returns */
#define AUDIT_CSV_MAX	50000	/* audit lines one CSV download holds */
#define AUDIT_TIME_MAX	253402300799LL /* unix seconds: 9999-12-31 */

/* The OIT evidence desk (oit*.c) */
#define OIT_URL_MAX	2000	/* bytes of an evidence URL */
#define OIT_URLS_PER_ITEM 10	/* URLs one item may list */
#define OIT_URLS_MAX	500	/* URLs watched in all */
#define OIT_NOTE_MAX	1000	/* bytes of an item's note */
#define OIT_OWNER_MAX	200	/* bytes of who is responsible */
#define OIT_RANGE_DAYS_MAX 3660	/* days one report may span */
#define OIT_REDIRECTS_MAX 5	/* redirects one check follows */
#define SMTP_PASSWORD_MAX 256	/* bytes of --smtp-password-file's */

/* QR codes for the console (qr.c, api_console.c) */
#define QR_TEXT_MAX	512	/* bytes of text in one QR code */
#define QR_TEXTS_MAX	500	/* QR codes one request may ask for */

/* The working group's measures (measures.c) */
#define MEASURE_WHAT_MAX 2000	/* bytes of a measure */
#define MEASURE_HOW_MAX	4000	/* bytes of its steps */
#define MEASURE_WHO_MAX	200	/* bytes of who is responsible */
#define MEASURE_PROGRESS_MAX 4000 /* bytes of what was done so far */
#define MEASURE_EVIDENCE_MAX 2000 /* bytes of its evidence */
#define MEASURES_PER_YEAR 1000	/* measures of one fiscal year */
#define MEASURE_YEAR_MIN 2500	/* fiscal years, Buddhist Era */
#define MEASURE_YEAR_MAX 2700
/* The guidance per indicator (guidance.c) */
#define GUIDANCE_TEXT_MAX 4000	/* bytes of one language's text */

#endif /* !BOUNDS_H */
