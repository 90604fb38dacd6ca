/* dmasim -- private: policy names shared by the loader, the CLI and tests. */
#ifndef DMASIM_POLICY_POLICY_INT_H
#define DMASIM_POLICY_POLICY_INT_H

/* enum dmasim_root_dev_rule as policy files spell it (root_device:). */
extern const char *const dmasim__root_dev_rule_names[3];

#endif
