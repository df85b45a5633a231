/* SPDX-License-Identifier: ISC */
/*
 * The OIT evidence desk's proof of availability and its OIT estimate for
 * the console (oitreport.c and oitscore.c do the work).  Both only read,
 * so viewers may ask too; http.c has checked the session.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "actions.h"
#include "oit.h"

/*
 * GET /api/v1/admin/oit/report?from=YYYY-MM-DD&to=YYYY-MM-DD
 * &format=json|csv|xlsx[&part=summary|log|incidents]: the availability
 * report of those local days (to included).  JSON (the default) is the
 * document of oit_report(); csv and xlsx are downloads
 * ("oit-report-FROM-TO.csv", "oit-log-...", "oit-incidents-...",
 * "oit-report-FROM-TO.xlsx"); part chooses which CSV.  400 bad_range for
 * missing or bad days, from after to, or more than OIT_RANGE_DAYS_MAX
 * days; 400 bad_request for another format or part.
 */
int
api_oit_report_get(struct req *r, struct reply *out)
{
	enum oit_report_format	 f;
	int64_t			 from, to;
	json_t			*doc;
	FILE			*tmp = NULL;
	enum err		 e;
	int			 status;

	if (oit_report_range(req_query(r, "from"), req_query(r, "to"), &from,
	    &to) != ERR_OK)
		return reply_error(out, ERR_OIT_BAD_RANGE);
	if (oit_report_format_parse(req_query(r, "format"), req_query(r,
	    "part"), &f) == -1)
		return reply_error(out, ERR_OIT_BAD_FORMAT);
	if (f == OIT_REPORT_JSON) {
		if ((e = oit_report(r->app, from, to, &doc)) != ERR_OK)
			return reply_error(out, e);
		return reply_json(out, 200, doc);
	}
	if ((tmp = tmpfile()) == NULL)
		return reply_error(out, ERR_UNAVAILABLE);
	if ((e = oit_report_write(r->app, from, to, f, tmp)) != ERR_OK)
		status = reply_error(out, e);
	else
		status = reply_file(out, tmp, oit_report_mime(f),
		    oit_report_filename(from, to, f));
	fclose(tmp);
	return status;
}

/*
 * GET /api/v1/admin/oit/estimate: the OIT estimate now (oit_estimate).
 * 404 no_checklist when no OIT checklist is loaded.
 */
int
api_oit_estimate_get(struct req *r, struct reply *out)
{
	json_t		*doc;
	int64_t		 score;
	enum err	 e;

	if ((e = oit_estimate(r->app, &doc, &score)) != ERR_OK)
		return reply_error(out, e);
	return reply_json(out, 200, doc);
}
