#ifndef DIGEST_CLIBXML2_SHIM_H
#define DIGEST_CLIBXML2_SHIM_H

/* Debian's libxml2 is built with ICU, whose headers clash with Foundation's bundled ICU in the same Swift module.
   digest never touches the encoding handler's ICU fields, so the ICU part of libxml2's headers is left out. */
#include <libxml/xmlversion.h>
#ifdef LIBXML_ICU_ENABLED
#undef LIBXML_ICU_ENABLED
#endif
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>

/// The option set digest uses for tolerant, offline HTML parsing.
static inline int digest_html_parse_options(void) {
    return HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
}

/// Frees memory libxml2 allocated (xmlFree is a global function pointer, which Swift 6 treats as shared mutable state).
static inline void digest_xml_free(void *pointer) {
    xmlFree(pointer);
}

#endif
