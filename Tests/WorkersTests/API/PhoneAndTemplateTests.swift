import Foundation
import OzziRuntime
import Testing
@testable import APIWorker

@Suite struct PhoneNumberTests {
    func normalize(_ text: String, _ country: String = "US") -> String? {
        try? PhoneNumber.normalize(text, defaultCountry: country)
    }

    func reason(_ text: String, _ country: String = "US") -> String? {
        do {
            _ = try PhoneNumber.normalize(text, defaultCountry: country)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func nationalAndInternationalForms() {
        #expect(normalize("(415) 555-0123") == "+14155550123")
        #expect(normalize("1-415-555-0123") == "+14155550123")
        #expect(normalize("+1 415 555 0123") == "+14155550123")
        #expect(normalize("0044 20 7946 0958") == "+442079460958")
        #expect(normalize("020 7946 0958", "GB") == "+442079460958")
        #expect(normalize("07700 900123", "gb") == "+447700900123")
        #expect(normalize("+49 30 1234567") == "+49301234567")
        #expect(normalize("06 12 34 56 78", "FR") == "+33612345678")
    }

    @Test func refusalsSayWhy() {
        #expect(reason("555-0123") == "is too short: 7 digits, numbers in US have 10 digits")
        #expect(reason("call me maybe") == "contains letters; give digits only")
        #expect(reason("415*555*0123") == "contains '*', which is not part of a phone number")
        #expect(reason("+1 415 555 01234") == "has 11 digits after +1; numbers there have 10 digits")
        #expect(reason("(015) 555-0123") == "has an area code starting with 0; North American area codes start with 2-9")
        #expect(reason("+1234567890123456") == "has more than 15 digits, the most a phone number can have")
        #expect(reason("  ") == "is empty")
        #expect(reason("4155550123", "ZZ") == "has no country code; start it with + and the country code")
    }
}

@Suite struct TemplateTextTests {
    func contact(_ custom: JSONValue = [:], first: String = "Ada") -> Contact {
        Contact(id: "con_1", name: "\(first) Lovelace", first_name: first, last_name: "Lovelace", phone: "+14155550123", email: nil, notes: "",
                custom_fields: custom, source: "api", sms_consent: Contact.Consent(status: "unknown", changed_at: nil, method: nil),
                created_at: "", updated_at: "")
    }

    @Test func rendersVariablesDefaultsAndCustomFields() throws {
        let template = try TemplateText("Hi {{first_name|there}}, your {{ custom.plan | basic }} plan renews. Call {{phone}}.")
        #expect(template.render(contact(["plan": "pro"])) == "Hi Ada, your pro plan renews. Call +14155550123.")
        #expect(template.render(contact([:], first: "")) == "Hi there, your basic plan renews. Call +14155550123.")
        #expect(try TemplateText("{{custom.seats}} seats").render(contact(["seats": 5])) == "5 seats")
    }

    @Test func unknownVariablesAreNamed() {
        #expect(throws: TemplateText.Invalid(message:
            "unknown variables: {{frist_name}}, {{plan}}; use email, first_name, last_name, name, phone or custom.<field>")) {
            try TemplateText("Hi {{frist_name}} on {{plan}}")
        }
        #expect(throws: TemplateText.Invalid(message: "a '{{' has no closing '}}'")) { try TemplateText("Hi {{name") }
    }

    @Test func smsLengthFacts() {
        #expect(SMSLength("Hello") == SMSLength(encoding: "GSM-7", characters: 5, segments: 1))
        #expect(SMSLength(String(repeating: "a", count: 160)).segments == 1)
        #expect(SMSLength(String(repeating: "a", count: 161)).segments == 2)
        #expect(SMSLength(String(repeating: "a", count: 306)).segments == 2)
        #expect(SMSLength(String(repeating: "a", count: 307)).segments == 3)
        #expect(SMSLength("price: 5€ [promo]").characters == 20, "€, [ and ] take two septets")
        #expect(SMSLength("Hi 👋") == SMSLength(encoding: "UCS-2", characters: 5, segments: 1))
        #expect(SMSLength(String(repeating: "é", count: 70) + "ü").encoding == "GSM-7")
        #expect(SMSLength(String(repeating: "ж", count: 71)).segments == 2)
        #expect(SMSLength("").segments == 0)
    }
}

@Suite struct CSVChunksTests {
    @Test func recordsCutByChunkBoundariesComeOutWhole() async throws {
        let folder = NSTemporaryDirectory() + "csv-chunks-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bucket = try FileBucket(directory: folder)
        let text = "\u{FEFF}name,phone,notes\r\nAda,+1415,\"line one\nline two, with \"\"quotes\"\"\"\r\n\r\nBen,+1416,plain\nCy,+1417,\"é accents, ü\"\nDee,+1418,last-without-newline"
        let bytes = Array(text.utf8)
        try await bucket.put("f.csv", bytes)
        let whole = Array(CSVReader(bytes)).map { "\($0.line):\($0.fields.joined(separator: "|"))" }
        for size in [1, 2, 3, 7, 16, 1000] {
            var chunks = CSVChunks(bucket: bucket, key: "f.csv", size: bytes.count, chunkBytes: size)
            var records: [String] = []
            while let batch = try await chunks.next() { records += batch.map { "\($0.line):\($0.fields.joined(separator: "|"))" } }
            #expect(records == whole, "chunks of \(size) bytes")
        }
        #expect(whole.count == 6)
        #expect(whole[1] == "2:Ada|+1415|line one\nline two, with \"quotes\"")
        #expect(whole[3] == "5:Ben|+1416|plain", "the quoted line break counts as a file line")
        #expect(try await CSVChunks.lineBreaks(bucket: bucket, key: "f.csv", size: bytes.count) == 6)
    }
}
