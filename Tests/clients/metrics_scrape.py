"""Reads a host's /__ozzi/metrics with the Prometheus project's own parser of the text format and prints
what it found as JSON: each family's type, and every sample as "name{label=value,...}" -> value (labels
sorted). A body the parser rejects fails the script, and so does a histogram whose buckets are not
cumulative or whose +Inf bucket differs from its _count.

usage: metrics_scrape.py PORT TOKEN
"""
import json
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def main():
    port, token = sys.argv[1], sys.argv[2]
    request = urllib.request.Request(f"http://127.0.0.1:{port}/__ozzi/metrics", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=20) as response:
        content_type = response.headers.get("Content-Type")
        body = response.read().decode("utf-8")
    types, samples = {}, {}
    for family in text_string_to_metric_families(body):
        types[family.name] = family.type
        buckets = {}
        for sample in family.samples:
            labels = ",".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
            samples[f"{sample.name}{{{labels}}}"] = sample.value
            if sample.name.endswith("_bucket"):
                series = tuple(sorted((k, v) for k, v in sample.labels.items() if k != "le"))
                buckets.setdefault(series, []).append((float(sample.labels["le"]), sample.value))
        for series, counts in buckets.items():
            values = [value for _, value in sorted(counts)]
            if values != sorted(values):
                sys.exit(f"{family.name}{series}: buckets are not cumulative: {counts}")
            labels = ",".join(f"{k}={v}" for k, v in series)
            if values[-1] != samples.get(f"{family.name}_count{{{labels}}}"):
                sys.exit(f"{family.name}{series}: +Inf bucket {values[-1]} is not the count")
    print(json.dumps({"content_type": content_type, "types": types, "samples": samples}))


main()
