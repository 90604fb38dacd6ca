list(APPEND DMASIM_SOURCES policy/policy.c)
list(APPEND DMASIM_SOURCES policy/notes.c policy/show.c)
list(APPEND DMASIM_CLI_SOURCES cli/cmd_policy.c)
