// A real Prometheus 2.42 for tests: cAdvisor-like history written as OpenMetrics, imported with promtool,
// served by /usr/bin/prometheus on loopback, optionally behind a proxy that injects faults and records requests.
// See prometheus-harness.test.ts for each piece at work and for the PromQL behaviour it pins down.
export { openMetrics } from './openmetrics';
export type { MetricFamily, MetricType, Point, SeriesSamples } from './openmetrics';
export { cpuCounter, memoryGauge, withLabels, DEFAULT_INSTANCE } from './cadvisor';
export type { ContainerSeriesLabels, MemoryMetric, Sampling } from './cadvisor';
export { PrometheusServer } from './server';
export type { PrometheusServerOptions } from './server';
export { FaultyProxy, basicAuth, bearerAuth } from './proxy';
export type { FaultScope, ProxyMode, RecordedRequest } from './proxy';
export { PROMETHEUS_ERRORS, PrometheusApiError } from './api';
export type { InstantQueryData, PrometheusErrorBody, PrometheusErrorReply, VectorEntry } from './api';
export { DAY, HOUR, MINUTE, utc } from './time';
