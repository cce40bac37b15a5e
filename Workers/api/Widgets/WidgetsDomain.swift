import OzziRuntime

/// `/api/v1/widgets`: the chat widgets a workspace embeds on its sites; and, for the widget worker through
/// its service binding, widgets by key and their visitors' sessions and messages.
struct WidgetsDomain: APIDomain {
    let widgets: WidgetStore
    let visitors: WidgetVisitorStore
    let conversations: ConversationStore
    let events: WorkspaceEvents
    let clock: any WallClock
    /// Where the widget worker is mounted, for the snippet (`WIDGET_URL`, default PUBLIC_URL/widget).
    let widgetURL: String

    init(_ api: APIEnvironment) {
        widgets = WidgetStore(database: api.database, clock: api.clock, sealingKey: api.sealingKey)
        visitors = WidgetVisitorStore(database: api.database, clock: api.clock)
        conversations = ConversationStore(database: api.database, clock: api.clock)
        events = api.events
        clock = api.clock
        widgetURL = BaseURL.withoutTrailingSlashes(api.env.var("WIDGET_URL", default: api.publicURL + "/widget"))
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/widgets").announcing(events).addWidgetRoutes(self)
        v1.group("/internal/widgets").announcing(events).addWidgetServiceRoutes(self)
        v1.group("/internal/widget-visitor").announcing(events).addWidgetVisitorRoutes(self)
    }

    var publishes: [String] { ["widget.created", "widget.updated", "widget.secret_rotated", "widget.deleted"] }

    /// A visitor's identity checked against the widget's secret now: the identity, or why it was refused.
    func verify(_ value: JSONValue, widget: Widget) -> Result<WidgetIdentity, WidgetIdentity.Refusal> {
        guard let secret = widgets.identitySecret(widget) else { return .failure(.badSignature) }
        return WidgetIdentity.read(value).flatMap { $0.verify(secret: secret, now: clock.milliseconds / 1000) }
    }
}
