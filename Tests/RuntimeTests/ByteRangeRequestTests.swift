import OzziRuntime
import Testing

/// `Range` headers read as RFC 9110 §14 reads them: one range served, past the end refused, anything else
/// (several ranges, another unit, nonsense) answered with the whole body.
@Suite struct ByteRangeRequestTests {
    @Test(arguments: [
        ("bytes=0-99", 1_000, ByteRangeRequest.partial(offset: 0, length: 100)),
        ("bytes=990-", 1_000, .partial(offset: 990, length: 10)),
        ("bytes=990-5000", 1_000, .partial(offset: 990, length: 10)),
        ("bytes=-16", 1_000, .partial(offset: 984, length: 16)),
        ("bytes=-5000", 1_000, .partial(offset: 0, length: 1_000)),
        ("bytes=-99999999999999999999999", 1_000, .partial(offset: 0, length: 1_000)),
        (" Bytes = 5 - 9 ", 1_000, .partial(offset: 5, length: 5)),
        ("bytes=999-999", 1_000, .partial(offset: 999, length: 1)),
        ("bytes=1000-", 1_000, .unsatisfiable),
        ("bytes=99999999999999999999999-", 1_000, .unsatisfiable),
        ("bytes=-0", 1_000, .unsatisfiable),
        ("bytes=0-", 0, .unsatisfiable),
        ("bytes=5-2", 1_000, .whole),
        ("bytes=0-1,5-9", 1_000, .whole),
        ("items=0-9", 1_000, .whole),
        ("bytes=a-b", 1_000, .whole),
        ("bytes=-", 1_000, .whole),
        ("bytes=", 1_000, .whole),
        ("nonsense", 1_000, .whole),
    ] as [(String, Int, ByteRangeRequest)])
    func rangesAreReadAgainstTheSize(header: String, size: Int, expected: ByteRangeRequest) {
        #expect(ByteRangeRequest(header: header, size: size) == expected)
    }

    @Test func noHeaderIsTheWholeBody() {
        #expect(ByteRangeRequest(header: nil, size: 10) == .whole)
    }

    @Test func contentRangeNamesTheBytesSent() {
        #expect(ByteRangeRequest.partial(offset: 0, length: 100).contentRange(size: 1_000) == "bytes 0-99/1000")
        #expect(ByteRangeRequest.unsatisfiable.contentRange(size: 1_000) == "bytes */1000")
        #expect(ByteRangeRequest.whole.contentRange(size: 1_000) == nil)
    }
}
