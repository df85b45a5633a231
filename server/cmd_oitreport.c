/* SPDX-License-Identifier: ISC */
/*
 * ita-survey oit report: the OIT evidence desk's proof of availability
 * for a range of days, to a file or standard output (oitreport.c writes
 * it).  cmd_oit.c hands it the arguments after "report".  As with
 * exports, the file is written to FILE.tmp and renamed into place only
 * when complete.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "oit.h"

#define OITREPORT_USAGE "ita-survey oit report --from DATE --to DATE " \
	"--format csv|xlsx|json [--part summary|log|incidents] [--out FILE]"

static void
help(void)
{
	printf("usage: %s\n\nWrites the availability report of the OIT "
	    "evidence URLs for the local days\nDATE to DATE (YYYY-MM-DD, both "
	    "included, at most %d days) to FILE\n(--output FILE too; replaced "
	    "only when complete) or standard output.\n\n"
	    "  json   every URL's checks, uptime, incidents and check log\n"
	    "  csv    one table: --part summary (per URL, the default), log "
	    "(the\n         check log) or incidents; UTF-8 with a BOM\n"
	    "  xlsx   the three tables for the committee (not to a "
	    "terminal)\n", OITREPORT_USAGE, OIT_RANGE_DAYS_MAX);
}

/* ita-survey oit report --from D --to D --format F [--part P] [--out F] */
int
cmd_oit_report(struct config *cfg, int argc, char **argv)
{
	struct app		 app;
	enum oit_report_format	 f;
	const char		*from = NULL, *to = NULL, *format = NULL;
	const char		*part = NULL, *outp = NULL;
	char			*tmp = NULL;
	FILE			*out = NULL;
	int64_t			 start, end;
	enum err		 e;
	int			 i, rc = 1;

	memset(&app, 0, sizeof(app));
	if (wants_help(argc, argv)) {
		help();
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			from = argv[++i];
		else if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
			to = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			format = argv[++i];
		else if (strcmp(argv[i], "--part") == 0 && i + 1 < argc)
			part = argv[++i];
		else if ((strcmp(argv[i], "--out") == 0 ||
		    strcmp(argv[i], "--output") == 0) && i + 1 < argc)
			outp = argv[++i];
		else
			return usage_error(OITREPORT_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (from == NULL || to == NULL || format == NULL)
		return usage_error(OITREPORT_USAGE, "--from, --to and "
		    "--format are required");
	if (oit_report_format_parse(format, part, &f) == -1)
		return usage_error(OITREPORT_USAGE, "--format is csv, xlsx or "
		    "json; --part (summary, log or incidents) is for csv");
	if ((e = oit_report_range(from, to, &start, &end)) != ERR_OK)
		return cmd_fail(OITREPORT_USAGE, e, "%s to %s", from, to);
	if (f == OIT_REPORT_XLSX && outp == NULL && isatty(STDOUT_FILENO))
		return usage_error(OITREPORT_USAGE, "a workbook is not for a "
		    "terminal: use --out FILE or redirect standard output");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((out = cmd_out_open(outp, &tmp)) == NULL)
		goto out;
	if ((e = oit_report_write(&app, start, end, f, out)) != ERR_OK)
		rc = cmd_fail(OITREPORT_USAGE, e, "oit report");
	i = cmd_out_close(out, tmp, outp, e == ERR_OK);
	if (e == ERR_OK)
		rc = i;
out:
	app_close(&app);
	return rc;
}
