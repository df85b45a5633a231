/* SPDX-License-Identifier: ISC */
/*
 * Questionnaire files: read the *.json files of forms/, enforce every rule of
 * forms/README.md, and turn a good file into a struct form plus the public
 * form document of API.md.  Also checks a response's answers against a
 * form.  Scoring is score.c's; nothing here computes a score.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"

/* Limits of forms/README.md. */
#define ID_MAX		64	/* bytes of a form id */
#define INSTRUMENT_MAX	16	/* bytes of an instrument name */
#define CODE_MAX	32	/* bytes of any code */
#define VALUE_MAX	32	/* bytes of an option value */
#define GRADE_MAX	16	/* bytes of a grade name */
#define LABEL_MAX	2000	/* bytes of one language of a label */
#define SCALES_MAX	16
#define OPTS_MIN	2
#define OPTS_MAX	16
#define INDS_MAX	32
#define ITEMS_MAX	64
#define QS_MAX		16	/* questions of one item */
#define QUESTIONS_MAX	512	/* questions of one form */
#define GRADES_MAX	16
#define WEIGHT_MAX	1000
#define MIN_CELL_MAX	1000
#define SAMPLE_MAX	1000000000

/* Characters allowed besides [a-z0-9] (see word_ok()). */
#define UPPER		"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define CODE_CHARS	UPPER "_-"
#define CODE_RULE	"1-32 characters of [A-Za-z0-9_-]"

/* form_answers_check(): the reply names at most this many questions. */
#define FIELDS_MAX	64
#define FIELD_KEY_MAX	64	/* bytes of an unknown key echoed back */

/* Messages echo at most QUOTE_MAX bytes of input, escaped and quoted. */
#define QUOTE_MAX	64
#define QUOTE_BUF	(QUOTE_MAX * 6 + 8)
#define JPATH_MAX	1024

static const char *const langs_known[] = { "th", "en" };
#define LANGS_MAX	(sizeof(langs_known) / sizeof(langs_known[0]))

/* State of one form_load(): where we are in the document, what we saw. */
struct ctx {
	const char	*file;		/* path as given, for messages */
	FILE		*errs;		/* problems go here; may be NULL */
	size_t		 nerr;		/* problems found so far */
	char		 path[JPATH_MAX]; /* JSON path of the current value */
	size_t		 plen;
	json_t		*codes;		/* item/question code -> first path */
	int		 scales_ok;	/* "scales" good enough to look up */
	const char	*langs[LANGS_MAX]; /* borrowed from the document */
	size_t		 nlangs;
};

static void
vsay(FILE *errs, const char *fmt, va_list ap)
{
	if (errs == NULL)
		return;
	vfprintf(errs, fmt, ap);
	fputc('\n', errs);
}

static void
say(FILE *errs, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsay(errs, fmt, ap);
	va_end(ap);
}

/*
 * Write s into out as a double-quoted string, escaping quotes, backslashes
 * and control characters, so that no form file can put terminal escapes
 * into our messages.  At most QUOTE_MAX bytes of s are used, cut on a
 * UTF-8 character boundary, with "..." marking the cut.
 */
static void
quote(char *out, size_t outsz, const char *s)
{
	size_t		 len = strlen(s), i, o = 0;
	int		 cut = 0;
	unsigned char	 ch;

	if (len > QUOTE_MAX) {
		len = QUOTE_MAX;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		cut = 1;
	}
	out[o++] = '"';
	for (i = 0; i < len && o + 8 < outsz; i++) {
		ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\') {
			out[o++] = '\\';
			out[o++] = (char)ch;
		} else if (ch < 0x20 || ch == 0x7f)
			o += (size_t)snprintf(out + o, outsz - o,
			    "\\u%04x", ch);
		else
			out[o++] = (char)ch;
	}
	if (cut && o + 5 < outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o++] = '"';
	out[o] = '\0';
}

/* Report one problem at the current JSON path. */
static void
vbad(struct ctx *c, const char *fmt, va_list ap)
{
	c->nerr++;
	if (c->errs == NULL)
		return;
	fprintf(c->errs, "%s: %s: ", c->file, c->path);
	vsay(c->errs, fmt, ap);
}

