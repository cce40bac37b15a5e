/// A sending domain's name as a workspace may add it: lowercase ASCII host names (internationalized ones
/// in their `xn--` form), at least two labels, short enough that `<selector>._domainkey.` still fits.
enum DomainName {
    static let maxLength = 200
    /// What `normalize` accepts, as the schema states it (a little stricter: the last label starts with a
    /// letter where `normalize` asks for one anywhere in it; no blanks around the name).
    static let pattern = Pattern(#"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?$"#,
                                 mismatch: "a domain name such as example.com: labels of letters, digits and inner hyphens (internationalized names in their xn-- form)")

    /// The name normalized (lowercased, without a trailing dot), or why it cannot be a sending domain.
    static func normalize(_ text: String) -> Result<String, APIError> {
        var name = String(text.trimmingPrefixAndSuffixSpaces()).lowercased()
        if name.hasSuffix(".") { name.removeLast() }
        guard name.unicodeScalars.allSatisfy(\.isASCII) else {
            return .failure(.invalidField("name", "write an internationalized domain in its punycode (xn--) form"))
        }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard !name.isEmpty, name.count <= maxLength, labels.count >= 2 else {
            return .failure(.invalidField("name", "a domain name such as example.com (at most \(maxLength) characters)"))
        }
        for label in labels {
            guard (1...63).contains(label.count), label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }),
                  label.first != "-", label.last != "-" else {
                return .failure(.invalidField("name", "'\(label)' is not a host name label (letters, digits and inner hyphens, 1 to 63 of them)"))
            }
        }
        guard labels.last!.contains(where: \.isLetter) else { return .failure(.invalidField("name", "an IP address is not a domain")) }
        return .success(name)
    }
}
