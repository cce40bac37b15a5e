import OzziRuntime

/// A widget's visitor: the session its iframe holds a token for, and who they are once a signed
/// identify said so.
struct WidgetVisitor: Codable, SQLRecord, Sendable, Equatable {
    let id: String
    let workspace_id: String
    let widget_id: String
    let contact_id: String?
    let external_user_id: String?
    let name: String?
    let email: String?

    enum CodingKeys: String, SQLColumn { case id, workspace_id, widget_id, contact_id, external_user_id, name, email }
    typealias Columns = CodingKeys
    static let columns = CodingKeys.allCases.map(\.rawValue).joined(separator: ", ")
    /// The columns from `widget_visitors v`.
    static let selection = CodingKeys.allCases.map { "v." + $0.rawValue }.joined(separator: ", ")

    var workspaceID: String { workspace_id }
    var widgetID: String { widget_id }
    var contactID: String? { contact_id }
    var scope: TenantScope { TenantScope(workspaceID: workspace_id) }

    /// The pub/sub topic the widget worker listens on for this visitor's live updates.
    var topic: String { "widget-visitor:" + id }
}
