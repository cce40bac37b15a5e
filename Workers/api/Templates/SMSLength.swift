/// How an SMS body is sent: GSM-7 when every character is in the GSM 03.38 alphabet (extension
/// characters count twice), else UCS-2 (UTF-16 code units); and into how many segments it splits.
struct SMSLength: Encodable, Sendable, Equatable {
    let encoding: String
    let characters: Int
    let segments: Int

    private static let basic: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
    private static let extended: Set<Character> = Set("^{}\\[~]|€\u{0C}")

    init(encoding: String, characters: Int, segments: Int) {
        self.encoding = encoding
        self.characters = characters
        self.segments = segments
    }

    init(_ text: String) {
        var septets = 0
        var gsm = true
        for character in text {
            if Self.basic.contains(character) {
                septets += 1
            } else if Self.extended.contains(character) {
                septets += 2
            } else {
                gsm = false
                break
            }
        }
        if gsm {
            encoding = "GSM-7"
            characters = septets
            segments = septets == 0 ? 0 : septets <= 160 ? 1 : (septets + 152) / 153
        } else {
            let units = text.utf16.count
            encoding = "UCS-2"
            characters = units
            segments = units <= 70 ? 1 : (units + 66) / 67
        }
    }
}
