import APIWorker
import FormEmbedWorker
import OzziRuntime
import VideoRenderWorker
import VoiceAgentWorker
import WidgetWorker

/// The worker modules compiled into this host, by the names `module = "..."` uses. A module of its own so
/// that the `ozzi` command and the test harness build workers from one list.
public enum BuiltinWorkers {
    public static var registry: WorkerRegistry {
        var registry = WorkerRegistry()
        registry.register(APIWorker.module, APIWorker.self)
        registry.register(WidgetWorker.module, WidgetWorker.self)
        registry.register(FormEmbedWorker.module, FormEmbedWorker.self)
        registry.register(VoiceAgentWorker.module, VoiceAgentWorker.self)
        registry.register(VideoRenderWorker.module, VideoRenderWorker.self)
        return registry
    }
}
