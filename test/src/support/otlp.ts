import { CallLog, JsonServer, jsonObjectIn } from './stand-in.js';

/** One span as a collector received it, flattened: the exporting process's service name beside it. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Absent for the root of a trace (or a span whose parent lives in another process that sent none). */
  parentSpanId?: string;
  name: string;
  /** OTLP's numbers: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
  /** OTLP's status code: 0 unset, 1 ok, 2 error. */
  status: number;
}

export const SpanKinds = { internal: 1, server: 2, client: 3, producer: 4, consumer: 5 } as const;

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
type OtlpAttributes = { key: string; value: OtlpValue }[] | undefined;
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttributes };
    scopeSpans?: {
      spans?: {
        traceId: string;
        spanId: string;
        parentSpanId?: string;
        name: string;
        kind: number;
        attributes?: OtlpAttributes;
        status?: { code?: number };
      }[];
    }[];
  }[];
}

function attributesOf(list: OtlpAttributes): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const plain =
      value.stringValue ?? value.boolValue ?? value.doubleValue ?? (value.intValue === undefined ? undefined : Number(value.intValue));
    if (plain !== undefined) attributes[key] = plain;
  }
  return attributes;
}

/**
 * An OpenTelemetry collector on loopback taking OTLP/HTTP in JSON (`POST /v1/traces`), as the product's exporter
 * sends it: point `OTEL_EXPORTER_OTLP_ENDPOINT` at `url`. It keeps every span, and the headers of each export.
 */
export class TestOtlpCollector {
  readonly spans = new CallLog<ReceivedSpan>();
  readonly exportHeaders: Record<string, string | string[] | undefined>[] = [];
  private readonly server = new JsonServer((request, body) => {
    if (request.method !== 'POST' || request.url !== '/v1/traces') return { status: 404, body: { message: 'not a traces export' } };
    const payload = jsonObjectIn(request, body) as OtlpExport | undefined;
    if (!payload) return { status: 400, body: { message: 'expected OTLP as JSON' } };
    this.exportHeaders.push(request.headers);
    for (const resourceSpans of payload.resourceSpans ?? []) {
      const service = String(attributesOf(resourceSpans.resource?.attributes)['service.name']);
      for (const { spans = [] } of resourceSpans.scopeSpans ?? []) {
        for (const span of spans) {
          this.spans.add({
            service,
            traceId: span.traceId,
            spanId: span.spanId,
            ...(span.parentSpanId && { parentSpanId: span.parentSpanId }),
            name: span.name,
            kind: span.kind,
            attributes: attributesOf(span.attributes),
            status: span.status?.code ?? 0,
          });
        }
      }
    }
    return { status: 200, body: {} };
  });

  get url(): string {
    return `http://127.0.0.1:${this.server.port}`;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  /** The spans of one trace received so far. */
  trace(traceId: string): ReceivedSpan[] {
    return this.spans.all.filter((span) => span.traceId === traceId);
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
