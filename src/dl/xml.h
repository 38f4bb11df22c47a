/* src/dl/xml.h - libxml2 (its parser and its text writer), opened on
 * first use (see dl.h).
 *
 * Include instead of <libxml/parser.h>, <libxml/tree.h> and
 * <libxml/xmlwriter.h>; call
 * ft__xml_require() before the first libxml2 call of an entry point.
 * FT_XML_SYMBOLS lists every libxml2 function the library calls.  xmlFree
 * is a variable in libxml2 (a pointer to its deallocator; with threads a
 * macro calling __xmlFree()), resolved as such; so are the error handler
 * globals xmlGenericError, xmlStructuredError and their contexts (with
 * threads, macros calling __xmlGenericError() and so on).
 */
#ifndef FT_DL_XML_H
#define FT_DL_XML_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlwriter.h>

#include "dl/dl.h"

ft_status ft__xml_require(ft_ctx *ctx);

#if FT_LAZY_LIBS
#define FT_XML_SYMBOLS(X) \
  X(xmlDocGetRootElement) \
  X(xmlFreeDoc) \
  X(xmlGetLineNo) \
  X(xmlGetProp) \
  X(xmlInitParser) \
  X(xmlReadMemory) \
  X(xmlOutputBufferCreateIO) \
  X(xmlOutputBufferClose) \
  X(xmlNewTextWriter) \
  X(xmlFreeTextWriter) \
  X(xmlTextWriterSetIndent) \
  X(xmlTextWriterSetIndentString) \
  X(xmlTextWriterStartDocument) \
  X(xmlTextWriterEndDocument) \
  X(xmlTextWriterStartElement) \
  X(xmlTextWriterEndElement) \
  X(xmlTextWriterWriteAttribute) \
  X(xmlTextWriterWriteString) \
  X(xmlTextWriterFlush) \
  X(xmlSetGenericErrorFunc) \
  X(xmlSetStructuredErrorFunc)

/* The error handler globals: functions returning their address with
 * threads, plain variables without. */
#ifdef LIBXML_THREAD_ENABLED
#define FT_XML_GLOBALS(X) \
  X(__xmlGenericError) \
  X(__xmlGenericErrorContext) \
  X(__xmlStructuredError) \
  X(__xmlStructuredErrorContext)
#else
#define FT_XML_GLOBALS(X)
#endif

extern struct ft__xml_fns {
  FT_XML_SYMBOLS(FT__DL_MEMBER)
  FT_XML_GLOBALS(FT__DL_MEMBER)
#ifndef LIBXML_THREAD_ENABLED
  xmlGenericErrorFunc *generic_var;        /* &xmlGenericError */
  void **generic_ctx_var;                  /* &xmlGenericErrorContext */
  xmlStructuredErrorFunc *structured_var;  /* &xmlStructuredError */
  void **structured_ctx_var;               /* &xmlStructuredErrorContext */
#endif
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
#define xmlOutputBufferCreateIO (ft__xml.xmlOutputBufferCreateIO)
#define xmlOutputBufferClose (ft__xml.xmlOutputBufferClose)
#define xmlNewTextWriter (ft__xml.xmlNewTextWriter)
#define xmlFreeTextWriter (ft__xml.xmlFreeTextWriter)
#define xmlTextWriterSetIndent (ft__xml.xmlTextWriterSetIndent)
#define xmlTextWriterSetIndentString (ft__xml.xmlTextWriterSetIndentString)
#define xmlTextWriterStartDocument (ft__xml.xmlTextWriterStartDocument)
#define xmlTextWriterEndDocument (ft__xml.xmlTextWriterEndDocument)
#define xmlTextWriterStartElement (ft__xml.xmlTextWriterStartElement)
#define xmlTextWriterEndElement (ft__xml.xmlTextWriterEndElement)
#define xmlTextWriterWriteAttribute (ft__xml.xmlTextWriterWriteAttribute)
#define xmlTextWriterWriteString (ft__xml.xmlTextWriterWriteString)
#define xmlTextWriterFlush (ft__xml.xmlTextWriterFlush)
#define xmlSetGenericErrorFunc (ft__xml.xmlSetGenericErrorFunc)
#define xmlSetStructuredErrorFunc (ft__xml.xmlSetStructuredErrorFunc)
#ifdef LIBXML_THREAD_ENABLED
#define __xmlGenericError (ft__xml.__xmlGenericError)
#define __xmlGenericErrorContext (ft__xml.__xmlGenericErrorContext)
#define __xmlStructuredError (ft__xml.__xmlStructuredError)
#define __xmlStructuredErrorContext (ft__xml.__xmlStructuredErrorContext)
#else
#undef xmlGenericError
#undef xmlGenericErrorContext
#undef xmlStructuredError
#undef xmlStructuredErrorContext
#define xmlGenericError (*ft__xml.generic_var)
#define xmlGenericErrorContext (*ft__xml.generic_ctx_var)
#define xmlStructuredError (*ft__xml.structured_var)
#define xmlStructuredErrorContext (*ft__xml.structured_ctx_var)
#endif
#undef xmlFree
#ifdef LIBXML_THREAD_ALLOC_ENABLED
#define xmlFree (*ft__xml.free_fn())
#else
#define xmlFree (*ft__xml.free_var)
#endif
#endif /* FT_DL_NO_REDIRECT */
#endif /* FT_LAZY_LIBS */

#endif
