/// A configured base URL (`PUBLIC_URL`, a provider's API base) as paths are appended to it.
public enum BaseURL {
    /// `https://example.com/voice/` as `https://example.com/voice`: `base + "/path"` has one slash.
    public static func withoutTrailingSlashes(_ url: String) -> String {
        String(url.reversed().drop { $0 == "/" }.reversed())
    }
}
