/* SPDX-License-Identifier: ISC */
/*
 * The workbook export.c hands the committee (xlsx.c): what the file says
 * it is, the scores sheet with its chart, the responses sheet's header.
 * Only export.c, xlsx.c and oitxlsx.c include this, and with it
 * libxlsxwriter.
 */
#ifndef XLSX_H
#define XLSX_H

#include <xlsxwriter.h>

#include "actions.h"

/* What every export of a round says about itself; all borrowed. */
struct xlsx_facts {
	const struct round	*round;
	const struct form	*form;
	json_t			*doc;		/* the scores document */
	const char		*agency;	/* UTF-8, "" when unset */
	enum export_what	 what;
};

int	 xlsx_properties(lxw_workbook *, const struct xlsx_facts *) WUR;
int	 xlsx_scores(lxw_workbook *, const struct xlsx_facts *) WUR;
lxw_worksheet *xlsx_responses(lxw_workbook *, const struct form *,
	    lxw_row_t *first) WUR;
void	 xlsx_day(time_t, char *th, size_t thsz, char *iso, size_t isosz);
void	 xlsx_answer(lxw_worksheet *, lxw_row_t, lxw_col_t, const char *);

/* The committee's house style, shared by every workbook we write. */
struct xlsx_house {
	lxw_format	*title;		/* 14 pt bold */
	lxw_format	*label;		/* bold, top-aligned */
	lxw_format	*head;		/* column heads: bold, wrapped, ruled */
	lxw_format	*text;		/* top-aligned */
};

void	 xlsx_house(lxw_workbook *, struct xlsx_house *);

#endif /* !XLSX_H */
