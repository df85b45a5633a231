/* SPDX-License-Identifier: ISC */
/*
 * Unit tests of form.c, run from the repository root: the real forms of
 * forms/ against ../shared/ITA.md, answer checking, folder rules, and the
 * golden form files of tests/golden/forms/<case>/{input.json,expected},
 * where "expected" is exactly what the loader prints (empty for a good
 * form).
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extern.h"
#include "../check.h"

#define GOLDEN	"tests/golden/forms"

/* Question codes in form order, scales and reverse flags of ITA.md. */
static const char iit_codes[] =
    "i1a i1b i2 i3a i3b i3c i4a i4b i4c i5a i5b i5c i6a i6b i6c "
    "i7 i8a i8b i9 i10 i11a i11b i12a i12b i12c "
    "i13 i14 i15 i16 i17 i18a i18b i18c "
    "i19 i20 i21 i22 i23 i24 "
    "i25 i26a i26b i27 i28a i28b i28c i29 i30a i30b i30c i30d";
static const char iit_yn[] =
    "i4a i4b i4c i5a i5b i5c i6a i6b i6c i26a i26b";
static const char iit_reverse[] =
    "i4a i4b i4c i5a i5b i5c i6a i6b i6c i9 i10 i11b i16 i17 "
    "i18a i18b i18c i19 i22";
static const char eit_codes[] =
    "e1a e1b e2 e3 e4a e4b e4c e5 e6a e6b e7 e8 e9 e10 "
    "e11 e12 e13 e14 e15";
static const char eit_yn[] = "e4a e4b e4c e8 e10";
static const char eit_reverse[] = "e4a e4b e4c";

/* The codes of f's questions for which pick() holds, space-separated. */
static char *
codes(const struct form *f, int (*pick)(const struct question *))
{
	struct buf	b;
	size_t		i;
	int		rc = 0;

	buf_init(&b, 0);
	rc |= buf_puts(&b, "");
	for (i = 0; i < f->nquestions; i++)
		if (pick == NULL || pick(f->questions[i]))
			rc |= buf_printf(&b, "%s%s", b.len ? " " : "",
			    f->questions[i]->code);
	CHECK(rc == 0);
	return b.p;
}

static int
is_yn(const struct question *q)
{
	return strcmp(q->scale->code, "YN") == 0;
}

static int
is_reverse(const struct question *q)
{
	return q->reverse;
}

/* 1 if key appears anywhere in the JSON value v. */
static int
has_key(json_t *v, const char *key)
{
	const char	*k;
	json_t		*x;
	size_t		 i;

	if (json_is_object(v)) {
		json_object_foreach(v, k, x)
			if (strcmp(k, key) == 0 || has_key(x, key))
				return 1;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x)
			if (has_key(x, key))
				return 1;
	}
	return 0;
}

static void
check_codes(const struct form *f, const char *all, const char *yn,
    const char *rev)
{
	char	*s;

	s = codes(f, NULL);
	CHECK(strcmp(s, all) == 0);
	free(s);
	s = codes(f, is_yn);
	CHECK(strcmp(s, yn) == 0);
	free(s);
	s = codes(f, is_reverse);
	CHECK(strcmp(s, rev) == 0);
	free(s);
}

