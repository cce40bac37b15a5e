/// `/api/v1/templates`: message templates with `{{placeholders}}`, previewed against a contact.
struct TemplatesDomain: APIDomain {
    let templates: TemplateStore
    let contacts: ContactStore

    init(_ api: APIEnvironment) {
        templates = TemplateStore(database: api.database, clock: api.clock)
        contacts = ContactStore(database: api.database, clock: api.clock)
    }

    func routes(_ v1: RouteGroup) {
        v1.group("/templates").addTemplateRoutes(self)
    }
}
