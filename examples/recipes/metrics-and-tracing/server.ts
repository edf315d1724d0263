// `npm run build && node dist/recipes/metrics-and-tracing/server.js` in examples/: spans are
// printed to the console (send them to a collector with @opentelemetry/exporter-trace-otlp-http
// in production); metrics are at 127.0.0.1:3000/metrics.
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { ConsoleSpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { buildApp } from './app.js'

const tracerProvider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new ConsoleSpanExporter())] })
tracerProvider.register()
const app = buildApp({ logger: true, tracerProvider })
await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' })
