import Logging

/// Calls a worker's `fetch` and turns every outcome into a response: an `HTTPError` becomes its JSON
/// error, anything else a logged 500 that quotes the request id. Network requests and service-binding
/// calls both go through here.
enum WorkerInvocation {
    static func fetch(_ worker: any Worker, _ request: Request, context: RequestContext) async -> HandledResponse {
        do {
            return HandledResponse(try await worker.fetch(request, context: context), worker: context.worker)
        } catch let error as HTTPError {
            return HandledResponse(error.response, worker: context.worker)
        } catch let error as BackendFailure where error.unavailableBackend != nil {
            context.logger.warning("backend unavailable", metadata: ["error": "\(error)", "method": "\(request.method)", "path": "\(request.path)"])
            return HandledResponse(BackendUnavailable(backend: error.unavailableBackend!).response, worker: context.worker)
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(error)", "method": "\(request.method)", "path": "\(request.path)"])
            let failure = ClientError(
                status: 500, code: "internal_error",
                message: "the request failed; quote request id \(request.id) when reporting it")
            return HandledResponse(failure.response, worker: context.worker)
        }
    }
}

extension Logger {
    /// This logger labelled with a worker's name.
    func with(worker: String) -> Logger {
        var logger = self
        logger[metadataKey: "worker"] = "\(worker)"
        return logger
    }
}
