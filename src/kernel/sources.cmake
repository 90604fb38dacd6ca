list(APPEND DMASIM_SOURCES kernel/lca.c kernel/upstream.c kernel/p2pdma.c)
