import Testing
@testable import OzziRuntime

@Suite struct PrometheusTextTests {
    @Test func labelValuesAreEscapedAsTheFormatSays() {
        var text = PrometheusText()
        text.family("x_total", .counter, help: "a \\ help\nline")
        text.sample("x_total", [("path", "a\"b\\c\nd")], UInt64(3))
        #expect(text.text == "# HELP x_total a \\\\ help\\nline\n# TYPE x_total counter\nx_total{path=\"a\\\"b\\\\c\\nd\"} 3\n")
    }

    @Test func histogramBucketsAreCumulativeAndEndAtInfinity() {
        let histogram = MetricHistogram(bounds: [0.1, 1])
        histogram.observe(0.05)
        histogram.observe(0.1)  // on a bound: counted in it (le = less or equal)
        histogram.observe(0.5)
        histogram.observe(7)
        var text = PrometheusText()
        text.family("t_seconds", .histogram, help: "t")
        text.histogram("t_seconds", [("w", "a")], histogram)
        let lines = text.text.split(separator: "\n").dropFirst(2)
        #expect(Array(lines) == [
            #"t_seconds_bucket{w="a",le="0.1"} 2"#, #"t_seconds_bucket{w="a",le="1"} 3"#, #"t_seconds_bucket{w="a",le="+Inf"} 4"#,
            #"t_seconds_sum{w="a"} 7.65"#, #"t_seconds_count{w="a"} 4"#,
        ])
    }

    @Test func aWorkersSeriesCarryItsNameAndAreMadeOnce() async {
        let registry = MetricsRegistry()
        let metrics = WorkerMetrics(registry: registry, worker: "api")
        metrics.counter("sms_deliveries_total", labels: ["result": "accepted"]).increment()
        metrics.counter("sms_deliveries_total", labels: ["result": "accepted"]).increment(by: 2)
        metrics.counter("sms_deliveries_total", labels: ["result": "permanent"]).increment()
        metrics.gauge("inflight").set(-2)
        let text = await registry.exposition()
        #expect(text.contains(#"sms_deliveries_total{result="accepted",worker="api"} 3"#))
        #expect(text.contains(#"sms_deliveries_total{result="permanent",worker="api"} 1"#))
        #expect(text.contains("# TYPE sms_deliveries_total counter"))
        #expect(text.contains(#"inflight{worker="api"} -2"#))
        #expect(text.components(separatedBy: "# TYPE sms_deliveries_total").count == 2, "one family, however many series")
    }

    @Test func namesAreCheckedByTheFormatsGrammar() {
        #expect(PrometheusText.isValidName("ozzi:http_requests_total"))
        #expect(!PrometheusText.isValidName("2xx"))
        #expect(!PrometheusText.isValidName("a-b"))
        #expect(PrometheusText.isValidLabelName("route"))
        #expect(!PrometheusText.isValidLabelName("__name__"))
    }
}
