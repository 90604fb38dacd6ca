/*
 * dmasim fuzzing -- what every harness shares: a check that aborts (so
 * that libFuzzer records the input) with a message naming the property.
 */
#ifndef DMASIM_FUZZ_H
#define DMASIM_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, ...)                                              \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "fuzz property failed: %s: ", #cond); \
			fprintf(stderr, __VA_ARGS__);                      \
			fputc('\n', stderr);                               \
			abort();                                           \
		}                                                          \
	} while (0)

/* The limits every harness loads with: small enough that a hostile input
 * fails fast instead of running the fuzzer out of memory or time. */
#define FUZZ_LIMITS { .file_bytes = 1u << 20, .devices = 4096, \
		      .cases = 512, .windows = 64, .alias_events = 1u << 16 }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