static void
bad(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
bad(struct ctx *c, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vbad(c, fmt, ap);
	va_end(ap);
}

static void
path_append(struct ctx *c, const char *s)
{
	size_t	n = strlen(s);

	/* Paths are short by construction; clip rather than overflow. */
	if (n > sizeof(c->path) - 1 - c->plen)
		n = sizeof(c->path) - 1 - c->plen;
	memcpy(c->path + c->plen, s, n);
	c->plen += n;
	c->path[c->plen] = '\0';
}

/*
 * Descend into member "key": ".key" when it reads as an identifier,
 * otherwise ["key"] quoted.  Returns the mark to give path_pop().
 */
static size_t
path_key(struct ctx *c, const char *key)
{
	size_t	mark = c->plen, i;
	int	plain = key[0] != '\0' && strlen(key) <= QUOTE_MAX &&
		    !(key[0] >= '0' && key[0] <= '9');
	char	q[QUOTE_BUF];

	for (i = 0; plain && key[i] != '\0'; i++)
		if (!(key[i] == '_' || (key[i] >= 'a' && key[i] <= 'z') ||
		    (key[i] >= 'A' && key[i] <= 'Z') ||
		    (key[i] >= '0' && key[i] <= '9')))
			plain = 0;
	if (plain) {
		path_append(c, ".");
		path_append(c, key);
	} else {
		quote(q, sizeof(q), key);
		path_append(c, "[");
		path_append(c, q);
		path_append(c, "]");
	}
	return mark;
}

static size_t
path_index(struct ctx *c, size_t i)
{
	size_t	mark = c->plen;
	char	s[32];

	snprintf(s, sizeof(s), "[%zu]", i);
	path_append(c, s);
	return mark;
}

static void
path_pop(struct ctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = '\0';
}

/* Report a problem at member "key" of the current value. */
static void
bad_key(struct ctx *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
bad_key(struct ctx *c, const char *key, const char *fmt, ...)
{
	size_t	mark = path_key(c, key);
	va_list	ap;

	va_start(ap, fmt);
	vbad(c, fmt, ap);
	va_end(ap);
	path_pop(c, mark);
}

/*
 * The current value must be an object whose keys are all in "known"
 * (NULL-terminated).  Returns 0, or -1 if it is not an object.  Unknown
 * keys are reported but do not stop the caller: a typo must be seen, and
 * so must everything else wrong with the object.
 */
static int
object_check(struct ctx *c, json_t *o, const char *const *known)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	if (!json_is_object(o)) {
		bad(c, "must be an object");
		return -1;
	}
	json_object_foreach(o, key, v) {
		for (i = 0; known[i] != NULL; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (known[i] == NULL)
			bad_key(c, key, "unknown key");
	}
	return 0;
}

/* Member "key" of o, or NULL after reporting it missing. */
static json_t *
member(struct ctx *c, json_t *o, const char *key)
{
	json_t	*v;

	if ((v = json_object_get(o, key)) == NULL)
		bad_key(c, key, "missing");
	return v;
}

/* 1 if s is 1..max bytes, each of [a-z0-9] or of the string "extra". */
static int
word_ok(const char *s, size_t max, const char *extra)
{
	size_t	i;

	for (i = 0; s[i] != '\0'; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    strchr(extra, s[i]) != NULL))
			return 0;
	return i >= 1 && i <= max;
}

/*
 * String member "key" of o made of "extra" and [a-z0-9] characters, 1..max
 * bytes.  Returns the borrowed string, or NULL after reporting.
 */
static const char *
word_get(struct ctx *c, json_t *o, const char *key, size_t max,
    const char *extra, const char *rule)
{
	json_t	*v;

	if ((v = member(c, o, key)) == NULL)
		return NULL;
	if (!json_is_string(v)) {
		bad_key(c, key, "must be a string");
		return NULL;
	}
	if (!word_ok(json_string_value(v), max, extra) ||
	    strlen(json_string_value(v)) != json_string_length(v)) {
		bad_key(c, key, "must be %s", rule);
		return NULL;
	}
	return json_string_value(v);
}

static void
label_free(struct label *l)
{
	free(l->th);
	free(l->en);
}

/* One language of a label: a non-empty string of LABEL_MAX bytes or less. */
static char *
label_text(struct ctx *c, json_t *o, const char *lang)
{
	json_t	*v;

	if ((v = member(c, o, lang)) == NULL)
		return NULL;
	if (!json_is_string(v)) {
		bad_key(c, lang, "must be a string");
		return NULL;
	}
	/*
	 * jansson has already rejected invalid UTF-8; a NUL inside would
	 * silently cut the text, so count it as a problem too.
	 */
	if (json_string_length(v) == 0)
		bad_key(c, lang, "must not be empty");
	else if (json_string_length(v) > LABEL_MAX)
		bad_key(c, lang, "longer than %d bytes", LABEL_MAX);
	else if (strlen(json_string_value(v)) != json_string_length(v))
		bad_key(c, lang, "must not contain NUL");
	else
		return xstrdup(json_string_value(v));
	return NULL;
}

/* Member "key" of o is a label {"th", "en"}; fill *l (owned strings). */
static void
label_get(struct ctx *c, json_t *o, const char *key, struct label *l)
{
	static const char *const known[] = { "th", "en", NULL };
	json_t	*v;
	size_t	 mark;

	if ((v = member(c, o, key)) == NULL)
		return;
	mark = path_key(c, key);
	if (object_check(c, v, known) == 0) {
		l->th = label_text(c, v, "th");
		l->en = label_text(c, v, "en");
	}
	path_pop(c, mark);
}

/*
 * Member "key" of o is a number from 0 to 100 with at most two decimals;
 * set *out to it in hundredths.  Returns 0 or -1 (reported).
 */
static int
hundredths_get(struct ctx *c, json_t *o, const char *key, int64_t *out)
{
	json_t	*v;
	double	 x, h;

	if ((v = member(c, o, key)) == NULL)
		return -1;
	if (!json_is_number(v)) {
		bad_key(c, key, "must be a number");
		return -1;
	}
	x = json_number_value(v);
	if (!(x >= 0 && x <= 100)) {
		bad_key(c, key, "must be from 0 to 100");
		return -1;
	}
	h = x * 100;
	if (fabs(h - round(h)) > 1e-6) {
		bad_key(c, key, "must have at most two decimals");
		return -1;
	}
	*out = (int64_t)llround(h);
	return 0;
}

/* Member "key" of o is an integer from lo to hi.  Returns 0 or -1. */
static int
int_get(struct ctx *c, json_t *o, const char *key, int64_t lo, int64_t hi,
    int64_t *out)
{
	json_t	*v;

	if ((v = member(c, o, key)) == NULL)
		return -1;
	if (!json_is_integer(v) || json_integer_value(v) < lo ||
	    json_integer_value(v) > hi) {
		bad_key(c, key, "must be an integer from %lld to %lld",
		    (long long)lo, (long long)hi);
		return -1;
	}
	*out = json_integer_value(v);
	return 0;
}

/* Member "key" of o is true or false; set *out to 1 or 0. */
static void
bool_get(struct ctx *c, json_t *o, const char *key, int *out)
{
	json_t	*v;

	if ((v = member(c, o, key)) == NULL)
		return;
	if (!json_is_boolean(v))
		bad_key(c, key, "must be true or false");
	else
		*out = json_is_true(v);
}

/*
 * Member "key" of o is an array of min..max entries of what "noun" names.
 * Returns it, or NULL when it is missing, not an array or too long (then
 * its entries are not examined: no file should make us loop for long).
 */
static json_t *
array_get(struct ctx *c, json_t *o, const char *key, size_t min, size_t max,
    const char *noun)
{
	json_t	*v;

	if ((v = member(c, o, key)) == NULL)
		return NULL;
	if (!json_is_array(v)) {
		bad_key(c, key, "must be an array");
		return NULL;
	}
	if (json_array_size(v) < min || json_array_size(v) > max) {
		bad_key(c, key, "must have %zu to %zu %s", min, max, noun);
		return json_array_size(v) > max ? NULL : v;
	}
	return v;
}

static void
option_parse(struct ctx *c, json_t *o, struct option *opt,
    const struct scale *s, size_t idx)
{
	static const char *const known[] =
	    { "value", "label", "points", "reverse_points", NULL };
	const char	*value;
	char		 q[QUOTE_BUF];
	size_t		 i;

	if (object_check(c, o, known) == -1)
		return;
	value = word_get(c, o, "value", VALUE_MAX, CODE_CHARS, CODE_RULE);
	if (value != NULL) {
		for (i = 0; i < idx; i++)
			if (s->opts[i].value != NULL &&
			    strcmp(s->opts[i].value, value) == 0)
				break;
		if (i < idx) {
			quote(q, sizeof(q), value);
			bad_key(c, "value", "duplicate value %s", q);
		} else
			opt->value = xstrdup(value);
	}
	label_get(c, o, "label", &opt->label);
	(void)hundredths_get(c, o, "points", &opt->points);
	(void)hundredths_get(c, o, "reverse_points", &opt->rpoints);
}

static void
scales_parse(struct ctx *c, struct form *f, json_t *root)
{
	static const char *const known[] = { "options", NULL };
	json_t		*o, *v, *opts;
	const char	*key;
	size_t		 mark, mark2, mark3, i, n;
	struct scale	*s;

	if ((o = member(c, root, "scales")) == NULL)
		return;
	mark = path_key(c, "scales");
	if (!json_is_object(o)) {
		bad(c, "must be an object");
		goto out;
	}
	n = json_object_size(o);
	if (n < 1 || n > SCALES_MAX) {
		bad(c, "must have 1 to %d scales", SCALES_MAX);
		if (n > SCALES_MAX)
			goto out;
	}
	c->scales_ok = 1;
	f->scales = xcalloc(n, sizeof(*f->scales));
	json_object_foreach(o, key, v) {
		s = &f->scales[f->nscales++];
		mark2 = path_key(c, key);
		if (!word_ok(key, CODE_MAX, CODE_CHARS))
			bad(c, "scale code must be %s", CODE_RULE);
		else
			s->code = xstrdup(key);
		if (object_check(c, v, known) == 0 &&
		    (opts = array_get(c, v, "options", OPTS_MIN, OPTS_MAX,
		    "options")) != NULL) {
			s->opts = xcalloc(json_array_size(opts),
			    sizeof(*s->opts));
			s->nopts = json_array_size(opts);
			path_key(c, "options");
			for (i = 0; i < s->nopts; i++) {
				mark3 = path_index(c, i);
				option_parse(c, json_array_get(opts, i),
				    &s->opts[i], s, i);
				path_pop(c, mark3);
			}
		}
		path_pop(c, mark2);
	}
out:
	path_pop(c, mark);
}

static const struct scale *
scale_find(const struct form *f, const char *code)
{
	size_t	i;

	for (i = 0; i < f->nscales; i++)
		if (f->scales[i].code != NULL &&
		    strcmp(f->scales[i].code, code) == 0)
			return &f->scales[i];
	return NULL;
}

/*
 * Member "code" of o is an item or question code not used before in this
 * form, except that the only question of an item may take the item's code
 * ("self", else NULL), as API.md's form document shows.  Returns the owned
 * copy, or NULL (reported).
 */
static char *
code_get(struct ctx *c, json_t *o, const char *self)
{
	const char	*code;
	json_t		*first;
	char		 q[QUOTE_BUF];
	size_t		 mark;

	if ((code = word_get(c, o, "code", CODE_MAX, CODE_CHARS,
	    CODE_RULE)) == NULL)
		return NULL;
	if (self != NULL && strcmp(code, self) == 0)
		return xstrdup(code);
	mark = path_key(c, "code");
	if ((first = json_object_get(c->codes, code)) != NULL) {
		quote(q, sizeof(q), code);
		bad(c, "duplicate code %s (first at %s)", q,
		    json_string_value(first));
		path_pop(c, mark);
		return NULL;
	}
	if (json_object_set_new(c->codes, code, json_string(c->path)) == -1)
		bad(c, "out of memory");
	path_pop(c, mark);
	return xstrdup(code);
}

static void
question_parse(struct ctx *c, const struct form *f, json_t *o,
    struct question *qn, const char *self)
{
	static const char *const known[] =
	    { "code", "text", "scale", "required", "reverse", NULL };
	json_t	*v;
	char	 q[QUOTE_BUF];

	if (object_check(c, o, known) == -1)
		return;
	qn->code = code_get(c, o, self);
	label_get(c, o, "text", &qn->text);
	if ((v = member(c, o, "scale")) != NULL) {
		if (!json_is_string(v))
			bad_key(c, "scale", "must be a string");
		else if ((qn->scale = scale_find(f,
		    json_string_value(v))) == NULL && c->scales_ok) {
			quote(q, sizeof(q), json_string_value(v));
			bad_key(c, "scale", "unknown scale %s", q);
		}
	}
	bool_get(c, o, "required", &qn->required);
	bool_get(c, o, "reverse", &qn->reverse);
}

static void
item_parse(struct ctx *c, const struct form *f, json_t *o, struct item *it)
{
	static const char *const known[] =
	    { "code", "text", "questions", NULL };
	json_t	*qs;
	size_t	 mark, mark2, i;

	if (object_check(c, o, known) == -1)
		return;
	it->code = code_get(c, o, NULL);
	label_get(c, o, "text", &it->text);
	if ((qs = array_get(c, o, "questions", 1, QS_MAX,
	    "questions")) == NULL)
		return;
	it->qs = xcalloc(json_array_size(qs), sizeof(*it->qs));
	it->nqs = json_array_size(qs);
	mark = path_key(c, "questions");
	for (i = 0; i < it->nqs; i++) {
		mark2 = path_index(c, i);
		question_parse(c, f, json_array_get(qs, i), &it->qs[i],
		    it->nqs == 1 ? it->code : NULL);
		path_pop(c, mark2);
	}
	path_pop(c, mark);
}

static void
indicator_parse(struct ctx *c, struct form *f, json_t *o, size_t idx)
{
	static const char *const known[] =
	    { "code", "name", "weight", "items", NULL };
	struct indicator	*ind = &f->inds[idx];
	const char		*code;
	json_t			*items;
	char			 q[QUOTE_BUF];
	size_t			 mark, mark2, i;

	if (object_check(c, o, known) == -1)
		return;
	if ((code = word_get(c, o, "code", CODE_MAX, CODE_CHARS,
	    CODE_RULE)) != NULL) {
		for (i = 0; i < idx; i++)
			if (f->inds[i].code != NULL &&
			    strcmp(f->inds[i].code, code) == 0)
				break;
		if (i < idx) {
			quote(q, sizeof(q), code);
			bad_key(c, "code", "duplicate indicator code %s", q);
		} else
			ind->code = xstrdup(code);
	}
	label_get(c, o, "name", &ind->name);
	(void)int_get(c, o, "weight", 1, WEIGHT_MAX, &ind->weight);
	if ((items = array_get(c, o, "items", 1, ITEMS_MAX, "items")) == NULL)
		return;
	ind->items = xcalloc(json_array_size(items), sizeof(*ind->items));
	ind->nitems = json_array_size(items);
	mark = path_key(c, "items");
	for (i = 0; i < ind->nitems; i++) {
		mark2 = path_index(c, i);
		item_parse(c, f, json_array_get(items, i), &ind->items[i]);
		path_pop(c, mark2);
	}
	path_pop(c, mark);
}

static void
indicators_parse(struct ctx *c, struct form *f, json_t *root)
{
	json_t	*a;
	size_t	 mark, mark2, i, j, k, n = 0;

	if ((a = array_get(c, root, "indicators", 1, INDS_MAX,
	    "indicators")) == NULL)
		return;
	f->inds = xcalloc(json_array_size(a), sizeof(*f->inds));
	f->ninds = json_array_size(a);
	mark = path_key(c, "indicators");
	for (i = 0; i < f->ninds; i++) {
		mark2 = path_index(c, i);
		indicator_parse(c, f, json_array_get(a, i), i);
		path_pop(c, mark2);
	}
	for (i = 0; i < f->ninds; i++)
		for (j = 0; j < f->inds[i].nitems; j++)
			for (k = 0; k < f->inds[i].items[j].nqs; k++)
				n++;
	if (n > QUESTIONS_MAX)
		bad(c, "more than %d questions (%zu)", QUESTIONS_MAX, n);
	path_pop(c, mark);
}

static void
languages_parse(struct ctx *c, json_t *root)
{
	json_t		*a, *v;
	const char	*s;
	size_t		 mark, mark2, i, j;

	if ((a = array_get(c, root, "languages", 1, LANGS_MAX,
	    "languages")) == NULL)
		return;
	mark = path_key(c, "languages");
	json_array_foreach(a, i, v) {
		s = json_is_string(v) ? json_string_value(v) : "";
		for (j = 0; j < LANGS_MAX; j++)
			if (strcmp(s, langs_known[j]) == 0)
				break;
		mark2 = path_index(c, i);
		if (j == LANGS_MAX)
			bad(c, "must be \"th\" or \"en\"");
		else {
			for (j = 0; j < c->nlangs; j++)
				if (strcmp(c->langs[j], s) == 0)
					break;
			if (j < c->nlangs)
				bad(c, "duplicate language \"%s\"", s);
			else
				c->langs[c->nlangs++] = s;
		}
		path_pop(c, mark2);
	}
	path_pop(c, mark);
}

static void
grades_parse(struct ctx *c, struct form *f, json_t *scoring)
{
	static const char *const known[] = { "grade", "min", NULL };
	json_t		*a, *o;
	const char	*name;
	char		 q[QUOTE_BUF];
	struct grade	*g;
	size_t		 mark, mark2, i, j;
	int64_t		 prev = -1;	/* last good min, -1: none yet */

	if ((a = array_get(c, scoring, "grades", 1, GRADES_MAX,
	    "grades")) == NULL)
		return;
	f->grades = xcalloc(json_array_size(a), sizeof(*f->grades));
	f->ngrades = json_array_size(a);
	mark = path_key(c, "grades");
	json_array_foreach(a, i, o) {
		g = &f->grades[i];
		g->min = -1;
		mark2 = path_index(c, i);
		if (object_check(c, o, known) == -1) {
			path_pop(c, mark2);
			continue;
		}
		if ((name = word_get(c, o, "grade", GRADE_MAX, UPPER "_+-",
		    "1-16 characters of [A-Za-z0-9_+-]")) != NULL) {
			for (j = 0; j < i; j++)
				if (f->grades[j].name != NULL &&
				    strcmp(f->grades[j].name, name) == 0)
					break;
			if (j < i) {
				quote(q, sizeof(q), name);
				bad_key(c, "grade", "duplicate grade %s", q);
			} else
				g->name = xstrdup(name);
		}
		if (hundredths_get(c, o, "min", &g->min) == 0) {
			if (prev != -1 && g->min >= prev)
				bad_key(c, "min", "must be below the min of "
				    "the grade before");
			prev = g->min;
			if (i + 1 == f->ngrades && g->min != 0)
				bad_key(c, "min",
				    "must be 0 in the last grade");
		}
		path_pop(c, mark2);
	}
	path_pop(c, mark);
}

static void
sample_parse(struct ctx *c, struct form *f, json_t *scoring)
{
	static const char *const known[] =
	    { "percent", "minimum", "maximum", NULL };
	json_t	*o, *v;
	size_t	 mark;
	int	 minok;

	if ((o = member(c, scoring, "sample")) == NULL)
		return;
	mark = path_key(c, "sample");
	if (object_check(c, o, known) == 0) {
		(void)int_get(c, o, "percent", 0, 100, &f->sample_percent);
		minok = int_get(c, o, "minimum", 0, SAMPLE_MAX,
		    &f->sample_min) == 0;
		if ((v = member(c, o, "maximum")) == NULL || json_is_null(v))
			f->sample_max = -1;
		else if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > SAMPLE_MAX)
			bad_key(c, "maximum", "must be null or an integer "
			    "from 0 to %d", SAMPLE_MAX);
		else {
			f->sample_max = json_integer_value(v);
			if (minok && f->sample_max < f->sample_min)
				bad_key(c, "maximum", "must not be below "
				    "minimum");
		}
	}
	path_pop(c, mark);
}

