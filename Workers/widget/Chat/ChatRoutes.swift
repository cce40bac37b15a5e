import OzziRuntime

extension Router {
    /// The iframe's chat: `POST /api/session` (a visitor session, made when the visitor first sends),
    /// `POST /api/messages`, `GET /api/messages?after=`, `POST /api/identify`, `POST /api/read`,
    /// `POST /api/email` (an address for replies), and the live `GET /ws`. The session token travels in
    /// `Authorization` (and over the socket in its first message), never in a URL.
    mutating func addChatRoutes(_ chat: WidgetChat) {
        post("/api/session") { request, _ in
            try chat.checkSize(request)
            let body = try? JSONValue(jsonBytes: request.body)
            guard case .found(let widget) = try await chat.directory.widget(key: body?["key"]?.stringValue), widget.enabled else {
                throw WidgetError(status: 404, code: "not_found", message: "no enabled widget has this key")
            }
            try chat.checkOrigin(request, widget: widget, required: true)
            try await chat.limit(WidgetChat.sessionsPerNetwork, request.clientNetwork)
            let forwarded: JSONValue = ["identity": body?["identity"] ?? .null]
            return try await chat.createSession(key: widget.publicKey, body: forwarded.jsonBytes)
        }

        post("/api/messages") { request, _ in
            try chat.checkOrigin(request, required: true)
            try chat.checkSize(request)
            let authorization = request.headers["authorization"]
            try await chat.limit(WidgetChat.messagesPerNetwork, request.clientNetwork)
            try await chat.limit(WidgetChat.messagesPerVisitor, Crypto.sha256Hex(authorization ?? ""))
            return try await chat.visitorCall("POST", "/messages", authorization: authorization, body: request.body)
        }

        get("/api/messages") { request, _ in
            try chat.checkOrigin(request, required: false)
            let after = request.queryParameter("after") ?? "0"
            guard !after.isEmpty, after.utf8.count <= 19, after.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                throw WidgetError(status: 422, code: "invalid_field", message: "after: must be a message seq (a whole number)")
            }
            return try await chat.visitorCall("GET", "/messages?after=" + after, authorization: request.headers["authorization"])
        }

        for path in ["/identify", "/read", "/email"] {
            post("/api" + path) { request, _ in
                try chat.checkOrigin(request, required: true)
                try chat.checkSize(request)
                return try await chat.visitorCall("POST", path, authorization: request.headers["authorization"], body: request.body)
            }
        }

        get("/ws") { request, _ in
            try chat.checkOrigin(request, required: true)
            return .webSocket(maxMessageBytes: WidgetChat.maxBodyBytes) { socket in
                try await VisitorSocket(chat: chat, socket: socket).run()
            }
        }
    }
}
