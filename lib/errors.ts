/**
 * The single table of error codes.
 *
 * Errors that Fastify also raises keep Fastify's `FST_ERR_*` code, message and
 * status, so clients and plugins that look for them keep working. Errors only
 * Velox has are `VLX_ERR_<AREA>_<CONDITION>`. `docs/errors.md` lists every code;
 * `test/errors.test.ts` keeps the two in step. Never reuse a retired code.
 */
import { format } from 'node:util'

type ErrorBase = ErrorConstructor | TypeErrorConstructor | RangeErrorConstructor | URIErrorConstructor

interface ErrorSpec {
  message: string
  statusCode: number
  base?: ErrorBase
}

/** An error raised by Velox: every one carries a stable `code` and an HTTP `statusCode`. */
export interface VeloxError extends Error {
  code: string
  statusCode: number
  cause?: unknown
}

export interface VeloxErrorConstructor {
  new (...args: unknown[]): VeloxError
  (...args: unknown[]): VeloxError
  readonly prototype: VeloxError
}

const table = {
  // General
  FST_ERR_NOT_FOUND: { message: 'Not Found', statusCode: 404 },
  FST_ERR_OPTIONS_NOT_OBJ: { message: 'Options must be an object', statusCode: 500, base: TypeError },
  FST_ERR_QSP_NOT_FN: { message: "querystringParser option should be a function, instead got '%s'", statusCode: 500, base: TypeError },
  FST_ERR_SCHEMA_CONTROLLER_BUCKET_OPT_NOT_FN: { message: "schemaController.bucket option should be a function, instead got '%s'", statusCode: 500, base: TypeError },
  FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN: { message: "schemaErrorFormatter option should be a non async function. Instead got '%s'.", statusCode: 500, base: TypeError },
  FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_OBJ: { message: "ajv.customOptions option should be an object, instead got '%s'", statusCode: 500, base: TypeError },
  FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_ARR: { message: "ajv.plugins option should be an array, instead got '%s'", statusCode: 500, base: TypeError },
  FST_ERR_VALIDATION: { message: '%s', statusCode: 400 },
  FST_ERR_LISTEN_OPTIONS_INVALID: { message: "Invalid listen options: '%s'", statusCode: 500, base: TypeError },
  FST_ERR_ERROR_HANDLER_NOT_FN: { message: 'Error Handler must be a function', statusCode: 500, base: TypeError },
  FST_ERR_ERROR_HANDLER_ALREADY_SET: { message: "Error Handler already set in this scope. Set 'allowErrorHandlerOverride: true' to allow overriding.", statusCode: 500, base: TypeError },
  FST_ERR_INIT_OPTS_INVALID: { message: "Invalid initialization options: '%s'", statusCode: 500 },
  FST_ERR_MISSING_MIDDLEWARE: { message: 'You must register a plugin for handling middlewares, visit fastify.dev/docs/latest/Reference/Middleware/ for more info.', statusCode: 500 },

  // Content-type parsers and bodies
  FST_ERR_CTP_ALREADY_PRESENT: { message: "Content type parser '%s' already present.", statusCode: 500 },
  FST_ERR_CTP_INVALID_TYPE: { message: 'The content type should be a string or a RegExp', statusCode: 500, base: TypeError },
  FST_ERR_CTP_EMPTY_TYPE: { message: 'The content type cannot be an empty string', statusCode: 500, base: TypeError },
  FST_ERR_CTP_INVALID_HANDLER: { message: 'The content type handler should be a function', statusCode: 500, base: TypeError },
  FST_ERR_CTP_INVALID_PARSE_TYPE: { message: "The body parser can only parse your data as 'string' or 'buffer', you asked '%s' which is not supported.", statusCode: 500, base: TypeError },
  FST_ERR_CTP_BODY_TOO_LARGE: { message: 'Request body is too large', statusCode: 413, base: RangeError },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { message: 'Unsupported Media Type', statusCode: 415 },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { message: 'Request body size did not match Content-Length', statusCode: 400, base: RangeError },
  FST_ERR_CTP_EMPTY_JSON_BODY: { message: "Body cannot be empty when content-type is set to 'application/json'", statusCode: 400 },
  FST_ERR_CTP_INVALID_JSON_BODY: { message: "Body is not valid JSON but content-type is set to 'application/json'", statusCode: 400 },
  FST_ERR_CTP_INSTANCE_ALREADY_STARTED: { message: 'Cannot call "%s" when fastify instance is already started!', statusCode: 400 },

  // Decorators
  FST_ERR_DEC_ALREADY_PRESENT: { message: "The decorator '%s' has already been added!", statusCode: 500 },
  FST_ERR_DEC_DEPENDENCY_INVALID_TYPE: { message: "The dependencies of decorator '%s' must be of type Array.", statusCode: 500, base: TypeError },
  FST_ERR_DEC_MISSING_DEPENDENCY: { message: "The decorator is missing dependency '%s'.", statusCode: 500 },
  FST_ERR_DEC_AFTER_START: { message: "The decorator '%s' has been added after start!", statusCode: 500 },
  FST_ERR_DEC_REFERENCE_TYPE: { message: "The decorator '%s' of type '%s' is a reference type. Use the { getter, setter } interface instead.", statusCode: 500 },
  FST_ERR_DEC_UNDECLARED: { message: "No decorator '%s' has been declared on %s.", statusCode: 500 },

  // Hooks
  FST_ERR_HOOK_INVALID_TYPE: { message: 'The hook name must be a string', statusCode: 500, base: TypeError },
  FST_ERR_HOOK_INVALID_HANDLER: { message: '%s hook should be a function, instead got %s', statusCode: 500, base: TypeError },
  FST_ERR_HOOK_INVALID_ASYNC_HANDLER: { message: "Async function has too many arguments. Async hooks should not use the 'done' argument.", statusCode: 500, base: TypeError },
  FST_ERR_HOOK_NOT_SUPPORTED: { message: '%s hook not supported!', statusCode: 500, base: TypeError },
  FST_ERR_HOOK_TIMEOUT: { message: "A callback for '%s' hook%s timed out. You may have forgotten to call 'done' function or to resolve a Promise", statusCode: 500 },

  // Logger
  FST_ERR_LOG_INVALID_LOGGER: { message: "Invalid logger object provided. The logger instance should have these functions(s): '%s'.", statusCode: 500, base: TypeError },
  FST_ERR_LOG_INVALID_DESTINATION: { message: 'Cannot specify both logger.stream and logger.file options', statusCode: 500 },
  FST_ERR_LOG_INVALID_LOGGER_INSTANCE: { message: 'loggerInstance only accepts a logger instance.', statusCode: 500, base: TypeError },
  FST_ERR_LOG_INVALID_LOGGER_CONFIG: { message: 'logger options only accepts a configuration object.', statusCode: 500, base: TypeError },
  FST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED: { message: 'You cannot provide both logger and loggerInstance. Please provide only one.', statusCode: 500, base: TypeError },
  FST_ERR_LOG_INVALID_LOG_CONTROLLER: { message: "logController option must be an instance of LogController, got '%s'.", statusCode: 500, base: TypeError },

  // Reply
  FST_ERR_REP_INVALID_PAYLOAD_TYPE: { message: "Attempted to send payload of invalid type '%s'. Expected a string or Buffer.", statusCode: 500, base: TypeError },
  FST_ERR_REP_RESPONSE_BODY_CONSUMED: { message: 'Response.body is already consumed.', statusCode: 500 },
  FST_ERR_REP_READABLE_STREAM_LOCKED: { message: 'ReadableStream was locked. You should call releaseLock() method on reader before sending.', statusCode: 500 },
  FST_ERR_REP_ALREADY_SENT: { message: 'Reply was already sent, did you forget to "return reply" in "%s" (%s)?', statusCode: 500 },
  FST_ERR_REP_SENT_VALUE: { message: 'The only possible value for reply.sent is true.', statusCode: 500, base: TypeError },
  FST_ERR_SEND_INSIDE_ONERR: { message: 'You cannot use `send` inside the `onError` hook', statusCode: 500 },
  FST_ERR_SEND_UNDEFINED_ERR: { message: 'Undefined error has occurred', statusCode: 500 },
  FST_ERR_BAD_STATUS_CODE: { message: 'Called reply with an invalid status code: %s', statusCode: 500 },
  FST_ERR_BAD_TRAILER_NAME: { message: 'Called reply.trailer with an invalid header name: %s', statusCode: 500 },
  FST_ERR_BAD_TRAILER_VALUE: { message: "Called reply.trailer('%s', fn) with an invalid type: %s. Expected a function.", statusCode: 500 },
  FST_ERR_FAILED_ERROR_SERIALIZATION: { message: 'Failed to serialize an error. Error: %s. Original error: %s', statusCode: 500 },
  FST_ERR_MISSING_SERIALIZATION_FN: { message: 'Missing serialization function. Key "%s"', statusCode: 500 },
  FST_ERR_MISSING_CONTENTTYPE_SERIALIZATION_FN: { message: 'Missing serialization function. Key "%s:%s"', statusCode: 500 },
  FST_ERR_REQ_INVALID_VALIDATION_INVOCATION: { message: 'Invalid validation invocation. Missing validation function for HTTP part "%s" nor schema provided.', statusCode: 500 },

  // Schemas
  FST_ERR_SCH_MISSING_ID: { message: 'Missing schema $id property', statusCode: 500 },
  FST_ERR_SCH_ALREADY_PRESENT: { message: "Schema with id '%s' already declared!", statusCode: 500 },
  FST_ERR_SCH_CONTENT_MISSING_SCHEMA: { message: "Schema is missing for the content type '%s'", statusCode: 500 },
  FST_ERR_SCH_DUPLICATE: { message: "Schema with '%s' already present!", statusCode: 500 },
  FST_ERR_SCH_VALIDATION_BUILD: { message: 'Failed building the validation schema for %s: %s, due to error %s', statusCode: 500 },
  FST_ERR_SCH_SERIALIZATION_BUILD: { message: 'Failed building the serialization schema for %s: %s, due to error %s', statusCode: 500 },
  FST_ERR_SCH_RESPONSE_SCHEMA_NOT_NESTED_2XX: { message: 'response schemas should be nested under a valid status code, e.g { 2xx: { type: "object" } }', statusCode: 500 },

  // Router and routes
  FST_ERR_DUPLICATED_ROUTE: { message: "Method '%s' already declared for route '%s'", statusCode: 500 },
  FST_ERR_BAD_URL: { message: "'%s' is not a valid url component", statusCode: 400, base: URIError },
  FST_ERR_MAX_PARAM_LENGTH: { message: "'%s' is exceeding the max param length", statusCode: 414, base: URIError },
  FST_ERR_ASYNC_CONSTRAINT: { message: 'Unexpected error from async constraint', statusCode: 500 },
  FST_ERR_INVALID_URL: { message: "URL must be a string. Received '%s'", statusCode: 400, base: TypeError },
  FST_ERR_ROUTE_OPTIONS_NOT_OBJ: { message: 'Options for "%s:%s" route must be an object', statusCode: 500, base: TypeError },
  FST_ERR_ROUTE_DUPLICATED_HANDLER: { message: 'Duplicate handler for "%s:%s" route is not allowed!', statusCode: 500 },
  FST_ERR_ROUTE_HANDLER_NOT_FN: { message: 'Error Handler for %s:%s route, if defined, must be a function', statusCode: 500, base: TypeError },
  FST_ERR_ROUTE_MISSING_HANDLER: { message: 'Missing handler function for "%s:%s" route.', statusCode: 500 },
  FST_ERR_ROUTE_METHOD_INVALID: { message: 'Provided method is invalid!', statusCode: 500, base: TypeError },
  FST_ERR_ROUTE_METHOD_NOT_SUPPORTED: { message: '%s method is not supported.', statusCode: 500 },
  FST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED: { message: 'Body validation schema for %s:%s route is not supported!', statusCode: 500 },
  FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT: { message: "'bodyLimit' option must be an integer > 0. Got '%s'", statusCode: 500, base: TypeError },
  FST_ERR_ROUTE_REWRITE_NOT_STR: { message: 'Rewrite url for "%s" needs to be of type "string" but received "%s"', statusCode: 500, base: TypeError },
  FST_ERR_ROUTE_HANDLER_TIMEOUT_OPTION_NOT_INT: { message: "'handlerTimeout' option must be an integer > 0. Got '%s'", statusCode: 500, base: TypeError },
  FST_ERR_HANDLER_TIMEOUT: { message: "Request timed out after %s ms on route '%s'", statusCode: 503 },
  FST_ERR_ROUTE_LOG_LEVEL_INVALID: { message: "Log level for '%s:%s' route must be a valid logger level. Received: '%s'", statusCode: 500, base: TypeError },
  FST_ERR_ROUTE_MISSING_CONTENT_TYPE: { message: "Method '%s' must provide a 'Content-Type' header.", statusCode: 400 },
  FST_ERR_ROUTE_MISSING_CONTENT: { message: "Method '%s' must provide a request body.", statusCode: 400 },

  // Server lifecycle
  FST_ERR_REOPENED_CLOSE_SERVER: { message: 'Fastify has already been closed and cannot be reopened', statusCode: 500 },
  FST_ERR_REOPENED_SERVER: { message: 'Fastify is already listening', statusCode: 500 },
  FST_ERR_INSTANCE_ALREADY_LISTENING: { message: 'Fastify instance is already listening. %s', statusCode: 500 },
  FST_ERR_FORCE_CLOSE_CONNECTIONS_IDLE_NOT_AVAILABLE: { message: "Cannot set forceCloseConnections to 'idle' as your HTTP server does not support closeIdleConnections method", statusCode: 500 },

  // Plugins
  FST_ERR_PLUGIN_VERSION_MISMATCH: { message: "fastify-plugin: %s - expected '%s' fastify version, '%s' is installed", statusCode: 500 },
  FST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE: { message: "The decorator '%s'%s is not present in %s", statusCode: 500 },
  FST_ERR_PLUGIN_INVALID_ASYNC_HANDLER: { message: 'The %s plugin being registered mixes async and callback styles. Async plugin should not mix async and callback style.', statusCode: 500, base: TypeError },
  FST_ERR_PLUGIN_CALLBACK_NOT_FN: { message: 'fastify-plugin: %s', statusCode: 500, base: TypeError },
  FST_ERR_PLUGIN_NOT_VALID: { message: 'fastify-plugin: %s', statusCode: 500 },
  FST_ERR_ROOT_PLG_BOOTED: { message: 'fastify-plugin: %s', statusCode: 500 },
  FST_ERR_PARENT_PLUGIN_BOOTED: { message: 'fastify-plugin: %s', statusCode: 500 },
  FST_ERR_PLUGIN_TIMEOUT: { message: 'fastify-plugin: %s', statusCode: 500 },
  FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED: { message: "The dependency '%s' of plugin '%s' is not registered", statusCode: 500 },

  // Velox-only
  VLX_ERR_PLUGIN_DEPENDENCY_MISSING: { message: "The dependency '%s' of plugin '%s' is not registered", statusCode: 500 },
  VLX_ERR_REPLY_SENT_TWICE: { message: 'The handler of %s %s returned a value and also called reply.send(); the returned value was ignored', statusCode: 500 },
  VLX_ERR_HANDLER_NON_ERROR_THROWN: { message: 'A non-Error value was thrown or rejected: %s', statusCode: 500 },
  VLX_ERR_SERIALIZATION: { message: 'The response payload for status %s does not match its response schema: %s', statusCode: 500 },
  VLX_ERR_METRICS_CLIENT_MISSING: { message: 'The metrics option needs the prom-client package: npm install prom-client', statusCode: 500 },
  VLX_ERR_HEALTH_CHECK_INVALID: { message: 'addHealthCheck(name, check) needs %s', statusCode: 500, base: TypeError },
  VLX_ERR_NOT_FOUND_HANDLER_ALREADY_SET: { message: "Not found handler already set for Fastify instance with prefix: '%s'", statusCode: 500 },

  // OpenAPI document (lib/openapi): configuration mistakes, so serving the document fails with 500
  VLX_ERR_OPENAPI_UNRESOLVED_REF: { message: 'Cannot resolve $ref "%s" in %s: %s', statusCode: 500 },
  VLX_ERR_OPENAPI_RECURSIVE_REF: { message: 'The $ref "%s" in %s refers to itself through a schema that is not shared; register that schema with app.addSchema() so it becomes a component that can refer to itself', statusCode: 500 },
  VLX_ERR_OPENAPI_INVALID_STATUS: { message: 'Response key "%s" in %s is not a status code: use 100-599, a range such as "2xx", or "default"', statusCode: 500 },
  VLX_ERR_OPENAPI_DUPLICATE_OPERATION_ID: { message: 'operationId "%s" is used by both %s and %s; operation ids must be unique', statusCode: 500 },
  VLX_ERR_OPENAPI_COMPONENT_CONFLICT: { message: 'The component schema name "%s" is given in options.components.schemas and is also the name of the shared schema "%s"', statusCode: 500 },
  VLX_ERR_OPENAPI_INVALID_OPTION: { message: 'The "%s" option of %s must be %s', statusCode: 500 },
  VLX_ERR_OPENAPI_NO_SPEC_ROUTE: { message: 'The docs page at "%s" needs the document: set jsonPath or yamlPath', statusCode: 500 },

  // `velox client` (lib/client/generate.ts, lib/cli/client.ts): the document it was given cannot be read
  VLX_ERR_CLIENT_DOCUMENT_NOT_FOUND: { message: 'No OpenAPI document at %s: %s', statusCode: 500 },
  VLX_ERR_CLIENT_DOCUMENT_INVALID: { message: '%s is not an OpenAPI document velox client can read: %s', statusCode: 500 },
  VLX_ERR_CLIENT_OPENAPI_VERSION: { message: '%s is %s; velox client reads OpenAPI 3.x documents (convert a Swagger 2.0 document first, e.g. with swagger2openapi)', statusCode: 500 },

  // Serverless handlers (lib/serverless)
  VLX_ERR_SERVERLESS_EVENT_UNSUPPORTED: { message: 'The event is not an API Gateway REST (v1) or HTTP API (v2) proxy event: %s', statusCode: 500, base: TypeError }
} satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof table

