// Non-variadic wrappers for libcurl's variadic setters, which Swift cannot call directly.
#ifndef CCURLSHIM_H
#define CCURLSHIM_H
#include <curl/curl.h>

typedef size_t (*ozzi_curl_data_cb)(char *data, size_t size, size_t count, void *user);
typedef int (*ozzi_curl_socket_cb)(CURL *easy, curl_socket_t socket, int what, void *user, void *socket_user);
typedef int (*ozzi_curl_timer_cb)(CURLM *multi, long timeout_ms, void *user);

CURLcode ozzi_easy_setopt_long(CURL *easy, CURLoption option, long value);
CURLcode ozzi_easy_setopt_pointer(CURL *easy, CURLoption option, const void *value);
CURLcode ozzi_easy_setopt_data_cb(CURL *easy, CURLoption option, ozzi_curl_data_cb callback);
CURLcode ozzi_easy_getinfo_long(CURL *easy, CURLINFO info, long *value);
CURLcode ozzi_easy_getinfo_pointer(CURL *easy, CURLINFO info, void **value);
CURLMcode ozzi_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value);
CURLMcode ozzi_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
CURLMcode ozzi_multi_setopt_socket_cb(CURLM *multi, ozzi_curl_socket_cb callback);
CURLMcode ozzi_multi_setopt_timer_cb(CURLM *multi, ozzi_curl_timer_cb callback);

#endif
