import OzziRuntime

/// `/api/v1/widgets`: create (the answer holds the identity secret once), list, read, change, disable,
/// rotate the secret, delete. Changes need an admin: they decide which sites may show the workspace's chat.
extension RouteGroup {
    func addWidgetRoutes(_ s: WidgetsDomain) {
        authed("POST", "", "Create a widget; the answer holds its identity secret once", tag: "widgets",
               body: .json(Widget.Answer.body(creating: true)), answers: .json(.model(Widget.Answer.self)), success: 201, creates: true) { request, _, principal in
            try principal.require(.admin, to: "manage widgets")
            let body = try JSONBody(request)
            let (widget, secret) = try await s.widgets.create(principal.scope, name: try body.requiredString("name", max: 100), origins: try body.origins()!,
                                                              appearance: try WidgetAppearance().changed(by: body.fields["appearance"]))
            return .json(widget.answer(widgetURL: s.widgetURL, identitySecret: secret), status: 201)
        }

        list("", "The workspace's widgets, oldest first", tag: "widgets", of: .model(Widget.Answer.self), key: \.id,
             item: { [widgetURL = s.widgetURL] in $0.answer(widgetURL: widgetURL) }) { _, _, principal, page in
            try await s.widgets.list(principal.scope, page: page)
        }

        one("One widget", tag: "widgets", noun: "widget", answers: .model(Widget.Answer.self),
            item: { [widgetURL = s.widgetURL] in $0.answer(widgetURL: widgetURL) }) { try await s.widgets.get($0, id: $1) }

        authed("PATCH", "/:id", "Change a widget's name, origins or appearance, or disable it (enabled: false)", tag: "widgets",
               body: .json(Widget.Answer.body(creating: false)), answers: .json(.model(Widget.Answer.self))) { request, context, principal in
            try principal.require(.admin, to: "manage widgets")
            let id = context.parameter("id")
            guard let current = try await s.widgets.get(principal.scope, id: id) else { throw APIError.notFound("widget") }
            let body = try JSONBody(request)
            let name = try body.string("name", max: 100)
            if name?.isEmpty == true { throw APIError.invalidField("name", "must not be empty") }
            var appearance: WidgetAppearance?
            if let given = body.fields["appearance"], given != .null { appearance = try current.appearance.changed(by: given) }
            guard let widget = try await s.widgets.update(principal.scope, id: id, name: name, origins: try body.origins(), appearance: appearance,
                                                          enabled: try body.bool("enabled")) else { throw APIError.notFound("widget") }
            return .json(widget.answer(widgetURL: s.widgetURL))
        }

        authed("POST", "/:id/rotate-secret", "Replace the identity secret; the answer holds the new one once", tag: "widgets",
               answers: .json(.model(Widget.Answer.self))) { _, context, principal in
            try principal.require(.admin, to: "manage widgets")
            guard let (widget, secret) = try await s.widgets.rotateSecret(principal.scope, id: context.parameter("id")) else {
                throw APIError.notFound("widget")
            }
            return .json(widget.answer(widgetURL: s.widgetURL, identitySecret: secret))
        }

        remove("Delete a widget; pages that embed it show nothing", tag: "widgets", noun: "widget") { principal, id in
            try principal.require(.admin, to: "manage widgets")
            return try await s.widgets.delete(principal.scope, id: id)
        }
    }
}
