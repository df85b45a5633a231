/* SPDX-License-Identifier: ISC */
/*
 * ita-survey export: a round's scores or responses to a file or standard
 * output.  The export is written to a temporary file first and delivered
 * only once export_round() has recorded its audit line, as the console's
 * download is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

#define EXPORT_USAGE "ita-survey export --round ID " \
	"--what scores|responses|units|compare [--with ID] " \
	"--format csv|json|xlsx [--out FILE]"

/* ita-survey export --round ID --what W --format F [--out FILE] */
int
cmd_export(struct config *cfg, int argc, char **argv)
{
	struct app		 app;
	enum export_what	 what;
	enum export_format	 fmt;
	const char		*w = NULL, *f = NULL, *outp = NULL;
	char			*tmp = NULL;
	FILE			*out = NULL;
	int64_t			 round = 0, with = 0;
	enum err		 e;
	int			 i, rc = 1;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nWrites the round's scores or its "
		    "anonymised responses to FILE (replaced\nonly when "
		    "complete) or standard output.  CSV is UTF-8 with a BOM "
		    "so Excel\nreads Thai.  Responses come in random order, "
		    "never arrival order, and only\nonce the round is closed "
		    "with at least min_cell respondents.  Exporting\n"
		    "responses makes the round final: it can never be "
		    "reopened or take another\nresponse, so no two exports "
		    "can be compared to find one person's answers.\n"
		    "--what compare --with ID: the comparison of the two "
		    "rounds (as \"compare\"),\nwhich leaves both as they "
		    "are.\n",
		    EXPORT_USAGE);
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--round") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &round) == -1)
				return usage_error(EXPORT_USAGE,
				    "--round needs a round ID");
		} else if (strcmp(argv[i], "--with") == 0 && i + 1 < argc) {
			if (parse_id(argv[++i], &with) == -1)
				return usage_error(EXPORT_USAGE,
				    "--with needs a round ID");
		} else if (strcmp(argv[i], "--what") == 0 && i + 1 < argc)
			w = argv[++i];
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			f = argv[++i];
		else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc)
			outp = argv[++i];
		else
			return usage_error(EXPORT_USAGE,
			    "unexpected argument \"%s\"", argv[i]);
	}
	if (round == 0 || export_parse(w, f, &what, &fmt) == -1)
		return usage_error(EXPORT_USAGE, "--round, --what and "
		    "--format are required");
	if ((what == EXPORT_COMPARE) != (with != 0))
		return usage_error(EXPORT_USAGE, "--with goes with --what "
		    "compare, and only there");
	if (cmd_open(&app, cfg, APP_FORMS) == -1)
		goto out;
	if ((out = cmd_out_open(outp, &tmp)) == NULL)
		goto out;
	if (what == EXPORT_COMPARE)
		e = export_compare(&app, ACTOR_CLI, round, with, fmt, out);
	else
		e = export_round(&app, ACTOR_CLI, round, what, fmt, out);
	if (e != ERR_OK)
		rc = cmd_fail(EXPORT_USAGE, e, "round %lld", (long long)round);
	/* Audited: now the export may leave. */
	i = cmd_out_close(out, tmp, outp, e == ERR_OK);
	if (e == ERR_OK)
		rc = i;
out:
	app_close(&app);
	return rc;
}
