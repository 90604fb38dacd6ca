list(APPEND DMASIM_SOURCES kernel/lca.c)
