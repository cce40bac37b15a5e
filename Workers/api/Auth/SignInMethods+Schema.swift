extension RouteGroup.SignInMethods: APIModel {
    static let schemaName = "SignInMethods"
    static let schema = Schema.object([
        .required("password", Schema.boolean.described("Whether the account has a password")),
        .required("identities", .array(.model(Identity.self))),
    ], closed: true)
}

extension RouteGroup.SignInMethods {
    /// `{"linked": "<method>"}`: a password, or a provider after its callback, now signs in to the account.
    static let linked = Schema.object([
        .required("linked", Schema.string().example("password").described("`password`, or the provider's name")),
    ], closed: true)

    /// `{"authorize_url": ...}`: where to send the browser to sign in at a provider.
    static let authorizeURL = Schema.object([
        .required("authorize_url", Schema.string(format: "uri").example("https://accounts.google.com/o/oauth2/v2/auth?response_type=code&client_id=ozzi")),
    ], closed: true)
}
