import OzziRuntime

extension RouteGroup.Me: APIModel {
    static let schema = Schema.object([
        .required("user", .model(User.self)),
        .required("workspace", .model(Workspace.self)),
        .required("credential", .oneOf(RouteGroup.Me.Credential.allCases.map(\.rawValue))),
        .optional("api_key_id", Schema.string().nullable.example("key_01jd3k5v7n0000000000000000").described("Set when the credential is an API key")),
    ], closed: true)
}
