/* SPDX-License-Identifier: ISC */
/*
 * OIT checklist files: forms/oit-YEAR.json, one per fiscal year, beside
 * the questionnaires.  Read one, enforce its rules (forms/README.md,
 * "OIT checklists") and keep it as a struct checklist plus the checked
 * JSON document the console shows.  What the working group records about
 * an item, and what the watcher sees of its URLs, are the database's
 * (oit.c, oitdb.c); nothing here knows of them.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "extern.h"

#define CL_ID_MAX	40	/* bytes of a checklist id */
#define CL_INDS_MAX	8
#define CL_GROUPS_MAX	32
#define CL_LABEL_MAX	300	/* bytes of a name in one language */
#define CL_HINT_MAX	600	/* bytes of a hint in one language */
#define CL_YEAR_MIN	2500	/* Buddhist era */
#define CL_YEAR_MAX	2700

struct clctx {
	const char	*file;
	FILE		*errs;
	size_t		 nerr;
};

static void
bad(struct clctx *c, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(struct clctx *c, const char *where, const char *fmt, ...)
{
	va_list	ap;

	c->nerr++;
	if (c->errs == NULL)
		return;
	fprintf(c->errs, "%s: %s: ", c->file, where);
	va_start(ap, fmt);
	vfprintf(c->errs, fmt, ap);
	va_end(ap);
	fputc('\n', c->errs);
}

/*
 * A JSON path for messages, cut if ever too long (indexes are bounded,
 * so it is not; vsnprintf keeps the compiler from guessing otherwise).
 */
static void
jpath(char *out, size_t outsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
jpath(char *out, size_t outsz, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	(void)vsnprintf(out, outsz, fmt, ap);
	va_end(ap);
}

/* Only the keys in known (NULL-terminated) may appear in o. */
static void
keys_check(struct clctx *c, const char *where, json_t *o,
    const char *const *known)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(o, key, v) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(known[i], key) == 0)
				break;
		if (known[i] == NULL)
			bad(c, where, "unknown key \"%.40s\"", key);
	}
}

/*
 * o[key] is {"th": "...", "en": "..."}: each one line of text of at most
 * max bytes.  Sets *th and *en (owned) or reports.
 */
static void
label_get(struct clctx *c, const char *where, json_t *o, const char *key,
    size_t max, int optional, char **th, char **en)
{
	static const char *const langs[] = { "th", "en", NULL };
	char		 at[160];
	json_t		*l, *v;
	char		**out[2] = { th, en };
	size_t		 i;

	*th = *en = NULL;
	jpath(at, sizeof(at), "%s.%s", where, key);
	if ((l = json_object_get(o, key)) == NULL) {
		if (!optional)
			bad(c, at, "missing");
		return;
	}
	if (!json_is_object(l)) {
		bad(c, at, "must be an object {\"th\", \"en\"}");
		return;
	}
	keys_check(c, at, l, langs);
	for (i = 0; i < 2; i++) {
		v = json_object_get(l, langs[i]);
		if (!json_is_string(v) || !text_ok(json_string_value(v), max) ||
		    strlen(json_string_value(v)) != json_string_length(v))
			bad(c, at, "\"%s\" must be one line of 1 to %zu bytes",
			    langs[i], max);
		else
			*out[i] = xstrdup(json_string_value(v));
	}
}

/* o[key] is a string matching the code rule; returned borrowed or NULL. */
static const char *
code_get(struct clctx *c, const char *where, json_t *o, const char *key,
    const char *prefix, size_t max)
{
	json_t		*v = json_object_get(o, key);
	const char	*s;
	size_t		 i, plen = strlen(prefix);

	if (!json_is_string(v)) {
		bad(c, where, "\"%s\" must be a string", key);
		return NULL;
	}
	s = json_string_value(v);
	if (strncmp(s, prefix, plen) != 0 || strlen(s) <= plen ||
	    strlen(s) > max)
		goto fail;
	for (i = plen; s[i] != '\0'; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] == '.' && plen == 0 && i > 0 && s[i + 1] != '\0')))
			goto fail;
	return s;
fail:
	bad(c, where, "\"%s\" must be %s followed by digits%s (at most %zu "
	    "bytes)", key, plen ? prefix : "digits", plen ? "" :
	    " and dots", max);
	return NULL;
}

void
checklist_free(struct checklist *cl)
{
	size_t	i;

	if (cl == NULL)
		return;
	for (i = 0; i < cl->ninds; i++) {
		free(cl->inds[i].name.th);
		free(cl->inds[i].name.en);
	}
	for (i = 0; i < cl->ngroups; i++) {
		free(cl->groups[i].name.th);
		free(cl->groups[i].name.en);
	}
	for (i = 0; i < cl->nitems; i++) {
		free(cl->items[i].name.th);
		free(cl->items[i].name.en);
		free(cl->items[i].hint.th);
		free(cl->items[i].hint.en);
	}
	free(cl->inds);
	free(cl->groups);
	free(cl->items);
	free(cl->title.th);
	free(cl->title.en);
	free(cl->note.th);
	free(cl->note.en);
	json_decref(cl->doc);
	free(cl);
}