/**
 * Builds an error class for one code. Like `@fastify/error`: callable with or
 * without `new`, arguments fill the `%s` placeholders of the message template.
 */
export function createError (code: string, message: string, statusCode = 500, Base: ErrorBase = Error): VeloxErrorConstructor {
  function VeloxCodedError (this: VeloxError | undefined, ...args: unknown[]): VeloxError {
    if (!new.target) return new (VeloxCodedError as unknown as VeloxErrorConstructor)(...args)
    const self = this as VeloxError
    self.code = code
    self.name = 'FastifyError'
    self.statusCode = statusCode
    const last = args[args.length - 1]
    // As @fastify/error: a last argument carrying `cause` is options, not a placeholder value.
    if (last !== null && typeof last === 'object' && 'cause' in last) {
      self.cause = (last as { cause: unknown }).cause
      args = args.slice(0, -1)
    }
    self.message = args.length > 0 ? format(message, ...args) : message
    Error.stackTraceLimit !== 0 && Error.captureStackTrace(self, VeloxCodedError)
    return self
  }
  const proto = Object.create(Base.prototype, {
    constructor: { value: VeloxCodedError, enumerable: false, writable: true, configurable: true },
    [Symbol.toStringTag]: { value: 'Error', enumerable: false, writable: false, configurable: true }
  }) as VeloxError
  proto.toString = function toString (this: VeloxError) {
    return `${this.name} [${this.code}]: ${this.message}`
  }
  VeloxCodedError.prototype = proto
  // Named as @fastify/error names its constructors, so Fastify's codes in `errorCodes` are
  // FastifyError constructors as in Fastify; Velox's own codes (VLX_*) are VeloxError ones.
  Object.defineProperty(VeloxCodedError, 'name', { value: code.startsWith('VLX_') ? 'VeloxError' : 'FastifyError' })
  return VeloxCodedError as unknown as VeloxErrorConstructor
}

