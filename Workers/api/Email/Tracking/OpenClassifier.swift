/// Tells opens a person made from those a mail privacy proxy made on its own. Apple Mail Privacy Protection
/// fetches every image of every email, soon after delivery and again later, with the bare user agent
/// `Mozilla/5.0`; Gmail's and Yahoo's image proxies fetch for a person opening the email, but also
/// right after delivery to cache the images; link scanners fetch at once, with no user agent or one that is
/// not a browser's. So MPP's agent is a machine whenever it comes; a proxy, no agent or a non-browser agent
/// is one when it comes within `prefetchWindowMs` of delivery; every other open is a person's.
enum OpenClassifier {
    /// How soon after delivery (or the send, when no delivery was reported yet) a proxy's fetch counts as prefetching.
    static let prefetchWindowMs: Int64 = 10_000

    private static let proxies = ["googleimageproxy", "ggpht.com", "yahoomailproxy"]

    static func isMachine(userAgent: String?, openedMs: Int64, deliveredMs: Int64?) -> Bool {
        let agent = (userAgent ?? "").trimmingPrefixAndSuffixSpaces()
        if agent == "Mozilla/5.0" { return true }
        guard let deliveredMs, openedMs - deliveredMs <= prefetchWindowMs else { return false }
        let lowered = agent.lowercased()
        return agent.isEmpty || proxies.contains { lowered.contains($0) } || !lowered.contains("mozilla")
    }
}