/* Structure shared by every ITA form: numbering, labels, scoring. */
static void
check_common(const struct form *f, size_t ninds, size_t nitems,
    size_t nqs, int64_t weight)
{
	size_t			 i, j, n = 0, slots = 0;
	const struct question	*q;

	CHECK(f->ninds == ninds);
	CHECK(f->nquestions == nqs);
	for (i = 0; i < f->ninds; i++) {
		n += f->inds[i].nitems;
		CHECK(f->inds[i].weight == weight);
		CHECK(f->inds[i].name.th[0] != '\0');
		CHECK(f->inds[i].name.en[0] != '\0');
		for (j = 0; j < f->inds[i].nitems; j++)
			if (f->inds[i].items[j].nqs == 1)
				CHECK(strcmp(f->inds[i].items[j].code,
				    f->inds[i].items[j].qs[0].code) == 0);
	}
	CHECK(n == nitems);
	for (i = 0; i < f->nquestions; i++) {
		q = f->questions[i];
		CHECK(q->index == i);
		CHECK(q->base == slots);
		CHECK(q->required);
		CHECK(q->text.th[0] != '\0' && q->text.en[0] != '\0');
		slots += q->scale->nopts;
		CHECK(form_question(f, q->code) == q);
	}
	CHECK(f->ncounts == slots);
	CHECK(f->nscales == 2);
	CHECK(f->target == 8500);
	CHECK(f->min_cell == 5);
	CHECK(f->ngrades == 7);
	if (f->ngrades == 7) {
		CHECK(strcmp(f->grades[0].name, "AA") == 0);
		CHECK(f->grades[0].min == 9500);
		CHECK(strcmp(f->grades[1].name, "A") == 0);
		CHECK(f->grades[1].min == 8500);
		CHECK(f->grades[5].min == 5000);
		CHECK(strcmp(f->grades[6].name, "F") == 0);
		CHECK(f->grades[6].min == 0);
	}
	CHECK(f->sample_percent == 10);
	CHECK(f->sample_min == 30);
	CHECK(form_question(f, "nope") == NULL);
}

/* The public document: the shape of API.md and nothing that scores. */
static void
check_doc(const struct form *f, const char *audience)
{
	json_t	*d = f->doc, *v;

	CHECK(json_is_object(d));
	CHECK(strcmp(json_string_value(json_object_get(d, "form")),
	    f->id) == 0);
	CHECK(strcmp(json_string_value(json_object_get(d, "audience")),
	    audience) == 0);
	CHECK(json_object_get(d, "round") == NULL);
	CHECK(!has_key(d, "points"));
	CHECK(!has_key(d, "reverse_points"));
	CHECK(!has_key(d, "reverse"));
	CHECK(!has_key(d, "weight"));
	CHECK(!has_key(d, "scoring"));
	CHECK(json_array_size(json_object_get(d, "languages")) == 2);
	CHECK(json_array_size(json_object_get(d, "indicators")) == f->ninds);
	v = json_object_get(json_object_get(json_object_get(d, "scales"),
	    "L4"), "options");
	CHECK(json_array_size(v) == 4);
	CHECK(strcmp(json_string_value(json_object_get(json_array_get(v, 3),
	    "value")), "4") == 0);
	v = json_array_get(json_object_get(json_array_get(
	    json_object_get(d, "indicators"), 0), "items"), 1);
	v = json_array_get(json_object_get(v, "questions"), 0);
	CHECK(json_is_true(json_object_get(v, "required")));
	CHECK(json_is_string(json_object_get(v, "scale")));
	CHECK(json_is_string(json_object_get(json_object_get(v, "text"),
	    "th")));
}

