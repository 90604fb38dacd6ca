list(APPEND DMASIM_SOURCES
  scenario/spec.c
  scenario/suite_load.c
  scenario/verdict.c
  scenario/run.c
)
list(APPEND DMASIM_CLI_SOURCES cli/cmd_check.c)
list(APPEND DMASIM_CLI_SOURCES cli/cmd_audit.c cli/cmd_matrix.c cli/cmd_diff.c)
