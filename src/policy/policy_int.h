/* dmasim -- private: policy names shared by the loader, the CLI and tests. */
#ifndef DMASIM_POLICY_POLICY_INT_H
#define DMASIM_POLICY_POLICY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "dmasim/policy.h"

/* enum dmasim_root_dev_rule as policy files spell it (root_device:). */
extern const char *const dmasim__root_dev_rule_names[3];
/* The other enum fields of a policy file, indexed by their enum values
 * (bus_offset: 0 plus, 1 minus; missing_map_resource: 0 error, 1 phys). */
extern const char *const dmasim__upstream_names[2];
extern const char *const dmasim__decision_names[DMASIM_DECIDE_COUNT];
extern const char *const dmasim__wl_match_names[DMASIM_WL_MATCH_COUNT];
extern const char *const dmasim__bus_offset_names[2];
extern const char *const dmasim__ram_rule_names[3];
extern const char *const dmasim__missing_op_names[2];
extern const char *const dmasim__iova_pci32_names[DMASIM_IOVA_PCI32_COUNT];
extern const char *const dmasim__acs_cmdline_names[DMASIM_ACS_CMDLINE_COUNT];
extern const char *const dmasim__acs_dt_request_names[DMASIM_ACS_DT_COUNT];

/*
 * The built-in rows (dmasim_policy_builtin_names(), oldest first), the
 * objects dmasim_policy_builtin() and dmasim_policy_default() return.
 * They are const and never change, so an index may precompute results
 * per built-in row (src/kernel: the host-bridge verdicts).  Each lies in
 * a slot of a power-of-two size, so that recognising one is a subtraction
 * and a shift.
 */
#define DMASIM__NPOLICY_BUILTINS 9
#define DMASIM__POLICY_DEFAULT 7 /* linux-6.12 */
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
	return dmasim__policy_builtin_at(DMASIM__POLICY_DEFAULT);
}

/* Where a built-in row's value of a policy-file key comes from: the
 * history of each key as (first row, text) entries. */
struct dmasim__policy_note {
	const char *key;
	unsigned since; /* row number in dmasim_policy_builtin_names() */
	const char *text;
};
/* The note in force at built-in row @row for @key, or NULL. */
const char *dmasim__policy_note(const char *key, unsigned row);
const struct dmasim__policy_note *dmasim__policy_notes(size_t *n);

/* @p as a policy file (YAML) or JSON, every field spelled out; a
 * built-in row gets a comment per value saying where it comes from. */
void dmasim__policy_write(FILE *f, const struct dmasim_policy *p, bool json);

/* The alias of built-in row @name ("mainline"), or NULL. */
const char *dmasim__policy_alias_of(const char *name);

/* "seed-2018, linux-4.20, ..., linux-6.19 (mainline)" for messages. */
const char *dmasim__policy_names_text(void);

#endif
