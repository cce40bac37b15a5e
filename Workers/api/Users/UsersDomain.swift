/// `/api/v1/me`: who the caller is.
struct UsersDomain: APIDomain {
    init(_ api: APIEnvironment) {}

    func routes(_ v1: RouteGroup) {
        v1.group("/me").addMeRoutes()
    }
}
