/* dmasim tests -- tiny well-formedness checkers for JSON and XML output,
 * so that tests can say "this parses" without extra packages. */
#ifndef DMASIM_WELLFORMED_H
#define DMASIM_WELLFORMED_H

#include <stdbool.h>

/* True when @text is exactly one JSON value (RFC 8259 syntax). */
bool wf_json(const char *text);
/* True when @text is one well-formed XML element, optionally after an XML
 * declaration: tags nest and match, attributes are quoted, entities known. */
bool wf_xml(const char *text);

#endif
