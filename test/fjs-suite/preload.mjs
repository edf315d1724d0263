// Loaded into every test process of the fast-json-stringify suite (NODE_OPTIONS=--import):
// hands the built serializer compiler to adapter.cjs.
import { compileSerializer, serializerSource, serializerRuntime as runtime } from '../../dist/velox.js'

globalThis[Symbol.for('velox.fjs-suite')] = { compileSerializer, serializerSource, runtime }
