dmasim_add_check(scenario)
