-- wrk's report hook for `make bench` (bench/bench_server.py): one parseable line per run. Latencies are in
-- microseconds, as wrk keeps them; errors.status counts responses outside 2xx/3xx.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH-RESULT requests=%d duration_us=%d p50_us=%.1f p95_us=%.1f p99_us=%.1f max_us=%.1f status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
