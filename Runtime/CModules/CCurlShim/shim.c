#include "ccurlshim.h"

CURLcode ozzi_easy_setopt_long(CURL *easy, CURLoption option, long value) { return curl_easy_setopt(easy, option, value); }
CURLcode ozzi_easy_setopt_pointer(CURL *easy, CURLoption option, const void *value) { return curl_easy_setopt(easy, option, value); }
CURLcode ozzi_easy_setopt_data_cb(CURL *easy, CURLoption option, ozzi_curl_data_cb callback) { return curl_easy_setopt(easy, option, callback); }
CURLcode ozzi_easy_getinfo_long(CURL *easy, CURLINFO info, long *value) { return curl_easy_getinfo(easy, info, value); }
CURLcode ozzi_easy_getinfo_pointer(CURL *easy, CURLINFO info, void **value) { return curl_easy_getinfo(easy, info, value); }
CURLMcode ozzi_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value) { return curl_multi_setopt(multi, option, value); }
CURLMcode ozzi_multi_setopt_long(CURLM *multi, CURLMoption option, long value) { return curl_multi_setopt(multi, option, value); }
CURLMcode ozzi_multi_setopt_socket_cb(CURLM *multi, ozzi_curl_socket_cb callback) { return curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, callback); }
CURLMcode ozzi_multi_setopt_timer_cb(CURLM *multi, ozzi_curl_timer_cb callback) { return curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, callback); }
