/// Twilio's `X-Twilio-Signature`: base64(HMAC-SHA1(auth token, URL + each POST parameter's key and
/// value, sorted by key, a repeated key's values sorted)). JSON bodies sign the URL alone and carry
/// `bodySHA256` in its query.
public enum TwilioSignature {
    public static func sign(url: String, parameters: [(String, String)], authToken: String) -> String {
        var text = url
        let sorted = parameters.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8)
            || ($0.0 == $1.0 && $0.1.utf8.lexicographicallyPrecedes($1.1.utf8)) }
        for (key, value) in sorted { text += key + value }
        return Base64.encode(Crypto.hmacSHA1(key: Array(authToken.utf8), Array(text.utf8)))
    }

    /// Checks a form POST's signature; the URL is tried with and without its default port, as Twilio
    /// signs whichever it was given.
    public static func isValid(_ signature: String, url: String, parameters: [(String, String)], authToken: String) -> Bool {
        let given = Array(signature.utf8)
        return urlVariants(url).contains { variant in
            Crypto.constantTimeEquals(Array(sign(url: variant, parameters: parameters, authToken: authToken).utf8), given)
        }
    }

    /// Checks a JSON POST: the URL's signature, and its `bodySHA256` against the raw body.
    public static func isValidJSON(_ signature: String, url: String, body: [UInt8], authToken: String) -> Bool {
        guard let query = url.split(separator: "?", maxSplits: 1).dropFirst().first,
              let hash = query.split(separator: "&").first(where: { $0.hasPrefix("bodySHA256=") })?.dropFirst(11),
              Crypto.constantTimeEquals(Array(hash.lowercased().utf8), Array(Crypto.hex(Crypto.sha256(body)).utf8)) else { return false }
        return isValid(signature, url: url, parameters: [], authToken: authToken)
    }

    /// The URL as given, and with its scheme's default port added or removed.
    public static func urlVariants(_ url: String) -> [String] {
        guard let schemeEnd = url.range(of: "://") else { return [url] }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let defaultPort = scheme == "https" ? "443" : scheme == "http" ? "80" : nil
        guard let defaultPort else { return [url] }
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<authorityEnd], tail = rest[authorityEnd...]
        let prefix = url[..<schemeEnd.upperBound]
        if authority.hasSuffix(":" + defaultPort) {
            return [url, String(prefix + authority.dropLast(defaultPort.count + 1) + tail)]
        }
        if !authority.contains(":") || authority.hasSuffix("]") {
            return [url, String(prefix + authority + ":" + defaultPort + tail)]
        }
        return [url]
    }
}
