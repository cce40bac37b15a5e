import OzziRuntime

/// The emails of one call for one workspace, as one mbox: each message after a `From ` line, its range
/// in the pack named by its provider id. (Bodies are quoted-printable with a leading `From ` escaped, so
/// no line inside a message can start a new one.)
struct EmailPack {
    let id = Crypto.hex(Crypto.randomBytes(12))
    private(set) var bytes: [UInt8] = []
    private(set) var emails: [(index: Int, providerID: String)] = []
    /// The last From and its address and domain: a campaign's emails share one.
    private var sender: (from: String, address: String, domain: String)?

    mutating func add(_ index: Int, _ email: OutgoingEmail, date: Int64) {
        if sender?.from != email.from {
            let address = MailAddress(parsing: email.from).address
            sender = (email.from, address, address.split(separator: "@").last.map(String.init) ?? "simulator.ozzi.test")
        }
        let (_, from, domain) = sender!
        let message = MIMEMessage(email: email, messageIDDomain: domain, date: date).bytes
        bytes.append(contentsOf: "From \(from.isEmpty ? "MAILER-DAEMON" : from) \(MailDate.asctime(milliseconds: date))\r\n".utf8)
        emails.append((index, "\(id)-\(bytes.count)-\(message.count)"))
        bytes.append(contentsOf: message)
        bytes.append(0x0D)
        bytes.append(0x0A)
    }
}