static void
item_parse(struct clctx *c, struct checklist *cl, json_t *o,
    const char *where, size_t ind, size_t group)
{
	static const char *const known[] = { "code", "name", "hint", NULL };
	struct checklist_item	*it;
	const char		*code;
	size_t			 i;

	if (!json_is_object(o)) {
		bad(c, where, "must be an object");
		return;
	}
	keys_check(c, where, o, known);
	if ((code = code_get(c, where, o, "code", "o", CHECKLIST_CODE_MAX))
	    == NULL)
		return;
	for (i = 0; i < cl->nitems; i++)
		if (strcmp(cl->items[i].code, code) == 0) {
			bad(c, where, "duplicate item code \"%s\"", code);
			return;
		}
	if (cl->nitems == CHECKLIST_ITEMS_MAX) {
		bad(c, where, "more than %d items", CHECKLIST_ITEMS_MAX);
		return;
	}
	it = &cl->items[cl->nitems++];
	memset(it, 0, sizeof(*it));
	snprintf(it->code, sizeof(it->code), "%s", code);
	it->indicator = ind;
	it->group = group;
	label_get(c, where, o, "name", CL_LABEL_MAX, 0, &it->name.th,
	    &it->name.en);
	label_get(c, where, o, "hint", CL_HINT_MAX, 1, &it->hint.th,
	    &it->hint.en);
}

static void
group_parse(struct clctx *c, struct checklist *cl, json_t *o,
    const char *where, size_t ind)
{
	static const char *const known[] = { "code", "name", "items", NULL };
	struct checklist_group	*g;
	const char		*code;
	char			 at[160];
	json_t			*items, *v;
	size_t			 i;

	if (!json_is_object(o)) {
		bad(c, where, "must be an object");
		return;
	}
	keys_check(c, where, o, known);
	if ((code = code_get(c, where, o, "code", "", 16)) == NULL)
		return;
	if (cl->ngroups == CL_GROUPS_MAX) {
		bad(c, where, "more than %d groups", CL_GROUPS_MAX);
		return;
	}
	for (i = 0; i < cl->ngroups; i++)
		if (strcmp(cl->groups[i].code, code) == 0) {
			bad(c, where, "duplicate group code \"%s\"", code);
			return;
		}
	g = &cl->groups[cl->ngroups++];
	memset(g, 0, sizeof(*g));
	snprintf(g->code, sizeof(g->code), "%s", code);
	g->indicator = ind;
	label_get(c, where, o, "name", CL_LABEL_MAX, 0, &g->name.th,
	    &g->name.en);
	items = json_object_get(o, "items");
	if (!json_is_array(items) || json_array_size(items) == 0) {
		bad(c, where, "\"items\" must be a non-empty array");
		return;
	}
	json_array_foreach(items, i, v) {
		jpath(at, sizeof(at), "%s.items[%zu]", where, i);
		item_parse(c, cl, v, at, ind, cl->ngroups - 1);
	}
}

static void
indicator_parse(struct clctx *c, struct checklist *cl, json_t *o,
    const char *where)
{
	static const char *const known[] = { "code", "name", "weight",
	    "groups", NULL };
	struct checklist_indicator	*ind;
	const char			*code;
	char				 at[160];
	json_t				*groups, *v, *w;
	size_t				 i;

	if (!json_is_object(o)) {
		bad(c, where, "must be an object");
		return;
	}
	keys_check(c, where, o, known);
	if ((code = code_get(c, where, o, "code", "", 8)) == NULL)
		return;
	for (i = 0; i < cl->ninds; i++)
		if (strcmp(cl->inds[i].code, code) == 0) {
			bad(c, where, "duplicate indicator code \"%s\"", code);
			return;
		}
	ind = &cl->inds[cl->ninds++];
	memset(ind, 0, sizeof(*ind));
	snprintf(ind->code, sizeof(ind->code), "%s", code);
	label_get(c, where, o, "name", CL_LABEL_MAX, 0, &ind->name.th,
	    &ind->name.en);
	w = json_object_get(o, "weight");
	if (!json_is_integer(w) || json_integer_value(w) < 1 ||
	    json_integer_value(w) > 100)
		bad(c, where, "\"weight\" must be an integer from 1 to 100");
	else
		ind->weight = (int64_t)json_integer_value(w);
	groups = json_object_get(o, "groups");
	if (!json_is_array(groups) || json_array_size(groups) == 0) {
		bad(c, where, "\"groups\" must be a non-empty array");
		return;
	}
	json_array_foreach(groups, i, v) {
		jpath(at, sizeof(at), "%s.groups[%zu]", where, i);
		group_parse(c, cl, v, at, cl->ninds - 1);
	}
}

