list(APPEND DMASIM_SOURCES policy/policy.c)
