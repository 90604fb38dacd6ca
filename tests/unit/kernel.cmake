dmasim_add_check(p2pdma)
