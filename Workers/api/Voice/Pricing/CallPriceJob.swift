/// Fetch what one ended call cost (`CallPricing.run`).
struct CallPriceJob: CallJob {
    static let kind = "call_price"
    let callID: String
}