/* The file name's last part without ".json", for the id rule. */
static void
file_stem(const char *path, char *out, size_t outsz)
{
	const char	*base = strrchr(path, '/');
	size_t		 len;

	base = base == NULL ? path : base + 1;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".json") == 0)
		len -= 5;
	if (len >= outsz)
		len = outsz - 1;
	memcpy(out, base, len);
	out[len] = '\0';
}

/*
 * Read and check the checklist file at path.  0 and *out (caller frees
 * with checklist_free), or -1 after printing every problem to errs (may
 * be NULL) as "FILE: $.path: message".
 */
int
checklist_load(const char *path, struct checklist **out, FILE *errs)
{
	static const char *const known[] = { "id", "fiscal_year", "title",
	    "note", "indicators", NULL };
	struct clctx		 c = { path, errs, 0 };
	struct checklist	*cl;
	json_error_t		 je;
	json_t			*root, *v, *inds;
	const char		*id;
	char			 stem[CL_ID_MAX + 8], at[64];
	size_t			 i;

	*out = NULL;
	root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (root == NULL) {
		if (errs != NULL)
			fprintf(errs, "%s:%d:%d: %s\n", path, je.line,
			    je.column, je.text);
		return -1;
	}
	if (!json_is_object(root)) {
		bad(&c, "$", "must be an object");
		json_decref(root);
		return -1;
	}
	cl = xcalloc(1, sizeof(*cl));
	cl->doc = root;
	cl->items = xcalloc(CHECKLIST_ITEMS_MAX, sizeof(*cl->items));
	cl->groups = xcalloc(CL_GROUPS_MAX, sizeof(*cl->groups));
	cl->inds = xcalloc(CL_INDS_MAX, sizeof(*cl->inds));
	keys_check(&c, "$", root, known);
	v = json_object_get(root, "id");
	id = json_string_value(v);
	file_stem(path, stem, sizeof(stem));
	if (id == NULL || strncmp(id, "oit-", 4) != 0 ||
	    strlen(id) > CL_ID_MAX || strspn(id,
	    "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(id))
		bad(&c, "$.id", "must be \"oit-\" then [a-z0-9-], at most %d "
		    "bytes", CL_ID_MAX);
	else if (strcmp(id, stem) != 0)
		bad(&c, "$.id", "\"%s\" must match the file name \"%s.json\"",
		    id, stem);
	else
		snprintf(cl->id, sizeof(cl->id), "%s", id);
	v = json_object_get(root, "fiscal_year");
	if (!json_is_integer(v) || json_integer_value(v) < CL_YEAR_MIN ||
	    json_integer_value(v) > CL_YEAR_MAX)
		bad(&c, "$.fiscal_year", "must be a Buddhist-era year from %d "
		    "to %d", CL_YEAR_MIN, CL_YEAR_MAX);
	else
		cl->fiscal_year = (int64_t)json_integer_value(v);
	label_get(&c, "$", root, "title", CL_LABEL_MAX, 0, &cl->title.th,
	    &cl->title.en);
	label_get(&c, "$", root, "note", CL_HINT_MAX, 1, &cl->note.th,
	    &cl->note.en);
	inds = json_object_get(root, "indicators");
	if (!json_is_array(inds) || json_array_size(inds) == 0 ||
	    json_array_size(inds) > CL_INDS_MAX)
		bad(&c, "$.indicators", "must be an array of 1 to %d "
		    "indicators", CL_INDS_MAX);
	else
		json_array_foreach(inds, i, v) {
			jpath(at, sizeof(at), "$.indicators[%zu]", i);
			indicator_parse(&c, cl, v, at);
		}
	if (c.nerr > 0) {
		checklist_free(cl);
		return -1;
	}
	*out = cl;
	return 0;
}

/* Whether a file name of the forms folder is an OIT checklist's. */
int
checklist_name(const char *name)
{
	size_t	len = strlen(name);

	return strncmp(name, "oit-", 4) == 0 && len > 9 &&
	    strcmp(name + len - 5, ".json") == 0;
}

/* The checklist whose id is id, borrowed from set, or NULL. */
const struct checklist *
checklist_get(const struct formset *set, const char *id)
{
	size_t	i;

	for (i = 0; i < set->nlists; i++)
		if (strcmp(set->lists[i]->id, id) == 0)
			return set->lists[i];
	return NULL;
}

/* The newest fiscal year's checklist, or NULL when there is none. */
const struct checklist *
checklist_latest(const struct formset *set)
{
	const struct checklist	*best = NULL;
	size_t			 i;

	for (i = 0; i < set->nlists; i++)
		if (best == NULL ||
		    set->lists[i]->fiscal_year > best->fiscal_year)
			best = set->lists[i];
	return best;
}

/* The item coded code of cl, or NULL. */
const struct checklist_item *
checklist_item(const struct checklist *cl, const char *code)
{
	size_t	i;

	for (i = 0; i < cl->nitems; i++)
		if (strcmp(cl->items[i].code, code) == 0)
			return &cl->items[i];
	return NULL;
}
