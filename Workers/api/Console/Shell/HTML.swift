import OzziRuntime

/// Markup whose text was escaped on the way in. In `"<p>\(name)</p>" as HTML` a `String` is escaped and
/// another `HTML` goes in as it is, so a page cannot forget to escape a contact's name: the only way to put
/// unescaped text into a page is to say `HTML(raw:)`.
struct HTML: ExpressibleByStringInterpolation, Sendable, Equatable {
    private(set) var text: String

    init(raw: String) { text = raw }
    init(stringLiteral literal: String) { text = literal }
    init(stringInterpolation: Interpolation) { text = stringInterpolation.text }

    static let empty = HTML(raw: "")

    struct Interpolation: StringInterpolationProtocol {
        var text = ""
        init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity + interpolationCount * 16) }
        mutating func appendLiteral(_ literal: String) { text += literal }
        mutating func appendInterpolation(_ value: String) { text += XMLText.escape(value) }
        mutating func appendInterpolation(_ value: String?) { if let value { text += XMLText.escape(value) } }
        mutating func appendInterpolation(_ value: Int) { text += String(value) }
        mutating func appendInterpolation(_ value: HTML) { text += value.text }
        mutating func appendInterpolation(_ values: [HTML]) { for value in values { text += value.text } }
    }

    /// `then` when `condition` holds, else nothing.
    static func when(_ condition: Bool, _ then: @autoclosure () -> HTML) -> HTML { condition ? then() : .empty }
}
