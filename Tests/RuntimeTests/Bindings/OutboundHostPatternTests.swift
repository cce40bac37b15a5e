import Testing
@testable import OzziRuntime

@Suite struct OutboundHostPatternTests {
    func allows(_ pattern: String, _ url: String) -> Bool {
        guard let pattern = OutboundHostPattern(pattern), let url = OutboundURL(url) else { return false }
        return pattern.allows(url)
    }

    @Test func exactOriginsAndDefaultPorts() {
        #expect(allows("https://api.twilio.com", "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json"))
        #expect(allows("https://api.twilio.com", "https://API.twilio.com:443/x"))
        #expect(!allows("https://api.twilio.com", "http://api.twilio.com/x"), "scheme must match")
        #expect(!allows("https://api.twilio.com", "https://api.twilio.com:8443/x"), "a missing port means the default")
        #expect(!allows("https://api.twilio.com", "https://evil.com/?https://api.twilio.com"))
        #expect(!allows("https://api.twilio.com", "https://api.twilio.com.evil.com/"))
    }

    @Test func wildcards() {
        #expect(allows("http://127.0.0.1:*", "http://127.0.0.1:8787/x"))
        #expect(allows("https://*.resend.com", "https://api.resend.com/emails"))
        #expect(!allows("https://*.resend.com", "https://resend.com/emails"))
        #expect(allows("*://*:*", "http://anything:1/"))
        #expect(allows("http://[::1]:*", "http://[::1]:9/"))
        #expect(!allows("http://127.0.0.1:*", "http://user@127.0.0.2:80/"))
    }

    @Test func badPatternsAndURLsAreRefused() {
        #expect(OutboundHostPattern("api.twilio.com") == nil)
        #expect(OutboundHostPattern("ftp://x") == nil)
        #expect(OutboundHostPattern("https://a*b.com") == nil)
        #expect(OutboundHostPattern("https://x:port") == nil)
        #expect(OutboundURL("file:///etc/passwd") == nil)
        #expect(OutboundURL("http://:80/") == nil)
    }
}
