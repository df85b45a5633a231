/* SPDX-License-Identifier: ISC */
/*
 * ita-survey forms check [DIR]: validate every form file and print each
 * problem with its file and JSON path.
 */
#include <string.h>

#include "cmd.h"

#define FORMS_USAGE "ita-survey forms check [DIR]"

int
cmd_forms(struct config *cfg, int argc, char **argv)
{
	struct formset	*set = NULL;
	const char	*dir = cfg->forms;
	size_t		 i;

	if (wants_help(argc, argv)) {
		printf("usage: %s\n\nValidates every *.json form in DIR "
		    "(default: the forms folder)\nand its OIT checklists "
		    "(oit-*.json).\nPrints each problem to standard error as "
		    "FILE:LINE:COL: message (syntax) or\nFILE: $.json.path: "
		    "message, and exits 1 if there is any.\n", FORMS_USAGE);
		return 0;
	}
	if (argc == 0 || strcmp(argv[0], "check") != 0)
		return usage_error(FORMS_USAGE, "expected \"check\"");
	if (argc > 2)
		return usage_error(FORMS_USAGE, "unexpected argument \"%s\"",
		    argv[2]);
	if (argc == 2)
		dir = argv[1];
	if (formset_load(dir, &set, stderr) == -1)
		return 1;
	for (i = 0; i < set->nforms; i++)
		printf("%s: ok (%zu questions)\n", set->forms[i]->id,
		    set->forms[i]->nquestions);
	for (i = 0; i < set->nlists; i++)
		printf("%s: ok (OIT checklist, %zu items)\n",
		    set->lists[i]->id, set->lists[i]->nitems);
	if (set->guidance != NULL)
		printf("%s: ok (guidance, %zu indicators)\n", GUIDANCE_FILE,
		    set->guidance->n);
	formset_free(set);
	return 0;
}