static void
scoring_parse(struct ctx *c, struct form *f, json_t *root)
{
	static const char *const known[] =
	    { "target", "min_cell", "grades", "sample", NULL };
	json_t	*o;
	size_t	 mark;

	if ((o = member(c, root, "scoring")) == NULL)
		return;
	mark = path_key(c, "scoring");
	if (object_check(c, o, known) == 0) {
		(void)hundredths_get(c, o, "target", &f->target);
		(void)int_get(c, o, "min_cell", 1, MIN_CELL_MAX,
		    &f->min_cell);
		grades_parse(c, f, o);
		sample_parse(c, f, o);
	}
	path_pop(c, mark);
}

/* Number the questions, give each its slots of a counts array. */
static int
question_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct question *const *)a)->code,
	    (*(const struct question *const *)b)->code);
}

/*
 * Number the questions in form order (form->questions, their slots in a
 * counts array) and sort a second list by code (form->sorted): lookups
 * by code are a binary search, and canonical answers (keys sorted) are
 * written by walking it.
 */
static void
questions_flatten(struct form *f)
{
	size_t		 i, j, k, n = 0;
	struct item	*it;

	for (i = 0; i < f->ninds; i++)
		for (j = 0; j < f->inds[i].nitems; j++)
			n += f->inds[i].items[j].nqs;
	f->questions = xcalloc(n, sizeof(*f->questions));
	for (i = 0; i < f->ninds; i++)
		for (j = 0; j < f->inds[i].nitems; j++) {
			it = &f->inds[i].items[j];
			for (k = 0; k < it->nqs; k++) {
				it->qs[k].index = f->nquestions;
				it->qs[k].base = f->ncounts;
				f->ncounts += it->qs[k].scale->nopts;
				f->questions[f->nquestions++] = &it->qs[k];
			}
		}
	f->sorted = xcalloc(n, sizeof(*f->sorted));
	if (n > 0) {
		memcpy(f->sorted, f->questions, n * sizeof(*f->sorted));
		qsort(f->sorted, n, sizeof(*f->sorted), question_cmp);
	}
}

