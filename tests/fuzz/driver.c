/* SPDX-License-Identifier: ISC */
/*
 * Replay fuzz inputs without libFuzzer: call LLVMFuzzerTestOneInput() on
 * every file of the folders given as arguments (names starting with "."
 * skipped, so an empty folder can hold a .keep), each in a child process,
 * so that one crash names its input and the others still run.  Prints
 * "fuzz_<target>: N passed, M failed" and exits 1 if M > 0.  Linked into
 * the gcc ASan+UBSan build by "make test-fuzz".
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Read all of path into a new buffer (caller frees).  0 or -1. */
static int
slurp(const char *path, uint8_t **out, size_t *len)
{
	FILE	*fp;
	uint8_t	*p = NULL, *np;
	size_t	 n = 0, cap = 0, got;
	int	 rc = -1;

	*out = NULL;
	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	for (;;) {
		if (n == cap) {
			cap = cap == 0 ? 4096 : cap * 2;
			if ((np = realloc(p, cap)) == NULL)
				goto out;
			p = np;
		}
		if ((got = fread(p + n, 1, cap - n, fp)) == 0)
			break;
		n += got;
	}
	if (ferror(fp))
		goto out;
	*out = p;
	*len = n;
	p = NULL;
	rc = 0;
out:
	fclose(fp);
	free(p);
	return rc;
}

/* Run one input in a child.  1 passed, 0 failed. */
static int
run(const char *path)
{
	uint8_t	*data;
	size_t	 len = 0;
	pid_t	 pid;
	int	 status;

	if (slurp(path, &data, &len) == -1) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 0;
	}
	fflush(NULL);
	if ((pid = fork()) == -1) {
		fprintf(stderr, "fork: %s\n", strerror(errno));
		free(data);
		return 0;
	}
	if (pid == 0) {
		(void)LLVMFuzzerTestOneInput(data, len);
		free(data);
		exit(0);
	}
	free(data);
	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR)
			return 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	if (WIFSIGNALED(status))
		fprintf(stderr, "%s: failed (signal %d)\n", path,
		    WTERMSIG(status));
	else
		fprintf(stderr, "%s: failed (exit %d)\n", path,
		    WEXITSTATUS(status));
	return 0;
}

/* Replay every file of dir.  Adds to *pass and *fail. */
static void
replay_dir(const char *dir, int *pass, int *fail)
{
	DIR		 *d;
	struct dirent	 *de;
	struct stat	  st;
	char		**names = NULL, **np, path[4096];
	size_t		  n = 0, i;
	int		  len;

	if ((d = opendir(dir)) == NULL) {
		fprintf(stderr, "%s: %s\n", dir, strerror(errno));
		(*fail)++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if ((np = realloc(names, (n + 1) * sizeof(*names))) == NULL ||
		    (np[n] = strdup(de->d_name)) == NULL) {
			fprintf(stderr, "%s: out of memory\n", dir);
			abort();
		}
		names = np;
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		len = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (len < 0 || (size_t)len >= sizeof(path)) {
			fprintf(stderr, "%s/%s: path too long\n", dir,
			    names[i]);
			(*fail)++;
		} else if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
			;	/* libFuzzer never nests corpora */
		else if (run(path))
			(*pass)++;
		else
			(*fail)++;
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char *argv[])
{
	const char	*name;
	int		 i, pass = 0, fail = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s dir ...\n", argv[0]);
		return 2;
	}
	name = strrchr(argv[0], '/') != NULL ? strrchr(argv[0], '/') + 1 :
	    argv[0];
	for (i = 1; i < argc; i++)
		replay_dir(argv[i], &pass, &fail);
	printf("%s: %d passed, %d failed\n", name, pass, fail);
	return fail == 0 ? 0 : 1;
}
