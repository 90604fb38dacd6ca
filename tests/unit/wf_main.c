/* dmasim tests -- `wf-check json|xml FILE`: exit 0 when FILE is well-formed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wellformed.h"

int main(int argc, char **argv)
{
	FILE *f;
	char *buf;
	long n;
	bool ok;

	if (argc != 3 || (strcmp(argv[1], "json") && strcmp(argv[1], "xml"))) {
		fprintf(stderr, "usage: wf-check json|xml FILE\n");
		return 2;
	}
	f = fopen(argv[2], "rb");
	if (!f)
		return 2;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
		return 2;
	buf[n] = '\0';
	fclose(f);
	ok = strcmp(argv[1], "json") == 0 ? wf_json(buf) : wf_xml(buf);
	free(buf);
	return ok ? 0 : 1;
}
