import OzziRuntime

/// A Twilio access token for the Voice SDK in a browser: a JWT signed HS256 with the workspace's Twilio
/// API key secret, whose `cty` says it is Twilio's (`twilio-fpa;v=1`), issued by the API key (`iss`) for
/// the account (`sub`), granting `identity` outgoing calls through the TwiML app and incoming calls.
enum TwilioAccessToken {
    static func mint(accountSid: String, apiKeySid: String, apiKeySecret: String, twimlAppSid: String, identity: String,
                     nowSeconds: Int64, ttlSeconds: Int64) -> String {
        let header: JSONValue = ["alg": "HS256", "typ": "JWT", "cty": "twilio-fpa;v=1"]
        let claims: JSONValue = [
            "jti": .string("\(apiKeySid)-\(nowSeconds)"), "iss": .string(apiKeySid), "sub": .string(accountSid),
            "iat": .number(Double(nowSeconds)), "nbf": .number(Double(nowSeconds)), "exp": .number(Double(nowSeconds + ttlSeconds)),
            "grants": ["identity": .string(identity),
                       "voice": ["incoming": ["allow": true], "outgoing": ["application_sid": .string(twimlAppSid)]]],
        ]
        let signed = Base64URL.encode(header.jsonBytes) + "." + Base64URL.encode(claims.jsonBytes)
        return signed + "." + Base64URL.encode(Crypto.hmacSHA256(key: Array(apiKeySecret.utf8), Array(signed.utf8)))
    }
}
