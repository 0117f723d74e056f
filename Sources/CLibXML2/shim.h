#ifndef DIGEST_CLIBXML2_SHIM_H
#define DIGEST_CLIBXML2_SHIM_H

/* Debian's libxml2 is built with ICU, whose headers clash with Foundation's bundled ICU in the same Swift module.
   digest never touches the encoding handler's ICU fields, so the ICU part of libxml2's headers is left out. */
#include <libxml/xmlversion.h>
#ifdef LIBXML_ICU_ENABLED
#undef LIBXML_ICU_ENABLED
#endif
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/encoding.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/uri.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/// The option set digest uses for tolerant, offline HTML parsing.
static inline int digest_html_parse_options(void) {
    return HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET;
}

/// Frees memory libxml2 allocated (xmlFree is a global function pointer, which Swift 6 treats as shared mutable state).
static inline void digest_xml_free(void *pointer) {
    xmlFree(pointer);
}

/* ---- Error capture ------------------------------------------------------------------------------------------------
   libxml2 reports errors through two handlers, the generic (printf-like, default: stderr) and the structured one.
   Both are per-thread globals in this build, so they are swapped in around each call on the calling thread and
   restored afterwards; nothing is printed and the first message is kept. */

/// The state of one capture: the first message (structured errors preferred) and the handlers to restore.
typedef struct digest_xml_capture {
    char message[512];
    int has_structured;
    int has_generic;
    xmlGenericErrorFunc saved_generic;
    void *saved_generic_context;
    xmlStructuredErrorFunc saved_structured;
    void *saved_structured_context;
} digest_xml_capture;

static inline void digest_xml_capture_generic(void *context, const char *format, ...) {
    digest_xml_capture *capture = (digest_xml_capture *)context;
    if (capture == NULL || capture->has_structured || capture->has_generic || format == NULL) return;
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(capture->message, sizeof(capture->message), format, arguments);
    va_end(arguments);
    capture->has_generic = capture->message[0] != 0;
}

static inline void digest_xml_capture_structured(void *context, xmlErrorPtr error) {
    digest_xml_capture *capture = (digest_xml_capture *)context;
    if (capture == NULL || capture->has_structured || error == NULL || error->message == NULL) return;
    snprintf(capture->message, sizeof(capture->message), "%s", error->message);
    capture->has_structured = 1;
}

static inline void digest_xml_capture_begin(digest_xml_capture *capture) {
    memset(capture, 0, sizeof(*capture));
    capture->saved_generic = xmlGenericError;
    capture->saved_generic_context = xmlGenericErrorContext;
    capture->saved_structured = xmlStructuredError;
    capture->saved_structured_context = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(capture, digest_xml_capture_generic);
    xmlSetStructuredErrorFunc(capture, digest_xml_capture_structured);
}

static inline void digest_xml_capture_end(digest_xml_capture *capture, char *message, int size) {
    xmlSetGenericErrorFunc(capture->saved_generic_context, capture->saved_generic);
    xmlSetStructuredErrorFunc(capture->saved_structured_context, capture->saved_structured);
    if (message != NULL && size > 0) snprintf(message, (size_t)size, "%s", capture->message);
}

/// Parses HTML like htmlReadMemory with digest's options, printing nothing.
static inline htmlDocPtr digest_html_read(const char *bytes, int size, const char *url, const char *encoding) {
    digest_xml_capture capture;
    digest_xml_capture_begin(&capture);
    htmlDocPtr document = htmlReadMemory(bytes, size, url, encoding, digest_html_parse_options());
    digest_xml_capture_end(&capture, NULL, 0);
    return document;
}

/// Parses an HTML fragment of UTF-8 like htmlReadMemory with digest's options; `halted` is set when libxml2 stopped
/// before the end (nesting past its depth limit, 256), so that the tree lacks what followed.
static inline htmlDocPtr digest_html_read_fragment(const char *bytes, int size, int *halted) {
    *halted = 0;
    htmlParserCtxtPtr context = htmlNewParserCtxt();
    if (context == NULL) return NULL;
    htmlDocPtr document = htmlCtxtReadMemory(context, bytes, size, NULL, "UTF-8", digest_html_parse_options());
    *halted = context->disableSAX != 0; /* what xmlHaltParser leaves; recovered errors do not set it */
    htmlFreeParserCtxt(context);
    return document;
}

/// Whether libxml2 (built-in, iconv or ICU) can decode `name`.
static inline int digest_encoding_supported(const char *name) {
    digest_xml_capture capture;
    digest_xml_capture_begin(&capture);
    xmlCharEncodingHandlerPtr handler = xmlFindCharEncodingHandler(name);
    if (handler != NULL) xmlCharEncCloseFunc(handler);
    digest_xml_capture_end(&capture, NULL, 0);
    return handler != NULL;
}

