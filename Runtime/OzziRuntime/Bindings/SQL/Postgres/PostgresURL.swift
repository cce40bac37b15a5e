/// A PostgreSQL connection string as it may be shown: in logs and errors, with the password masked.
enum PostgresURL {
    /// `postgresql://user:secret@host/db` as `postgresql://user:***@host/db`; a `password=` parameter
    /// (URL query or key/value form) as `password=***`.
    static func masked(_ url: String) -> String {
        var text = url
        if let scheme = text.range(of: "://") {
            let rest = text[scheme.upperBound...]
            let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
            if let at = rest[..<authorityEnd].lastIndex(of: "@"),
               let colon = rest[..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        return maskPasswordParameter(text)
    }

    private static func maskPasswordParameter(_ text: String) -> String {
        var result = ""
        var rest = Substring(text)
        while let found = rest.range(of: "password=") {
            let before = found.lowerBound == rest.startIndex ? nil : rest[rest.index(before: found.lowerBound)]
            result += rest[..<found.upperBound]
            rest = rest[found.upperBound...]
            // Only a whole key: `password=`, not `old_password=`.
            guard before == nil || before == "?" || before == "&" || before == " " else { continue }
            let end = rest.firstIndex(where: { $0 == "&" || $0 == " " }) ?? rest.endIndex
            result += "***"
            rest = rest[end...]
        }
        return result + rest
    }
}