function buildCodes (): { [K in ErrorCode]: VeloxErrorConstructor } {
  const out: Record<string, VeloxErrorConstructor> = {}
  for (const code of Object.keys(table) as ErrorCode[]) {
    const spec: ErrorSpec = table[code]
    out[code] = createError(code, spec.message, spec.statusCode, spec.base)
  }
  return out as { [K in ErrorCode]: VeloxErrorConstructor }
}

/** Every error class, by code (Fastify exports the same object as `errorCodes`). */
export const errorCodes = buildCodes()

/** The specification of each code (message template and status), for docs and tests. */
export const errorTable: Readonly<Record<ErrorCode, Readonly<ErrorSpec>>> = table

export const {
  FST_ERR_NOT_FOUND, FST_ERR_OPTIONS_NOT_OBJ, FST_ERR_QSP_NOT_FN, FST_ERR_SCHEMA_CONTROLLER_BUCKET_OPT_NOT_FN,
  FST_ERR_SCHEMA_ERROR_FORMATTER_NOT_FN, FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_OBJ, FST_ERR_AJV_CUSTOM_OPTIONS_OPT_NOT_ARR,
  FST_ERR_VALIDATION, FST_ERR_LISTEN_OPTIONS_INVALID, FST_ERR_ERROR_HANDLER_NOT_FN, FST_ERR_ERROR_HANDLER_ALREADY_SET, FST_ERR_INIT_OPTS_INVALID, FST_ERR_MISSING_MIDDLEWARE,
  FST_ERR_CTP_ALREADY_PRESENT, FST_ERR_CTP_INVALID_TYPE, FST_ERR_CTP_EMPTY_TYPE, FST_ERR_CTP_INVALID_HANDLER,
  FST_ERR_CTP_INVALID_PARSE_TYPE, FST_ERR_CTP_BODY_TOO_LARGE, FST_ERR_CTP_INVALID_MEDIA_TYPE,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH, FST_ERR_CTP_EMPTY_JSON_BODY, FST_ERR_CTP_INVALID_JSON_BODY,
  FST_ERR_CTP_INSTANCE_ALREADY_STARTED, FST_ERR_DEC_ALREADY_PRESENT, FST_ERR_DEC_DEPENDENCY_INVALID_TYPE,
  FST_ERR_DEC_MISSING_DEPENDENCY, FST_ERR_DEC_AFTER_START, FST_ERR_DEC_REFERENCE_TYPE, FST_ERR_DEC_UNDECLARED,
  FST_ERR_HOOK_INVALID_TYPE, FST_ERR_HOOK_INVALID_HANDLER, FST_ERR_HOOK_INVALID_ASYNC_HANDLER, FST_ERR_HOOK_NOT_SUPPORTED,
  FST_ERR_HOOK_TIMEOUT, FST_ERR_LOG_INVALID_LOGGER, FST_ERR_LOG_INVALID_DESTINATION, FST_ERR_LOG_INVALID_LOGGER_INSTANCE, FST_ERR_LOG_INVALID_LOGGER_CONFIG, FST_ERR_LOG_LOGGER_AND_LOGGER_INSTANCE_PROVIDED, FST_ERR_LOG_INVALID_LOG_CONTROLLER, FST_ERR_REP_INVALID_PAYLOAD_TYPE, FST_ERR_REP_RESPONSE_BODY_CONSUMED, FST_ERR_REP_READABLE_STREAM_LOCKED, FST_ERR_REP_ALREADY_SENT,
  FST_ERR_REP_SENT_VALUE, FST_ERR_SEND_INSIDE_ONERR, FST_ERR_SEND_UNDEFINED_ERR, FST_ERR_BAD_STATUS_CODE, FST_ERR_BAD_TRAILER_NAME, FST_ERR_BAD_TRAILER_VALUE,
  FST_ERR_FAILED_ERROR_SERIALIZATION, FST_ERR_MISSING_SERIALIZATION_FN, FST_ERR_MISSING_CONTENTTYPE_SERIALIZATION_FN,
  FST_ERR_REQ_INVALID_VALIDATION_INVOCATION, FST_ERR_SCH_MISSING_ID, FST_ERR_SCH_ALREADY_PRESENT,
  FST_ERR_SCH_CONTENT_MISSING_SCHEMA, FST_ERR_SCH_DUPLICATE, FST_ERR_SCH_VALIDATION_BUILD, FST_ERR_SCH_SERIALIZATION_BUILD,
  FST_ERR_SCH_RESPONSE_SCHEMA_NOT_NESTED_2XX, FST_ERR_DUPLICATED_ROUTE, FST_ERR_BAD_URL, FST_ERR_MAX_PARAM_LENGTH, FST_ERR_ASYNC_CONSTRAINT,
  FST_ERR_INVALID_URL, FST_ERR_ROUTE_OPTIONS_NOT_OBJ, FST_ERR_ROUTE_DUPLICATED_HANDLER, FST_ERR_ROUTE_HANDLER_NOT_FN,
  FST_ERR_ROUTE_MISSING_HANDLER, FST_ERR_ROUTE_METHOD_INVALID, FST_ERR_ROUTE_METHOD_NOT_SUPPORTED,
  FST_ERR_ROUTE_BODY_VALIDATION_SCHEMA_NOT_SUPPORTED, FST_ERR_ROUTE_BODY_LIMIT_OPTION_NOT_INT, FST_ERR_ROUTE_REWRITE_NOT_STR, FST_ERR_ROUTE_LOG_LEVEL_INVALID, FST_ERR_ROUTE_MISSING_CONTENT_TYPE, FST_ERR_ROUTE_MISSING_CONTENT,
  FST_ERR_ROUTE_HANDLER_TIMEOUT_OPTION_NOT_INT, FST_ERR_HANDLER_TIMEOUT,
  FST_ERR_REOPENED_CLOSE_SERVER, FST_ERR_REOPENED_SERVER, FST_ERR_INSTANCE_ALREADY_LISTENING, FST_ERR_FORCE_CLOSE_CONNECTIONS_IDLE_NOT_AVAILABLE,
  FST_ERR_PLUGIN_VERSION_MISMATCH, FST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE, FST_ERR_PLUGIN_INVALID_ASYNC_HANDLER,
  FST_ERR_PLUGIN_CALLBACK_NOT_FN, FST_ERR_PLUGIN_NOT_VALID, FST_ERR_ROOT_PLG_BOOTED, FST_ERR_PARENT_PLUGIN_BOOTED,
  FST_ERR_PLUGIN_TIMEOUT, FST_ERR_PLUGIN_DEPENDENCY_NOT_REGISTERED, VLX_ERR_NOT_FOUND_HANDLER_ALREADY_SET, VLX_ERR_PLUGIN_DEPENDENCY_MISSING, VLX_ERR_REPLY_SENT_TWICE, VLX_ERR_HANDLER_NON_ERROR_THROWN,
  VLX_ERR_SERIALIZATION, VLX_ERR_METRICS_CLIENT_MISSING, VLX_ERR_HEALTH_CHECK_INVALID, VLX_ERR_OPENAPI_UNRESOLVED_REF, VLX_ERR_OPENAPI_RECURSIVE_REF, VLX_ERR_OPENAPI_INVALID_STATUS,
  VLX_ERR_OPENAPI_DUPLICATE_OPERATION_ID, VLX_ERR_OPENAPI_COMPONENT_CONFLICT, VLX_ERR_OPENAPI_INVALID_OPTION,
  VLX_ERR_OPENAPI_NO_SPEC_ROUTE, VLX_ERR_CLIENT_DOCUMENT_NOT_FOUND, VLX_ERR_CLIENT_DOCUMENT_INVALID, VLX_ERR_CLIENT_OPENAPI_VERSION,
  VLX_ERR_SERVERLESS_EVENT_UNSUPPORTED
} = errorCodes
