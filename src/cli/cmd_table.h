/* dmasim -- subcommands beyond validate and show, one CLI_COMMAND line
 * each: CLI_COMMAND("name", "one-line summary", cmd_name)
 * (declare cmd_name in cli/cmds.h). */
CLI_COMMAND("route", "route a device's memory request through the fabric, hop by hop", cmd_route)
CLI_COMMAND("upstream", "the common upstream device of two devices, as a policy finds it", cmd_upstream)
CLI_COMMAND("p2p", "the kernel's P2P decision: map type, distance, warnings", cmd_p2p)
CLI_COMMAND("import", "make a topology from an lspci dump or a sysfs tree", cmd_import)
CLI_COMMAND("export", "write a topology as an lspci -xxxx dump", cmd_export)
CLI_COMMAND("map", "dma_map_resource or a P2P mapping as a kernel makes it, verified through the fabric", cmd_map)
CLI_COMMAND("check", "run regression suites (TAP, JUnit XML, JSON)", cmd_check)
CLI_COMMAND("audit", "find provider/client pairs where a policy is unsound or conservative", cmd_audit)
CLI_COMMAND("matrix", "the all-pairs P2P table of endpoints, like nvidia-smi topo -m", cmd_matrix)
CLI_COMMAND("diff", "the pairs whose P2P decision changes between two policies", cmd_diff)
CLI_COMMAND("dot", "draw a topology and a request's route as Graphviz DOT", cmd_dot)
