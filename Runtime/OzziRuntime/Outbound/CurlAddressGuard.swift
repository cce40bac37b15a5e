import CCurlShim

/// Refuses, at connect time, every socket address `PrivateAddress` refuses: checked on the socket address
/// itself, after DNS and CONNECT_TO, the one place no lookup, pin or odd spelling of a host can get around.
/// Owned by its transfer, which it must not outlive the easy handle of (curl keeps a pointer to it).
final class CurlAddressGuard {
    /// The address refused, and why; curl then tries the next address or fails with CURLE_COULDNT_CONNECT.
    private(set) var refused: (address: String, reason: String)?

    init(_ easy: UnsafeMutableRawPointer) {
        ozzi_easy_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, Unmanaged.passUnretained(self).toOpaque())
        ozzi_easy_setopt_opensocket_cb(easy) { user, _, address in
            Unmanaged<CurlAddressGuard>.fromOpaque(user!).takeUnretainedValue().openSocket(address!)
        }
        // A proxy (from the environment) would connect to the target for us, out of the check's sight.
        ozzi_easy_setopt_pointer(easy, CURLOPT_PROXY, "")
    }

    private func openSocket(_ address: UnsafeMutablePointer<curl_sockaddr>) -> curl_socket_t {
        var bytes = [UInt8](repeating: 0, count: 16)
        let count = Int(ozzi_curl_sockaddr_ip(address, &bytes))
        guard let ip = IPAddress(bytes: Array(bytes.prefix(count))) else {
            refused = ("a socket of family \(address.pointee.family)", "not an IP address")
            return CURL_SOCKET_BAD
        }
        if let refusal = PrivateAddress.classify(ip) {
            refused = (ip.description, refusal.description)
            return CURL_SOCKET_BAD
        }
        return ozzi_curl_open_socket(address)
    }
}
