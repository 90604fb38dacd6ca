/* dmasim -- private: policy names shared by the loader, the CLI and tests. */
#ifndef DMASIM_POLICY_POLICY_INT_H
#define DMASIM_POLICY_POLICY_INT_H

#include <stdint.h>

#include "dmasim/policy.h"

/* enum dmasim_root_dev_rule as policy files spell it (root_device:). */
extern const char *const dmasim__root_dev_rule_names[3];

/*
 * The built-in rows (seed-2018, linux-4.20, linux-5.15, linux-6.12), the
 * objects dmasim_policy_builtin() and dmasim_policy_default() return.
 * They are const and never change, so an index may precompute results
 * per built-in row (src/kernel: the host-bridge verdicts).
 */
#define DMASIM__NPOLICY_BUILTINS 4
#if defined(__GNUC__)
__attribute__((visibility("hidden")))
#endif
extern const struct dmasim_policy dmasim__policy_builtins[DMASIM__NPOLICY_BUILTINS];

/* The row number of @p when it is one of the built-in objects (not a
 * copy of one), else -1. */
static inline int dmasim__policy_builtin_index(const struct dmasim_policy *p)
{
	uintptr_t off = (uintptr_t)p - (uintptr_t)dmasim__policy_builtins;

	if (off >= sizeof(dmasim__policy_builtins))
		return -1;
	return (int)(off / sizeof(dmasim__policy_builtins[0]));
}

/* dmasim_policy_default(), inline. */
static inline const struct dmasim_policy *dmasim__policy_default(void)
{
	return &dmasim__policy_builtins[DMASIM__NPOLICY_BUILTINS - 1];
}

#endif
