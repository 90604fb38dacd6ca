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
 * per built-in row (src/kernel: the host-bridge verdicts).  Each lies in
 * a slot of a power-of-two size, so that recognising one is a subtraction
 * and a shift.
 */
#define DMASIM__NPOLICY_BUILTINS 4
struct dmasim__policy_slot {
	_Alignas(1024) struct dmasim_policy p;
};
#if defined(__GNUC__)
__attribute__((visibility("hidden")))
#endif
extern const struct dmasim__policy_slot dmasim__policy_builtins[DMASIM__NPOLICY_BUILTINS];

_Static_assert((sizeof(struct dmasim__policy_slot) &
		(sizeof(struct dmasim__policy_slot) - 1)) == 0,
	       "a policy slot's size is a power of two");

/* The row number of @p when it is one of the built-in objects (not a
 * copy of one), else DMASIM__NPOLICY_BUILTINS or more. */
static inline unsigned dmasim__policy_builtin_index(const struct dmasim_policy *p)
{
	uintptr_t off = (uintptr_t)p - (uintptr_t)dmasim__policy_builtins;

	if (off >= sizeof(dmasim__policy_builtins))
		return DMASIM__NPOLICY_BUILTINS;
	return (unsigned)(off / sizeof(dmasim__policy_builtins[0]));
}

/* Built-in row @k. */
static inline const struct dmasim_policy *dmasim__policy_builtin_at(unsigned k)
{
	return &dmasim__policy_builtins[k].p;
}

/* dmasim_policy_default(), inline. */
static inline const struct dmasim_policy *dmasim__policy_default(void)
{
	return dmasim__policy_builtin_at(DMASIM__NPOLICY_BUILTINS - 1);
}

#endif
