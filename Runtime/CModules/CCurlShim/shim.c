#include "ccurlshim.h"
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

CURLcode ozzi_easy_setopt_long(CURL *easy, CURLoption option, long value) { return curl_easy_setopt(easy, option, value); }
CURLcode ozzi_easy_setopt_pointer(CURL *easy, CURLoption option, const void *value) { return curl_easy_setopt(easy, option, value); }
CURLcode ozzi_easy_setopt_data_cb(CURL *easy, CURLoption option, ozzi_curl_data_cb callback) { return curl_easy_setopt(easy, option, callback); }
CURLcode ozzi_easy_setopt_opensocket_cb(CURL *easy, ozzi_curl_opensocket_cb callback) { return curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, callback); }
CURLcode ozzi_easy_getinfo_long(CURL *easy, CURLINFO info, long *value) { return curl_easy_getinfo(easy, info, value); }
CURLcode ozzi_easy_getinfo_pointer(CURL *easy, CURLINFO info, void **value) { return curl_easy_getinfo(easy, info, value); }
CURLcode ozzi_easy_getinfo_off(CURL *easy, CURLINFO info, curl_off_t *value) { return curl_easy_getinfo(easy, info, value); }
CURLMcode ozzi_multi_setopt_pointer(CURLM *multi, CURLMoption option, void *value) { return curl_multi_setopt(multi, option, value); }
CURLMcode ozzi_multi_setopt_long(CURLM *multi, CURLMoption option, long value) { return curl_multi_setopt(multi, option, value); }
CURLMcode ozzi_multi_setopt_socket_cb(CURLM *multi, ozzi_curl_socket_cb callback) { return curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, callback); }
CURLMcode ozzi_multi_setopt_timer_cb(CURLM *multi, ozzi_curl_timer_cb callback) { return curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, callback); }

int ozzi_curl_sockaddr_ip(const struct curl_sockaddr *address, unsigned char out[16]) {
    if (address->family == AF_INET && address->addrlen >= sizeof(struct sockaddr_in)) {
        memcpy(out, &((const struct sockaddr_in *)&address->addr)->sin_addr, 4);
        return 4;
    }
    if (address->family == AF_INET6 && address->addrlen >= sizeof(struct sockaddr_in6)) {
        memcpy(out, &((const struct sockaddr_in6 *)&address->addr)->sin6_addr, 16);
        return 16;
    }
    return 0;
}

curl_socket_t ozzi_curl_open_socket(const struct curl_sockaddr *address) {
    /* Close-on-exec: a program the host runs (ffmpeg, a command) must not hold a provider's connection open. */
    return socket(address->family, address->socktype | SOCK_CLOEXEC, address->protocol);
}
