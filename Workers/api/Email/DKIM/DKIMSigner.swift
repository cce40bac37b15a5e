import OzziRuntime

/// Signs outgoing messages for one sending domain (RFC 6376): `a=rsa-sha256`, `c=relaxed/relaxed`, the
/// headers receivers judge a message by (and RFC 8058's unsubscribe headers, which must be signed for
/// one-click unsubscribe to be trusted) in `h=`, the body hash in `bh=`.
/// The key is the domain's, published at `<selector>._domainkey.<domain>` as `v=DKIM1; k=rsa; p=...`.
struct DKIMSigner: Sendable {
    let domain: String
    let selector: String
    let key: RSAKey

    /// Signed when present, in this order. A name listed but absent is left out of `h=` (listing it would
    /// sign its absence, which stops a relay adding one; only the From is signed that way, below).
    static let signedHeaders = [
        "from", "to", "subject", "date", "message-id", "mime-version", "content-type", "reply-to",
        "list-unsubscribe", "list-unsubscribe-post",
    ]

    /// The `.../v=DKIM1; k=rsa; p=...` TXT record that verifies this signer's signatures.
    var dnsRecord: String { "v=DKIM1; k=rsa; p=\(key.publicKeyBase64)" }

    /// `message` (RFC 5322, CRLF line ends) with a `DKIM-Signature` field in front of it.
    /// - Parameter time: seconds since 1970 for `t=`, from the injected clock.
    func sign(_ message: [UInt8], time: Int64) throws(RSAKeyError) -> [UInt8] {
        let (fields, body) = DKIMCanonicalization.split(message)
        let bodyHash = Base64.encode(Crypto.sha256(DKIMCanonicalization.relaxedBody(body)))

        // Each listed name signs its instances from the bottom up (RFC 6376 §5.4.2); From is named once
        // more than it occurs, so a second From added on the way breaks the signature.
        var remaining: [String: [ArraySlice<UInt8>]] = [:]
        for field in fields {
            let name = DKIMCanonicalization.name(of: field)
            if Self.signedHeaders.contains(name) { remaining[name, default: []].append(field) }
        }
        var names = [String]()
        var signedInput = [UInt8]()
        for name in Self.signedHeaders {
            for field in (remaining[name] ?? []).reversed() {
                names.append(name)
                signedInput.append(contentsOf: DKIMCanonicalization.relaxedHeader(field))
            }
        }
        names.append("from")

        // `h=` split after each colon, so a long list can fold there.
        let hTokens = ("h=" + names.joined(separator: ":") + ";").split(separator: ":", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == names.count - 1 ? String($0.element) : $0.element + ":" }
        let unsigned = Self.fold(["v=1;", "a=rsa-sha256;", "c=relaxed/relaxed;", "d=\(domain);", "s=\(selector);", "t=\(time);"]
                                 + hTokens + ["bh=\(bodyHash);", "b="])
        var headerField = Array("DKIM-Signature: \(unsigned)".utf8)
        // The signature covers this field too, `b=` empty and without its CRLF (§3.7).
        signedInput.append(contentsOf: DKIMCanonicalization.relaxedHeader(headerField[...]).dropLast(2))
        let signature = Base64.encode(try key.signSHA256(signedInput))
        // On lines of their own: whitespace in and around the `b=` value is ignored by verifiers.
        var rest = Substring(signature)
        while !rest.isEmpty {
            headerField.append(contentsOf: Array("\r\n\t\(rest.prefix(76))".utf8))
            rest = rest.dropFirst(76)
        }
        return headerField + DKIMCanonicalization.crlf + message
    }

    /// The tokens as one field value, folded (CRLF and a tab) before a token that would pass 78 columns.
    /// A token ending in `;` is followed by a space, one ending in `:` (inside `h=`) by nothing: both are
    /// places where folding whitespace is allowed.
    private static func fold(_ tokens: [String]) -> String {
        var out = ""
        var column = "DKIM-Signature: ".count
        for (index, token) in tokens.enumerated() {
            let separator = index == 0 || tokens[index - 1].hasSuffix(":") ? "" : " "
            if index > 0 && column + separator.count + token.count > 78 {
                out += "\r\n\t"
                column = 1
            } else {
                out += separator
                column += separator.count
            }
            out += token
            column += token.count
        }
        return out
    }
}
