list(APPEND DMASIM_SOURCES kernel/lca.c kernel/upstream.c kernel/p2pdma.c kernel/acs_setup.c)
list(APPEND DMASIM_CLI_SOURCES cli/cmd_upstream.c cli/cmd_p2p.c)
