/// Phone numbers normalised to E.164 (`+14155550123`), with a default country for national numbers.
///
/// Not libphonenumber: country calling codes, trunk prefixes and national number lengths for the
/// countries in `PhoneNumber.plans`, and E.164's general rules (at most 15 digits) for the rest. Refusals
/// say why, in words a person can act on.
enum PhoneNumber {
    struct Plan {
        let callingCode: String
        /// Digits dropped before the national number when dialled at home ("0" in the UK).
        let trunkPrefix: String?
        /// Allowed lengths of the national significant number.
        let lengths: ClosedRange<Int>
    }

    static let plans: [String: Plan] = [
        "US": Plan(callingCode: "1", trunkPrefix: "1", lengths: 10...10), "CA": Plan(callingCode: "1", trunkPrefix: "1", lengths: 10...10),
        "GB": Plan(callingCode: "44", trunkPrefix: "0", lengths: 9...10), "IE": Plan(callingCode: "353", trunkPrefix: "0", lengths: 7...9),
        "AU": Plan(callingCode: "61", trunkPrefix: "0", lengths: 9...9), "NZ": Plan(callingCode: "64", trunkPrefix: "0", lengths: 8...10),
        "DE": Plan(callingCode: "49", trunkPrefix: "0", lengths: 6...13), "FR": Plan(callingCode: "33", trunkPrefix: "0", lengths: 9...9),
        "ES": Plan(callingCode: "34", trunkPrefix: nil, lengths: 9...9), "IT": Plan(callingCode: "39", trunkPrefix: nil, lengths: 6...11),
        "NL": Plan(callingCode: "31", trunkPrefix: "0", lengths: 9...9), "BE": Plan(callingCode: "32", trunkPrefix: "0", lengths: 8...9),
        "CH": Plan(callingCode: "41", trunkPrefix: "0", lengths: 9...9), "AT": Plan(callingCode: "43", trunkPrefix: "0", lengths: 4...13),
        "SE": Plan(callingCode: "46", trunkPrefix: "0", lengths: 7...9), "NO": Plan(callingCode: "47", trunkPrefix: nil, lengths: 8...8),
        "DK": Plan(callingCode: "45", trunkPrefix: nil, lengths: 8...8), "FI": Plan(callingCode: "358", trunkPrefix: "0", lengths: 5...12),
        "PT": Plan(callingCode: "351", trunkPrefix: nil, lengths: 9...9), "PL": Plan(callingCode: "48", trunkPrefix: nil, lengths: 9...9),
        "MX": Plan(callingCode: "52", trunkPrefix: nil, lengths: 10...10), "BR": Plan(callingCode: "55", trunkPrefix: "0", lengths: 10...11),
        "IN": Plan(callingCode: "91", trunkPrefix: "0", lengths: 10...10), "JP": Plan(callingCode: "81", trunkPrefix: "0", lengths: 9...10),
        "SG": Plan(callingCode: "65", trunkPrefix: nil, lengths: 8...8), "ZA": Plan(callingCode: "27", trunkPrefix: "0", lengths: 9...9),
        "NG": Plan(callingCode: "234", trunkPrefix: "0", lengths: 8...10), "KE": Plan(callingCode: "254", trunkPrefix: "0", lengths: 9...9),
        "PH": Plan(callingCode: "63", trunkPrefix: "0", lengths: 8...10), "AE": Plan(callingCode: "971", trunkPrefix: "0", lengths: 8...9),
    ]

    /// Calling codes by length, for numbers given with `+`; the first that prefixes the digits wins.
    private static let knownCodes: Set<String> = Set(plans.values.map(\.callingCode))

    /// The known calling code that starts `digits` (an international number without its `+`), if any.
    static func callingCode(of digits: some StringProtocol) -> String? {
        (1...3).lazy.map { String(digits.prefix($0)) }.first(where: knownCodes.contains)
    }

    struct Invalid: Error, Equatable {
        let reason: String
    }

    /// `text` as E.164, or why it is not a phone number.
    static func normalize(_ text: String, defaultCountry: String) throws(Invalid) -> String {
        let trimmed = text.trimmingPrefixAndSuffixSpaces()
        guard !trimmed.isEmpty else { throw Invalid(reason: "is empty") }
        var digits = ""
        var international = false
        for (index, character) in trimmed.enumerated() {
            switch character {
            case "0"..."9": digits.append(character)
            case "+" where index == 0: international = true
            case " ", "-", ".", "(", ")", "/", "\u{00A0}": continue
            default:
                throw Invalid(reason: character.isLetter ? "contains letters; give digits only" : "contains '\(character)', which is not part of a phone number")
            }
        }
        if !international, digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        if international {
            guard digits.count >= 8 else { throw Invalid(reason: "is too short for an international number") }
            guard digits.count <= 15 else { throw Invalid(reason: "has more than 15 digits, the most a phone number can have") }
            if let code = callingCode(of: digits),
               let plan = plans.values.first(where: { $0.callingCode == code }) {
                let national = digits.dropFirst(code.count)
                if !plans.values.contains(where: { $0.callingCode == code && $0.lengths.contains(national.count) }) {
                    throw Invalid(reason: "has \(national.count) digits after +\(code); numbers there have \(Self.describe(plan.lengths))")
                }
            }
            guard digits.first != "0" else { throw Invalid(reason: "has no country code after '+'") }
            return "+" + digits
        }
        guard let plan = plans[defaultCountry.uppercased()] else {
            throw Invalid(reason: "has no country code; start it with + and the country code")
        }
        var national = Substring(digits)
        if let trunk = plan.trunkPrefix, national.count > plan.lengths.upperBound || (national.hasPrefix(trunk) && trunk != "1"),
           national.hasPrefix(trunk) {
            national = national.dropFirst(trunk.count)
        }
        if plan.callingCode == "1", national.count == 11, national.hasPrefix("1") { national = national.dropFirst() }
        guard plan.lengths.contains(national.count) else {
            throw Invalid(reason: national.count < plan.lengths.lowerBound
                ? "is too short: \(national.count) digits, numbers in \(defaultCountry.uppercased()) have \(describe(plan.lengths))"
                : "is too long: \(national.count) digits, numbers in \(defaultCountry.uppercased()) have \(describe(plan.lengths))")
        }
        if plan.callingCode == "1" {
            guard let first = national.first, first != "0", first != "1" else {
                throw Invalid(reason: "has an area code starting with \(national.first!); North American area codes start with 2-9")
            }
        }
        return "+" + plan.callingCode + national
    }

    private static func describe(_ lengths: ClosedRange<Int>) -> String {
        lengths.lowerBound == lengths.upperBound ? "\(lengths.lowerBound) digits" : "\(lengths.lowerBound)-\(lengths.upperBound) digits"
    }
}