/// Compiles an XPath expression (`context` may be NULL). On failure returns NULL with libxml2's message in `message`;
/// nothing is printed.
static inline xmlXPathCompExprPtr digest_xpath_compile(
    xmlXPathContextPtr context, const char *expression, char *message, int size
) {
    digest_xml_capture capture;
    digest_xml_capture_begin(&capture);
    xmlXPathCompExprPtr compiled = xmlXPathCtxtCompile(context, (const xmlChar *)expression);
    digest_xml_capture_end(&capture, message, size);
    return compiled;
}

/// Evaluates a compiled expression with `node` as the context node. On failure returns NULL with libxml2's message
/// in `message`; nothing is printed. The caller frees the result with xmlXPathFreeObject.
static inline xmlXPathObjectPtr digest_xpath_eval(
    xmlXPathCompExprPtr compiled, xmlXPathContextPtr context, xmlNodePtr node, char *message, int size
) {
    digest_xml_capture capture;
    digest_xml_capture_begin(&capture);
    context->node = node;
    /* One context node: position() and last() are 1, as for a location path's step. */
    context->contextSize = 1;
    context->proximityPosition = 1;
    xmlXPathObjectPtr result = xmlXPathCompiledEval(compiled, context);
    digest_xml_capture_end(&capture, message, size);
    return result;
}

/// The node at `index` of a node-set (NULL when out of range).
static inline xmlNodePtr digest_nodeset_item(xmlNodeSetPtr set, int index) {
    if (set == NULL || index < 0 || index >= set->nodeNr) return NULL;
    return set->nodeTab[index];
}

/// The children of `node` (or `node` itself when `include_node`) serialised as HTML, unformatted, into a new buffer
/// the caller frees with xmlBufferFree; NULL when out of memory.
static inline xmlBufferPtr digest_html_dump(xmlDocPtr document, xmlNodePtr node, int include_node) {
    xmlBufferPtr buffer = xmlBufferCreate();
    if (buffer == NULL) return NULL;
    xmlOutputBufferPtr output = xmlOutputBufferCreateBuffer(buffer, NULL);
    if (output == NULL) {
        xmlBufferFree(buffer);
        return NULL;
    }
    digest_xml_capture capture;
    digest_xml_capture_begin(&capture);
    if (include_node) {
        htmlNodeDumpFormatOutput(output, document, node, NULL, 0);
    } else {
        for (xmlNodePtr child = node->children; child != NULL; child = child->next) {
            htmlNodeDumpFormatOutput(output, document, child, NULL, 0);
        }
    }
    digest_xml_capture_end(&capture, NULL, 0);
    xmlOutputBufferClose(output);
    return buffer;
}

/* ---- Streaming XML ----------------------------------------------------------------------------------------------- */

/// Prepares libxml2 (idempotent). Not thread-safe on first use: call it through LibXML2.prepare(), which runs it once.
static inline void digest_xml_initialize(void) {
    xmlInitParser();
}

/// The options of digest's streaming XML parse: errors are recovered from, only the predefined entities are expanded
/// (NOENT with no entity declarations kept), no DTD is loaded, nothing is fetched, and the UTF-8 input's declaration
/// is not obeyed.
static inline int digest_sax_parse_options(void) {
    return XML_PARSE_RECOVER | XML_PARSE_NOENT | XML_PARSE_NONET | XML_PARSE_IGNORE_ENC;
}

/// A parser context that reads a copy of the `size` bytes of UTF-8 at `bytes`, delivering its events to a copy of
/// `handler` with `user_data`; free it with xmlFreeParserCtxt. NULL when out of memory. (libxml2 2.9's static,
/// uncopied buffers are misread once the parser shrinks them: a 20 MB feed came out with its items twice.)
static inline xmlParserCtxtPtr digest_sax_context(
    const xmlSAXHandler *handler, void *user_data, const char *bytes, int size
) {
    xmlParserCtxtPtr context = xmlNewParserCtxt();
    if (context == NULL) return NULL;
    memcpy(context->sax, handler, sizeof(xmlSAXHandler));
    context->userData = user_data;
    xmlCtxtUseOptions(context, digest_sax_parse_options());
    xmlParserInputBufferPtr buffer = xmlParserInputBufferCreateMem(bytes, size, XML_CHAR_ENCODING_UTF8);
    if (buffer == NULL) {
        xmlFreeParserCtxt(context);
        return NULL;
    }
    xmlParserInputPtr input = xmlNewIOInputStream(context, buffer, XML_CHAR_ENCODING_UTF8);
    if (input == NULL) {
        xmlFreeParserInputBuffer(buffer);
        xmlFreeParserCtxt(context);
        return NULL;
    }
    if (inputPush(context, input) < 0) {
        xmlFreeInputStream(input);
        xmlFreeParserCtxt(context);
        return NULL;
    }
    return context;
}

/// The line the parser is reading.
static inline int digest_sax_line(xmlParserCtxtPtr context) {
    return context->input != NULL ? context->input->line : 0;
}

/// Whether `name` lives in the context's dictionary (and so stays valid and unchanged while the context does).
static inline int digest_sax_dict_owns(xmlParserCtxtPtr context, const xmlChar *name) {
    return context->dict != NULL && xmlDictOwns(context->dict, name) == 1;
}

#endif