static void
test_real_forms(const struct formset *set)
{
	const struct form	*iit, *eit;
	const struct question	*q;
	int			 i;

	CHECK(set->nforms == 2);
	iit = formset_get(set, "ita-2563-iit");
	eit = formset_get(set, "ita-2563-eit");
	CHECK(iit != NULL && eit != NULL);
	CHECK(formset_get(set, "ita-2563") == NULL);
	if (iit == NULL || eit == NULL)
		return;

	CHECK(iit->internal && !eit->internal);
	CHECK(strcmp(iit->instrument, "IIT") == 0);
	CHECK(strcmp(eit->instrument, "EIT") == 0);
	CHECK(iit->sample_max == -1);
	CHECK(eit->sample_max == 400);
	check_common(iit, 5, 30, 51, 6);
	check_common(eit, 3, 15, 19, 10);
	check_codes(iit, iit_codes, iit_yn, iit_reverse);
	check_codes(eit, eit_codes, eit_yn, eit_reverse);
	check_doc(iit, "internal");
	check_doc(eit, "external");

	/* The reverse flags ITA.md singles out. */
	CHECK((q = form_question(iit, "i4a")) != NULL && q->reverse);
	CHECK((q = form_question(iit, "i11a")) != NULL && !q->reverse);
	CHECK((q = form_question(iit, "i11b")) != NULL && q->reverse);
	CHECK((q = form_question(iit, "i18c")) != NULL && q->reverse);
	CHECK((q = form_question(eit, "e4b")) != NULL && q->reverse);
	CHECK((q = form_question(iit, "i1a")) != NULL && !q->reverse);

	/* Points in hundredths; a reverse L4 question runs 100 .. 0. */
	q = form_question(iit, "i9");
	CHECK(q != NULL && q->reverse && strcmp(q->scale->code, "L4") == 0);
	if (q != NULL) {
		CHECK(form_option_index(q, "1") == 0);
		CHECK(form_option_index(q, "4") == 3);
		CHECK(form_option_index(q, "5") == -1);
		CHECK(form_option_index(q, "yes") == -1);
		i = form_option_index(q, "2");
		CHECK(i == 1);
		CHECK(q->scale->opts[i].points == 3333);
		CHECK(q->scale->opts[i].rpoints == 6667);
		CHECK(q->scale->opts[0].points == 0);
		CHECK(q->scale->opts[0].rpoints == 10000);
		CHECK(q->scale->opts[2].points == 6667);
		CHECK(q->scale->opts[2].rpoints == 3333);
		CHECK(q->scale->opts[3].rpoints == 0);
	}
	q = form_question(eit, "e4b");
	CHECK(q != NULL && strcmp(q->scale->code, "YN") == 0);
	if (q != NULL) {
		i = form_option_index(q, "yes");
		CHECK(i == 0);
		CHECK(q->scale->opts[0].points == 10000);
		CHECK(q->scale->opts[0].rpoints == 0);
		CHECK(form_option_index(q, "no") == 1);
		CHECK(q->scale->opts[1].rpoints == 10000);
	}
}

/* A full, valid set of answers to f: "3" or "no" everywhere. */
static json_t *
answers_full(const struct form *f)
{
	json_t	*a = json_object();
	size_t	 i;

	for (i = 0; i < f->nquestions; i++)
		CHECK(json_object_set_new(a, f->questions[i]->code,
		    json_string(is_yn(f->questions[i]) ? "no" : "3")) == 0);
	return a;
}

/* 1 if fields says exactly reason for key. */
static int
field_is(json_t *fields, const char *key, const char *reason)
{
	json_t	*v = json_object_get(fields, key);

	return json_is_string(v) && strcmp(json_string_value(v), reason) == 0;
}