static json_t *
label_json(const struct label *l)
{
	return json_pack("{s:s, s:s}", "th", l->th, "en", l->en);
}

static json_t *
scales_json(const struct form *f)
{
	json_t			*o, *opts;
	const struct scale	*s;
	size_t			 i, j;

	if ((o = json_object()) == NULL)
		return NULL;
	for (i = 0; i < f->nscales; i++) {
		s = &f->scales[i];
		if ((opts = json_array()) == NULL ||
		    json_object_set_new(o, s->code,
		    json_pack("{s:o}", "options", opts)) == -1)
			goto fail;
		for (j = 0; j < s->nopts; j++)
			if (json_array_append_new(opts, json_pack("{s:s, s:o}",
			    "value", s->opts[j].value,
			    "label", label_json(&s->opts[j].label))) == -1)
				goto fail;
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static json_t *
item_json(const struct item *it)
{
	json_t			*o, *qs;
	const struct question	*q;
	size_t			 i;

	if ((qs = json_array()) == NULL)
		return NULL;
	if ((o = json_pack("{s:s, s:o, s:o}", "code", it->code,
	    "text", label_json(&it->text), "questions", qs)) == NULL)
		return NULL;
	for (i = 0; i < it->nqs; i++) {
		q = &it->qs[i];
		if (json_array_append_new(qs, json_pack("{s:s, s:o, s:s, s:b}",
		    "code", q->code, "text", label_json(&q->text),
		    "scale", q->scale->code, "required", q->required)) == -1) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/*
 * The public form document of API.md, without "round" (the handler adds
 * it): everything a respondent's page needs and nothing that scores, so
 * no points, reverse flags or weights.  Returns NULL if out of memory.
 */
static json_t *
doc_build(const struct form *f, const struct ctx *c)
{
	json_t			*doc, *langs, *inds, *items;
	const struct indicator	*ind;
	size_t			 i, j;

	if ((langs = json_array()) == NULL)
		return NULL;
	for (i = 0; i < c->nlangs; i++)
		if (json_array_append_new(langs,
		    json_string(c->langs[i])) == -1)
			goto fail;
	if ((inds = json_array()) == NULL)
		goto fail;
	doc = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
	    "form", f->id, "audience", f->internal ? "internal" : "external",
	    "instrument", f->instrument, "title", label_json(&f->title),
	    "languages", langs, "scales", scales_json(f), "indicators", inds);
	if (doc == NULL)
		return NULL;
	for (i = 0; i < f->ninds; i++) {
		ind = &f->inds[i];
		if ((items = json_array()) == NULL ||
		    json_array_append_new(inds, json_pack("{s:s, s:o, s:o}",
		    "code", ind->code, "name", label_json(&ind->name),
		    "items", items)) == -1) {
			json_decref(doc);
			return NULL;
		}
		for (j = 0; j < ind->nitems; j++)
			if (json_array_append_new(items,
			    item_json(&ind->items[j])) == -1) {
				json_decref(doc);
				return NULL;
			}
	}
	return doc;
fail:
	json_decref(langs);
	return NULL;
}

/*
 * Read path, at most FORM_FILE_MAX bytes, into *buf (caller frees) and
 * *len.  Returns 0, or -1 after printing the problem.  Reading from one
 * descriptor that fstat() checked means the file cannot be swapped or grow
 * between the size check and the read.
 */
static int
file_read(const char *path, char **buf, size_t *len, FILE *errs)
{
	int		 fd = -1, rc = -1;
	struct stat	 st;
	char		*p = NULL;
	size_t		 n = 0, cap;
	ssize_t		 got;

	*buf = NULL;
	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		say(errs, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		say(errs, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > FORM_FILE_MAX) {
		say(errs, "%s: larger than %d bytes", path, FORM_FILE_MAX);
		goto out;
	}
	/* One byte more than expected tells us the file grew meanwhile. */
	cap = (size_t)st.st_size + 1;
	p = xcalloc(cap, 1);
	while (n < cap) {
		if ((got = read(fd, p + n, cap - n)) == -1) {
			if (errno == EINTR)
				continue;
			say(errs, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n == cap) {
		say(errs, "%s: changed while being read", path);
		goto out;
	}
	*buf = p;
	*len = n;
	p = NULL;
	rc = 0;
out:
	free(p);
	if (fd != -1)
		close(fd);
	return rc;
}

/*
 * Parse the len bytes of buf, named "name" in messages.  Returns the
 * document (caller decrefs) or NULL after printing the problem.
 */
static json_t *
buf_parse(const char *name, const char *buf, size_t len, FILE *errs)
{
	json_t		*root;
	json_error_t	 err;
	char		*s;

	if (len > FORM_FILE_MAX) {
		say(errs, "%s: larger than %d bytes", name, FORM_FILE_MAX);
		return NULL;
	}
	root = json_loadb(buf == NULL ? "" : buf, len,
	    JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		/* jansson quotes input near the error: keep it printable. */
		for (s = err.text; *s != '\0'; s++)
			if ((unsigned char)*s < 0x20 || *s == 0x7f)
				*s = '?';
		say(errs, "%s:%d:%d: %s", name, err.line, err.column,
		    err.text);
	}
	return root;
}

/*
 * Load the form file at path and check every rule of forms/README.md.
 * Returns 0 and sets *out (caller frees with form_free), or -1 with *out
 * NULL after printing every problem found to errs (if not NULL), one a
 * line: "FILE:LINE:COL: reason" for a syntax error, "FILE: $.json.path:
 * reason" for anything else.
 */
int
form_load(const char *path, struct form **out, FILE *errs)
{
	char	*buf = NULL;
	size_t	 len;
	int	 rc;

	*out = NULL;
	if (file_read(path, &buf, &len, errs) == -1)
		return -1;
	rc = form_load_buf(path, buf, len, out, errs);
	free(buf);
	return rc;
}

/*
 * As form_load, from the len bytes of buf (borrowed; need not be
 * NUL-terminated) instead of a file; "name" stands for the file name in
 * messages.  More than FORM_FILE_MAX bytes is an error, as for a file.
 */
int
form_load_buf(const char *name, const char *buf, size_t len,
    struct form **out, FILE *errs)
{
	static const char *const known[] = { "id", "instrument", "audience",
	    "title", "languages", "scales", "indicators", "scoring", NULL };
	struct ctx	 c;
	struct form	*f = NULL;
	json_t		*root = NULL, *v;
	const char	*s;
	int		 rc = -1;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.file = name;
	c.errs = errs;
	c.path[0] = '$';
	c.plen = 1;
	if ((root = buf_parse(name, buf, len, errs)) == NULL)
		goto out;
	if ((c.codes = json_object()) == NULL) {
		say(errs, "%s: out of memory", name);
		goto out;
	}
	f = xcalloc(1, sizeof(*f));
	f->sample_max = -1;
	if (object_check(&c, root, known) == -1)
		goto out;
	if ((s = word_get(&c, root, "id", ID_MAX, "-",
	    "1-64 characters of [a-z0-9-]")) != NULL)
		f->id = xstrdup(s);
	if ((s = word_get(&c, root, "instrument", INSTRUMENT_MAX,
	    CODE_CHARS, "1-16 characters of [A-Za-z0-9_-]")) != NULL)
		f->instrument = xstrdup(s);
	if ((v = member(&c, root, "audience")) != NULL) {
		s = json_is_string(v) ? json_string_value(v) : "";
		if (strcmp(s, "internal") == 0)
			f->internal = 1;
		else if (strcmp(s, "external") != 0)
			bad_key(&c, "audience",
			    "must be \"internal\" or \"external\"");
	}
	label_get(&c, root, "title", &f->title);
	languages_parse(&c, root);
	scales_parse(&c, f, root);
	indicators_parse(&c, f, root);
	scoring_parse(&c, f, root);
	if (c.nerr > 0)
		goto out;
	questions_flatten(f);
	if ((f->doc = doc_build(f, &c)) == NULL) {
		say(errs, "%s: out of memory", name);
		goto out;
	}
	*out = f;
	f = NULL;
	rc = 0;
out:
	form_free(f);
	json_decref(c.codes);
	json_decref(root);
	return rc;
}

/* Free a form and everything it owns.  Accepts NULL. */
void
form_free(struct form *f)
{
	size_t		 i, j, k;
	struct item	*it;

	if (f == NULL)
		return;
	free(f->id);
	free(f->instrument);
	label_free(&f->title);
	for (i = 0; i < f->nscales; i++) {
		free(f->scales[i].code);
		for (j = 0; j < f->scales[i].nopts; j++) {
			free(f->scales[i].opts[j].value);
			label_free(&f->scales[i].opts[j].label);
		}
		free(f->scales[i].opts);
	}
	free(f->scales);
	for (i = 0; i < f->ninds; i++) {
		free(f->inds[i].code);
		label_free(&f->inds[i].name);
		for (j = 0; j < f->inds[i].nitems; j++) {
			it = &f->inds[i].items[j];
			free(it->code);
			label_free(&it->text);
			for (k = 0; k < it->nqs; k++) {
				free(it->qs[k].code);
				label_free(&it->qs[k].text);
			}
			free(it->qs);
		}
		free(f->inds[i].items);
	}
	free(f->inds);
	free(f->questions);
	free(f->sorted);
	for (i = 0; i < f->ngrades; i++)
		free(f->grades[i].name);
	free(f->grades);
	json_decref(f->doc);
	free(f);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A form file: "*.json", not hidden (editors leave ".x.json.swp" etc.). */
static int
form_name(const char *name)
{
	size_t	len = strlen(name);

	return name[0] != '.' && len > 5 &&
	    strcmp(name + len - 5, ".json") == 0 && !checklist_name(name) &&
	    strcmp(name, GUIDANCE_FILE) != 0;
}

/*
 * Load the OIT checklist files names[0..n) of dir into set (sorted by
 * name; ids unique).  0, or -1 after printing every problem to errs.
 */
static int
checklists_load(struct formset *set, const char *dir, char **names,
    size_t n, FILE *errs)
{
	struct checklist	*cl;
	char			*path;
	size_t			 i;
	int			 failed = 0;

	if (n > 0)		/* qsort() must not be given NULL */
		qsort(names, n, sizeof(*names), name_cmp);
	set->lists = xcalloc(n + 1, sizeof(*set->lists));
	for (i = 0; i < n; i++) {
		path = xasprintf("%s/%s", dir, names[i]);
		if (checklist_load(path, &cl, errs) == -1) {
			failed = 1;
			free(path);
			continue;
		}
		set->lists[set->nlists++] = cl;	/* ids: the file names */
		free(path);
	}
	return failed ? -1 : 0;
}

/*
 * Load every "*.json" file of dir (sorted by name, hidden files and other
 * names ignored) and check that form ids are unique across them.  Returns
 * 0 and sets *out (caller frees with formset_free), or -1 with *out NULL
 * after printing every problem of every file to errs (if not NULL).  An
 * unreadable folder, one without form files or with more than FORMS_MAX
 * of them is an error.
 */
int
formset_load(const char *dir, struct formset **out, FILE *errs)
{
	DIR		 *d;
	struct dirent	 *de;
	struct formset	 *set = NULL;
	struct form	 *f;
	char		**names = NULL, **paths = NULL, **lnames = NULL;
	char		 *gpath;
	size_t		  nnames = 0, nlnames = 0, i, j, len;
	int		  rc = -1, failed = 0, has_guidance = 0;

	*out = NULL;
	if ((d = opendir(dir)) == NULL) {
		say(errs, "%s: %s", dir, strerror(errno));
		return -1;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (de->d_name[0] != '.' && checklist_name(de->d_name) &&
		    nlnames < FORMS_MAX) {
			lnames = xreallocarray(lnames, nlnames + 1,
			    sizeof(*lnames));
			lnames[nlnames++] = xstrdup(de->d_name);
		}
		if (strcmp(de->d_name, GUIDANCE_FILE) == 0)
			has_guidance = 1;
		if (!form_name(de->d_name))
			continue;
		names = xreallocarray(names, nnames + 1, sizeof(*names));
		names[nnames++] = xstrdup(de->d_name);
	}
	if (errno != 0) {
		say(errs, "%s: %s", dir, strerror(errno));
		closedir(d);
		goto out;
	}
	closedir(d);
	if (nnames == 0) {
		say(errs, "%s: no form files", dir);
		goto out;
	}
	if (nnames > FORMS_MAX) {
		say(errs, "%s: more than %d form files", dir, FORMS_MAX);
		goto out;
	}
	qsort(names, nnames, sizeof(*names), name_cmp);
	set = xcalloc(1, sizeof(*set));
	set->forms = xcalloc(nnames, sizeof(*set->forms));
	paths = xcalloc(nnames, sizeof(*paths));
	len = strlen(dir);
	for (i = 0; i < nnames; i++) {
		paths[set->nforms] = xasprintf("%s%s%s", dir,
		    len > 0 && dir[len - 1] == '/' ? "" : "/", names[i]);
		if (form_load(paths[set->nforms], &f, errs) == -1) {
			failed = 1;
			free(paths[set->nforms]);
			paths[set->nforms] = NULL;
			continue;
		}
		for (j = 0; j < set->nforms; j++)
			if (strcmp(set->forms[j]->id, f->id) == 0) {
				say(errs, "%s: $.id: duplicate id \"%s\" "
				    "(also in %s)", paths[set->nforms],
				    f->id, paths[j]);
				failed = 1;
				break;
			}
		set->forms[set->nforms++] = f;
	}
	if (checklists_load(set, dir, lnames, nlnames, errs) == -1)
		failed = 1;
	if (has_guidance) {
		/* The guidance is optional, but a broken one is an error. */
		gpath = xasprintf("%s/%s", dir, GUIDANCE_FILE);
		if (guidance_load(gpath, &set->guidance, errs) == -1)
			failed = 1;
		free(gpath);
	}
	if (failed)
		goto out;
	*out = set;
	set = NULL;
	rc = 0;
out:
	for (i = 0; i < nnames; i++) {
		free(names[i]);
		if (paths != NULL)
			free(paths[i]);
	}
	for (i = 0; i < nlnames; i++)
		free(lnames[i]);
	free(lnames);
	free(names);
	free(paths);
	formset_free(set);
	return rc;
}

/* Free a form set and its forms.  Accepts NULL. */
void
formset_free(struct formset *set)
{
	size_t	i;

	if (set == NULL)
		return;
	for (i = 0; i < set->nforms; i++)
		form_free(set->forms[i]);
	for (i = 0; i < set->nlists; i++)
		checklist_free(set->lists[i]);
	guidance_free(set->guidance);
	free(set->forms);
	free(set->lists);
	free(set);
}

/* The form whose id is "id", borrowed from set, or NULL. */
const struct form *
formset_get(const struct formset *set, const char *id)
{
	size_t	i;

	for (i = 0; i < set->nforms; i++)
		if (strcmp(set->forms[i]->id, id) == 0)
			return set->forms[i];
	return NULL;
}

/* The question of form f whose code is "code", borrowed, or NULL. */
const struct question *
form_question(const struct form *f, const char *code)
{
	size_t	lo = 0, hi = f->nquestions, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(code, f->sorted[mid]->code)) == 0)
			return f->sorted[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/*
 * The index in q->scale->opts of the option whose value is "value", which
 * is also its offset from q->base in a counts array; -1 if none.
 */
int
form_option_index(const struct question *q, const char *value)
{
	size_t	i;

	for (i = 0; i < q->scale->nopts; i++)
		if (strcmp(q->scale->opts[i].value, value) == 0)
			return (int)i;
	return -1;
}

/*
 * Put a stored count (question, value, n) of a snapshot in its slot of
 * the counts array arg describes (a struct form_counts): the callback of
 * db_published_each() and unitdb_published_each().  Rows of a question or
 * value the form no longer has are skipped.  Always 0.
 */
int
form_counts_put(const char *question, const char *value, int64_t n,
    void *arg)
{
	struct form_counts	*c = arg;
	const struct question	*q;
	int			 i;

	if ((q = form_question(c->form, question)) == NULL ||
	    (i = form_option_index(q, value)) < 0)
		return 0;
	c->n[q->base + (size_t)i] = n;
	return 0;
}

/* Add "key": reason to fields, key cut to FIELD_KEY_MAX bytes. */
static void
field_set(json_t *fields, const char *key, json_t *reason)
{
	char	*k;
	size_t	 len = strlen(key);

	if (len > FIELD_KEY_MAX) {
		len = FIELD_KEY_MAX;
		while (len > 0 && ((unsigned char)key[len] & 0xc0) == 0x80)
			len--;
	}
	k = xstrndup(key, len);
	/* Only out of memory fails here; the caller still answers -1. */
	(void)json_object_set_new(fields, k, reason);
	free(k);
}

/*
 * Check a response's answers (a JSON object; the caller checked the type)
 * against form f: every key a question code, every value a string naming
 * an option of that question's scale, every required question answered.
 * Returns 0 if so.  Otherwise returns -1 and sets *fields to a new object
 * (caller decrefs) mapping at most FIELDS_MAX question codes to a short
 * English reason: "unknown question", "must be a string", "not an option
 * of scale L4", "required".  *fields is NULL after -1 only when out of
 * memory (an HTTP 500).
 */
int
form_answers_check(const struct form *f, json_t *answers, json_t **fields)
{
	json_t			*o, *v;
	const char		*key, *s;
	const struct question	*q;
	size_t			 i;

	*fields = NULL;
	if ((o = json_object()) == NULL) {
		log_err("%s: json_object failed", __func__);
		return -1;
	}
	json_object_foreach(answers, key, v) {
		if (json_object_size(o) >= FIELDS_MAX)
			break;
		if ((q = form_question(f, key)) == NULL)
			field_set(o, key, json_string("unknown question"));
		else if (!json_is_string(v))
			field_set(o, key, json_string("must be a string"));
		else {
			s = json_string_value(v);
			/* A NUL inside would make "1\u0000x" match "1". */
			if (strlen(s) != json_string_length(v) ||
			    form_option_index(q, s) == -1)
				field_set(o, key, json_sprintf(
				    "not an option of scale %s",
				    q->scale->code));
		}
	}
	for (i = 0; i < f->nquestions; i++) {
		if (json_object_size(o) >= FIELDS_MAX)
			break;
		q = f->questions[i];
		if (q->required && json_object_get(answers, q->code) == NULL)
			field_set(o, q->code, json_string("required"));
	}
	if (json_object_size(o) == 0) {
		json_decref(o);
		return 0;
	}
	*fields = o;
	return -1;
}

/*
 * form_answers_check(), and on success the option of each answer: opts
 * (f->nquestions entries, zeroed by the caller) gets the option index + 1
 * of each answered question (by question->index).  The common case, every
 * answer fitting, is one pass that allocates nothing; otherwise
 * form_answers_check() names the fields.  0, or -1 and *fields as there.
 */
int
form_answers_opts(const struct form *f, json_t *answers, uint16_t *opts,
    json_t **fields)
{
	const struct question	*q;
	json_t			*v;
	const char		*key, *s;
	size_t			 k;
	int			 i;

	*fields = NULL;
	json_object_foreach(answers, key, v) {
		if ((q = form_question(f, key)) == NULL || !json_is_string(v))
			goto slow;
		s = json_string_value(v);
		/* A NUL inside would make "1\u0000x" match "1". */
		if (strlen(s) != json_string_length(v) ||
		    (i = form_option_index(q, s)) == -1)
			goto slow;
		opts[q->index] = (uint16_t)(i + 1);
	}
	for (k = 0; k < f->nquestions; k++)
		if (f->questions[k]->required && opts[k] == 0)
			goto slow;
	return 0;
slow:
	/* The same rules: it finds what failed above. */
	if (form_answers_check(f, answers, fields) == 0)
		log_err("%s: the checks disagree", __func__);
	return -1;
}
