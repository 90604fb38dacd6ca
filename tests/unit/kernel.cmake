dmasim_add_check(p2pdma)
dmasim_add_check(policy)
dmasim_add_check(policy_rows)
