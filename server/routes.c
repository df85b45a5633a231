/* SPDX-License-Identifier: ISC */
/*
 * The route table, nothing else.  http.c matches method and path here,
 * then runs the front-line checks the entry asks for (session, role,
 * CSRF on writes, JSON body) before calling the handler.  A handler that
 * hands its work to the writer (HTTP_SUSPEND) names the handler that
 * answers once the writer has decided.
 */
#include "http.h"
#include "measures.h"

const struct route routes[] = {
	{ "GET",  "/healthz",				api_health_get,	    AUTH_NONE,   0, NULL },
	{ "GET",  "/api/v1/rounds/#/form",		api_form_get,	    AUTH_NONE,   0, NULL },
	{ "POST", "/api/v1/rounds/#/responses",		api_responses_post, AUTH_NONE,   1, api_responses_finish },
	{ "POST", "/api/v1/rounds/#/tokens/check",	api_token_check,    AUTH_NONE,   1, NULL },
	{ "GET",  "/api/v1/kiosk",			api_kiosk_get,	    AUTH_NONE,   0, NULL },
	{ "POST", "/api/v1/admin/login",		api_login_post,	    AUTH_NONE,   1, NULL },
	{ "POST", "/api/v1/admin/logout",		api_logout_post,    AUTH_SELF,   0, NULL },
	{ "GET",  "/api/v1/admin/me",			api_me_get,	    AUTH_SELF,   0, NULL },
	{ "POST", "/api/v1/admin/password",		api_password_post,  AUTH_SELF,   1, NULL },
	{ "GET",  "/api/v1/admin/accounts",		api_accounts_list,  AUTH_ADMIN,  0, NULL },
	{ "POST", "/api/v1/admin/accounts",		api_accounts_post,  AUTH_ADMIN,  1, NULL },
	{ "PATCH", "/api/v1/admin/accounts/#",		api_account_patch,  AUTH_ADMIN,  1, NULL },
	{ "POST", "/api/v1/admin/accounts/#/reset",	api_account_reset,  AUTH_ADMIN,  0, NULL },
	{ "GET",  "/api/v1/admin/forms",		api_forms_list,	    AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/rounds",		api_rounds_list,    AUTH_VIEWER, 0, NULL },
	{ "POST", "/api/v1/admin/rounds",		api_rounds_post,    AUTH_ADMIN,  1, NULL },
	{ "GET",  "/api/v1/admin/rounds/#",		api_round_get,	    AUTH_VIEWER, 0, NULL },
	{ "PATCH", "/api/v1/admin/rounds/#",		api_round_patch,    AUTH_ADMIN,  1, NULL },
	{ "DELETE", "/api/v1/admin/rounds/#",		api_round_delete,   AUTH_ADMIN,  0, NULL },
	{ "POST", "/api/v1/admin/rounds/#/open",	api_round_open,	    AUTH_ADMIN,  0, NULL },
	{ "POST", "/api/v1/admin/rounds/#/close",	api_round_close,    AUTH_ADMIN,  0, NULL },
	{ "GET",  "/api/v1/admin/rounds/#/scores",	api_scores_get,	    AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/rounds/#/units",	api_units_get,	    AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/units",		api_unit_names_get, AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/rounds/#/export",	api_export_get,	    AUTH_VIEWER, 0, NULL },
	{ "POST", "/api/v1/admin/rounds/#/tokens",	api_tokens_post,    AUTH_ADMIN,  1, NULL },
	{ "POST", "/api/v1/admin/rounds/#/tokens/void",	api_tokens_void,    AUTH_ADMIN,  1, NULL },
	{ "GET",  "/api/v1/admin/rounds/#/kiosks",	api_kiosks_list,    AUTH_VIEWER, 0, NULL },
	{ "POST", "/api/v1/admin/rounds/#/kiosks",	api_kiosks_post,    AUTH_ADMIN,  1, NULL },
	{ "PATCH", "/api/v1/admin/kiosks/#",		api_kiosk_patch,    AUTH_ADMIN,  1, NULL },
	{ "GET",  "/api/v1/admin/audit",		api_audit_list,	    AUTH_ADMIN,  0, NULL },
	{ "POST", "/api/v1/admin/qr",			api_qr_post,	    AUTH_VIEWER, 1, NULL },
	{ "GET",  "/api/v1/admin/ita",			api_ita_get,	    AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/settings",		api_settings_get,   AUTH_VIEWER, 0, NULL },
	{ "PUT",  "/api/v1/admin/settings",		api_settings_put,   AUTH_ADMIN,  1, NULL },
	{ "GET",  "/api/v1/admin/oit",			api_oit_list,	    AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/oit/items/*",		api_oit_item_get,   AUTH_VIEWER, 0, NULL },
	{ "PATCH", "/api/v1/admin/oit/items/*",		api_oit_item_patch, AUTH_ADMIN,  1, NULL },
	{ "POST", "/api/v1/admin/oit/urls",		api_oit_urls_post,  AUTH_ADMIN,  1, NULL },
	{ "DELETE", "/api/v1/admin/oit/urls/#",		api_oit_url_delete, AUTH_ADMIN,  0, NULL },
	{ "GET",  "/api/v1/admin/oit/urls/#/copy",	api_oit_copy_get,   AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/oit/alerts",		api_oit_alerts_list, AUTH_VIEWER, 0, NULL },
	{ "POST", "/api/v1/admin/oit/check",		api_oit_check_post, AUTH_ADMIN,  0, NULL },
	/* oit-report */
	{ "GET",  "/api/v1/admin/oit/report",		api_oit_report_get, AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/oit/estimate",		api_oit_estimate_get, AUTH_VIEWER, 0, NULL },
	/* measures */
	{ "GET",  "/api/v1/admin/measures",		api_measures_list,  AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/measures/export",	api_measures_export, AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/measures/targets",	api_measures_targets, AUTH_VIEWER, 0, NULL },
	{ "POST", "/api/v1/admin/measures",		api_measures_post,  AUTH_ADMIN,  1, NULL },
	{ "GET",  "/api/v1/admin/measures/#",		api_measure_get,    AUTH_VIEWER, 0, NULL },
	{ "PATCH", "/api/v1/admin/measures/#",		api_measure_patch,  AUTH_ADMIN,  1, NULL },
	{ "DELETE", "/api/v1/admin/measures/#",		api_measure_delete, AUTH_ADMIN,  0, NULL },
	/* analysis: compare, weak items, guidance */
	{ "GET",  "/api/v1/admin/rounds/#/compare",	api_compare_get,    AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/rounds/#/weak",	api_weak_get,	    AUTH_VIEWER, 0, NULL },
	{ "GET",  "/api/v1/admin/guidance",		api_guidance_list,  AUTH_VIEWER, 0, NULL },
	{ "PUT",  "/api/v1/admin/guidance/*",		api_guidance_put,   AUTH_ADMIN,  1, NULL },
	{ "DELETE", "/api/v1/admin/guidance/*",		api_guidance_delete, AUTH_ADMIN, 0, NULL },
};

const size_t nroutes = sizeof(routes) / sizeof(routes[0]);
