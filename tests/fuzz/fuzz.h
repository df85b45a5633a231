/* SPDX-License-Identifier: ISC */
/*
 * What every fuzz target shares: the libFuzzer entry point, and FUZZ_CHECK
 * for invariants, which aborts (libFuzzer and driver.c both report an
 * abort as a crash, with the input that caused it).
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FUZZ_CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

#endif /* !FUZZ_H */
