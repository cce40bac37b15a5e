import OzziRuntime

/// `/api/v1/email/domains`: a workspace's sending domains, the records to publish, checks by DNS.
extension RouteGroup {
    func addSendingDomainRoutes(_ s: EmailDomainsDomain) {
        let domains = s.domains
        list("", "List sending domains, by name", tag: "email", of: .model(SendingDomain.self), key: \.name) { _, _, principal, page in
            try await domains.store.list(principal.scope, page: page)
        }

        authed("POST", "", "Add a sending domain; answers the DNS records to publish (SPF, DKIM, DMARC, MX; on Resend, the records Resend asks for)", tag: "email",
               body: .json(SendingDomain.input), answers: .json(.model(SendingDomain.self)), success: 201, creates: true) { request, _, principal in
            try principal.require(.admin, to: "add sending domains")
            let body = try JSONBody(request)
            let name = try DomainName.normalize(try body.requiredString("name", max: DomainName.maxLength)).get()
            let provider = try await domains.emailSettings.get(principal.scope).provider
            let region = try body.choice("region", ResendDomainsClient.regions)
            let domain = try await domains.add(principal.scope, name: name, provider: provider, spfInclude: try body.string("spf_include", max: 200),
                                               region: region)
            return .json(domain, status: 201)
        }

        one("One sending domain with its records as last checked", tag: "email", noun: "email domain", answers: .model(SendingDomain.self)) {
            try await domains.store.get($0, id: $1)
        }

        remove("Delete a sending domain (its DKIM key with it; a Resend domain at Resend too)", tag: "email", noun: "email domain") { principal, id in
            try principal.require(.admin, to: "delete sending domains")
            return try await domains.delete(principal.scope, id: id)
        }

        authed("POST", "/:id/verify", "Check the domain's records by DNS now (a Resend domain: Resend verifies it too, and its status is read)", tag: "email",
               answers: .json(.model(SendingDomain.self))) { _, context, principal in
            guard let domain = try await domains.verify(principal.scope, id: context.parameter("id")) else { throw APIError.notFound("email domain") }
            return .json(domain)
        }
    }
}
