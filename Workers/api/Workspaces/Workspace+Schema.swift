import OzziRuntime

extension Workspace: APIModel {
    static let schema = Schema.object([
        .required("id", Schema.string().example("wsp_01jd3k5v7n0000000000000000")),
        .required("name", Schema.string().example("Acme Support")),
        .required("is_personal", Schema.boolean.described("Every account has one personal workspace, made with it")),
        .required("created_at", .timestamp),
        .required("role", Schema.model(Role.self).described("The caller's role in it")),
    ], closed: true)
}

extension Role: APIModel {
    static let schema = Schema.oneOf(Role.allCases.map(\.rawValue)).described("member < admin < owner")
}

extension Member: APIModel {
    static let schema = Schema.object([
        .required("user_id", Schema.string().example("usr_01jd3k5v7n0000000000000000")),
        .optional("email", Schema.string().nullable.example("ada@example.com")),
        .optional("name", Schema.string().nullable.example("Ada Lovelace")),
        .required("role", .model(Role.self)),
        .required("created_at", Schema.timestamp.described("When they joined")),
    ], closed: true)
}
