import APIWorker
import FormEmbedWorker
import OzziRuntime
import VideoRenderWorker
import VoiceAgentWorker
import WidgetWorker

/// The worker modules compiled into this host, by the names `module = "..."` uses.
enum BuiltinWorkers {
    static var registry: WorkerRegistry {
        var registry = WorkerRegistry()
        registry.register(APIWorker.module, APIWorker.self)
        registry.register(WidgetWorker.module, WidgetWorker.self)
        registry.register(FormEmbedWorker.module, FormEmbedWorker.self)
        registry.register(VoiceAgentWorker.module, VoiceAgentWorker.self)
        registry.register(VideoRenderWorker.module, VideoRenderWorker.self)
        return registry
    }
}
