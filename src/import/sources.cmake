# Importers (lspci dumps, sysfs) and the lspci exporter.
list(APPEND DMASIM_SOURCES
  import/cfg.c
  import/lspci_read.c
  import/build.c
  import/sysfs_read.c
  import/groups.c
  import/hwloc_read.c
  import/hwloc_write.c
  import/export.c
)
list(APPEND DMASIM_CLI_SOURCES
  cli/cmd_import.c
  cli/cmd_export.c
  cli/cmd_dot.c
)
