/* dmasim tests -- a program built against an installed dmasim through
 * pkg-config (tests/install/run.sh). */
#include <stdio.h>
#include <dmasim/dmasim.h>
int main(int argc, char **argv)
{
	struct dmasim_topo *t;
	struct dmasim_error err;
	dmasim_error_init(&err);
	if (dmasim_topo_load_file(argv[1], &t, &err)) { char b[512]; dmasim_error_snprintf(b, sizeof b, &err); puts(b); return 2; }
	printf("%zu devices\n", dmasim_topo_machine(t)->ndevices);
	dmasim_topo_destroy(t);
	return argc > 2;
}
