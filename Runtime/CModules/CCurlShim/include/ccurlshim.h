// Non-variadic wrappers for libcurl's variadic setters, which Swift cannot call directly.
#ifndef CCURLSHIM_H
#define CCURLSHIM_H
#include <curl/curl.h>

typedef size_t (*ozzi_curl_data_cb)(char *data, size_t size, size_t count, void *user);
typedef int (*ozzi_curl_socket_cb)(CURL *easy, curl_socket_t socket, int what, void *user, void *socket_user);
typedef int (*ozzi_curl_timer_cb)(CURLM *multi, long timeout_ms, void *user);
typedef curl_socket_t (*ozzi_curl_opensocket_cb)(void *user, curlsocktype purpose, struct curl_sockaddr *address);

CURLcode ozzi_easy_setopt_long(CURL *easy, CURLoption option, long value);
CURLcode ozzi_easy_setopt_pointer(CURL *easy, CURLoption option, const void *value);
CURLcode ozzi_easy_setopt_data_cb(CURL *easy, CURLoption option, ozzi_curl_data_cb callback);
CURLcode ozzi_easy_setopt_opensocket_cb(CURL *easy, ozzi_curl_opensocket_cb callback);
CURLcode ozzi_easy_getinfo_long(CURL *easy, CURLINFO info, long *value);
CURLcode ozzi_easy_getinfo_pointer(CURL *easy, CURLINFO info, void **value);
CURLcode ozzi_easy_getinfo_off(CURL *easy, CURLINFO info, curl_off_t *value);
CURLMcode ozzi_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value);
CURLMcode ozzi_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
CURLMcode ozzi_multi_setopt_socket_cb(CURLM *multi, ozzi_curl_socket_cb callback);
CURLMcode ozzi_multi_setopt_timer_cb(CURLM *multi, ozzi_curl_timer_cb callback);

// The IP of the address curl is about to connect to: copies 4 (AF_INET) or 16 (AF_INET6) bytes into
// `out` and returns the count; 0 for any other family. (`address->addr` is longer than its declared
// `struct sockaddr` for IPv6, which Swift cannot follow safely.)
int ozzi_curl_sockaddr_ip(const struct curl_sockaddr *address, unsigned char out[16]);
// Opens the socket curl would have opened itself for `address`.
curl_socket_t ozzi_curl_open_socket(const struct curl_sockaddr *address);

#endif