static void
test_answers(const struct form *f)
{
	json_t	*a, *fields;
	char	 key[101];
	size_t	 i;

	a = answers_full(f);
	fields = (json_t *)1;
	CHECK(form_answers_check(f, a, &fields) == 0);
	CHECK(fields == NULL);

	/* Each kind of problem, all at once: every one is named. */
	CHECK(json_object_del(a, "i1a") == 0);
	CHECK(json_object_set_new(a, "zz9", json_string("1")) == 0);
	CHECK(json_object_set_new(a, "i1b", json_string("5")) == 0);
	CHECK(json_object_set_new(a, "i4a", json_string("1")) == 0);
	CHECK(json_object_set_new(a, "i2", json_integer(3)) == 0);
	CHECK(json_object_set_new(a, "i3a", json_null()) == 0);
	CHECK(json_object_set_new(a, "i3b", json_stringn("3\0x", 3)) == 0);
	CHECK(form_answers_check(f, a, &fields) == -1);
	CHECK(fields != NULL);
	CHECK(json_object_size(fields) == 7);
	CHECK(field_is(fields, "i1a", "required"));
	CHECK(field_is(fields, "zz9", "unknown question"));
	CHECK(field_is(fields, "i1b", "not an option of scale L4"));
	CHECK(field_is(fields, "i4a", "not an option of scale YN"));
	CHECK(field_is(fields, "i2", "must be a string"));
	CHECK(field_is(fields, "i3a", "must be a string"));
	CHECK(field_is(fields, "i3b", "not an option of scale L4"));
	json_decref(fields);
	json_decref(a);

	/* Nothing answered: every required question, once. */
	a = json_object();
	CHECK(form_answers_check(f, a, &fields) == -1);
	CHECK(json_object_size(fields) == f->nquestions);
	CHECK(field_is(fields, "i30d", "required"));
	json_decref(fields);

	/* A long unknown key comes back cut to 64 bytes. */
	memset(key, 'x', 100);
	key[100] = '\0';
	CHECK(json_object_set_new(a, key, json_string("1")) == 0);
	CHECK(form_answers_check(f, a, &fields) == -1);
	key[64] = '\0';
	CHECK(field_is(fields, key, "unknown question"));
	json_decref(fields);
	json_decref(a);

	/* Many bad keys: the reply stops at 64 entries. */
	a = answers_full(f);
	for (i = 0; i < 200; i++) {
		snprintf(key, sizeof(key), "bad%zu", i);
		CHECK(json_object_set_new(a, key, json_string("1")) == 0);
	}
	CHECK(form_answers_check(f, a, &fields) == -1);
	CHECK(json_object_size(fields) == 64);
	json_decref(fields);
	json_decref(a);
}

/* An optional question may be left out (q1b of the golden good form). */
static void
test_optional(void)
{
	struct form	*f = NULL;
	json_t		*a, *fields = NULL;

	CHECK(form_load(GOLDEN "/good/input.json", &f, stderr) == 0);
	if (f == NULL)
		return;
	CHECK(!form_question(f, "q1b")->required);
	a = json_pack("{s:s, s:s, s:s}", "q1a", "yes", "q2", "2",
	    "q3", "no");
	CHECK(form_answers_check(f, a, &fields) == 0);
	CHECK(json_object_del(a, "q2") == 0);
	CHECK(form_answers_check(f, a, &fields) == -1);
	CHECK(json_object_size(fields) == 1 &&
	    field_is(fields, "q2", "required"));
	json_decref(fields);
	json_decref(a);
	form_free(f);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*p = NULL;
	long	 n;

	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		p = xcalloc((size_t)n + 1, 1);
		*len = fread(p, 1, (size_t)n, fp);
	}
	fclose(fp);
	return p;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run one golden case; returns 1 if the expected text is empty (good). */
static int
golden_case(const char *name)
{
	char		*input, *exp_path, *want, *got = NULL;
	size_t		 wantlen, gotlen = 0;
	FILE		*mem;
	struct form	*f = NULL;
	int		 rc, same;

	input = xasprintf("%s/%s/input.json", GOLDEN, name);
	exp_path = xasprintf("%s/%s/expected", GOLDEN, name);
	want = slurp(exp_path, &wantlen);
	CHECK(want != NULL);
	CHECK((mem = open_memstream(&got, &gotlen)) != NULL);
	rc = form_load(input, &f, mem);
	fclose(mem);
	CHECK(rc == (wantlen == 0 ? 0 : -1));
	CHECK((rc == 0) == (f != NULL));
	same = want != NULL && gotlen == wantlen &&
	    memcmp(got, want, gotlen) == 0;
	CHECK(same);
	if (!same)
		fprintf(stderr, "%s: want:\n%sgot:\n%s", name,
		    want == NULL ? "" : want, got);
	/* Without a stream the verdict is the same. */
	form_free(f);
	CHECK(form_load(input, &f, NULL) == rc);
	form_free(f);
	free(input);
	free(exp_path);
	free(want);
	free(got);
	return wantlen == 0;
}

