/* src/dl/xml.h - libxml2's parser (`figtrace check`), opened on first use
 * (see dl.h).
 *
 * Include instead of <libxml/parser.h> and <libxml/tree.h>; call
 * ft__xml_require() before the first libxml2 call of an entry point.
 * FT_XML_SYMBOLS lists every libxml2 function the library calls.  xmlFree
 * is a variable in libxml2 (a pointer to its deallocator; with threads a
 * macro calling __xmlFree()), resolved as such.
 */
#ifndef FT_DL_XML_H
#define FT_DL_XML_H

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "dl/dl.h"

ft_status ft__xml_require(ft_ctx *ctx);

#if FT_LAZY_LIBS
#define FT_XML_SYMBOLS(X) \
  X(xmlDocGetRootElement) \
  X(xmlFreeDoc) \
  X(xmlGetLineNo) \
  X(xmlGetProp) \
  X(xmlInitParser) \
  X(xmlReadMemory)

extern struct ft__xml_fns {
  FT_XML_SYMBOLS(FT__DL_MEMBER)
#ifdef LIBXML_THREAD_ALLOC_ENABLED
  xmlFreeFunc *(*free_fn)(void); /* __xmlFree */
#else
  xmlFreeFunc *free_var; /* &xmlFree */
#endif
} ft__xml;

#ifndef FT_DL_NO_REDIRECT
#define xmlDocGetRootElement (ft__xml.xmlDocGetRootElement)
#define xmlFreeDoc (ft__xml.xmlFreeDoc)
#define xmlGetLineNo (ft__xml.xmlGetLineNo)
#define xmlGetProp (ft__xml.xmlGetProp)
#define xmlInitParser (ft__xml.xmlInitParser)
#define xmlReadMemory (ft__xml.xmlReadMemory)
#undef xmlFree
#ifdef LIBXML_THREAD_ALLOC_ENABLED
#define xmlFree (*ft__xml.free_fn())
#else
#define xmlFree (*ft__xml.free_var)
#endif
#endif /* FT_DL_NO_REDIRECT */
#endif /* FT_LAZY_LIBS */

#endif
