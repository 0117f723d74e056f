#ifndef DG_CCURL_SHIM_H
#define DG_CCURL_SHIM_H

/* Typed, non-variadic wrappers around libcurl's variadic calls, which Swift cannot import.
   Only the Swift module `Curl` includes this header. */

#include <curl/curl.h>

/* The signature shared by CURLOPT_READFUNCTION, CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION. */
typedef size_t (*dg_data_callback)(char *buffer, size_t size, size_t count, void *userdata);

/* The signature of CURLOPT_DEBUGFUNCTION. */
typedef int (*dg_debug_callback)(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata);

static inline CURLcode dg_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dg_easy_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dg_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dg_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode dg_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/* For options that read (and copy) caller bytes, such as CURLOPT_COPYPOSTFIELDS after CURLOPT_POSTFIELDSIZE_LARGE. */
static inline CURLcode dg_easy_setopt_bytes(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

/* CURLOPT_MIMEPOST: a multipart/form-data body built with curl_mime_*; NULL detaches it. */
static inline CURLcode dg_easy_setopt_mime(CURL *handle, curl_mime *mime) {
    return curl_easy_setopt(handle, CURLOPT_MIMEPOST, mime);
}

static inline CURLcode dg_easy_setopt_read_callback(CURL *handle, dg_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_READFUNCTION, callback);
}

static inline CURLcode dg_easy_setopt_write_callback(CURL *handle, dg_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode dg_easy_setopt_header_callback(CURL *handle, dg_data_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, callback);
}

static inline CURLcode dg_easy_setopt_debug_callback(CURL *handle, dg_debug_callback callback) {
    return curl_easy_setopt(handle, CURLOPT_DEBUGFUNCTION, callback);
}

static inline CURLcode dg_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode dg_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode dg_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode dg_easy_getinfo_off(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/* Lets a refused recipient not abort the transaction. libcurl 7.88 spells the option with three Ls;
   8.2 added the corrected name (same value, 290). */
static inline CURLcode dg_mail_rcpt_allowfails(CURL *handle, long enabled) {
#if LIBCURL_VERSION_NUM >= 0x080200
    return curl_easy_setopt(handle, CURLOPT_MAIL_RCPT_ALLOWFAILS, enabled);
#else
    return curl_easy_setopt(handle, CURLOPT_MAIL_RCPT_ALLLOWFAILS, enabled);
#endif
}

#endif