static void
test_golden(void)
{
	DIR		 *d;
	struct dirent	 *de;
	char		**names = NULL;
	size_t		  n = 0, i;
	int		  good = 0;

	CHECK((d = opendir(GOLDEN)) != NULL);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		good += golden_case(names[i]);
		free(names[i]);
	}
	free(names);
	CHECK(n >= 13);
	CHECK(good >= 1 && n - (size_t)good >= 12);
}

static void
write_file(const char *path, const char *data, size_t len)
{
	FILE	*fp;

	CHECK((fp = fopen(path, "wb")) != NULL);
	if (fp == NULL)
		return;
	CHECK(fwrite(data, 1, len, fp) == len);
	CHECK(fclose(fp) == 0);
}

/* Run formset_load(dir); 1 if its output equals want. */
static int
set_says(const char *dir, int wantrc, const char *want)
{
	struct formset	*set = (struct formset *)1;
	FILE		*mem;
	char		*got = NULL;
	size_t		 len = 0;
	int		 ok;

	if ((mem = open_memstream(&got, &len)) == NULL)
		return 0;
	ok = formset_load(dir, &set, mem) == wantrc;
	fclose(mem);
	ok = ok && (wantrc == 0) == (set != NULL) && strcmp(got, want) == 0;
	if (!ok)
		fprintf(stderr, "%s: want:\n%sgot:\n%s", dir, want, got);
	formset_free(set);
	free(got);
	return ok;
}

static void
test_folder(void)
{
	char	 dir[] = "/tmp/test_form.XXXXXX";
	char	*a, *b, *big, *readme, *want, *good;
	size_t	 len;
	int	 fd;

	CHECK(set_says("/nonexistent/forms", -1,
	    "/nonexistent/forms: No such file or directory\n"));
	CHECK(mkdtemp(dir) != NULL);
	a = xasprintf("%s/a.json", dir);
	b = xasprintf("%s/b.json", dir);
	big = xasprintf("%s/big.json", dir);
	readme = xasprintf("%s/README.md", dir);

	want = xasprintf("%s: no form files\n", dir);
	write_file(readme, "not a form\n", 11);
	CHECK(set_says(dir, -1, want));
	free(want);

	good = slurp(GOLDEN "/good/input.json", &len);
	CHECK(good != NULL);
	if (good != NULL) {
		write_file(a, good, len);
		CHECK(set_says(dir, 0, ""));
		write_file(b, good, len);
		want = xasprintf("%s: $.id: duplicate id \"golden-test\" "
		    "(also in %s)\n", b, a);
		CHECK(set_says(dir, -1, want));
		free(want);
	}
	free(good);

	/* Too big is refused before anything is read or parsed. */
	CHECK((fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1);
	CHECK(ftruncate(fd, FORM_FILE_MAX + 1) == 0);
	close(fd);
	want = xasprintf("%s: $.id: duplicate id \"golden-test\" (also in "
	    "%s)\n%s: larger than %d bytes\n", b, a, big, FORM_FILE_MAX);
	CHECK(set_says(dir, -1, want));
	free(want);

	unlink(a);
	unlink(b);
	unlink(big);
	unlink(readme);
	CHECK(rmdir(dir) == 0);
	free(a);
	free(b);
	free(big);
	free(readme);
}

/* Exit 0 when every check passes; run from the repository root. */
int
main(void)
{
	struct formset	*set = NULL;

	CHECK(formset_load("forms", &set, stderr) == 0);
	if (set != NULL) {
		test_real_forms(set);
		if (formset_get(set, "ita-2563-iit") != NULL)
			test_answers(formset_get(set, "ita-2563-iit"));
	}
	formset_free(set);
	test_optional();
	test_golden();
	test_folder();
	return check_done("test_form");
}
