/**
 * Default response descriptions. Our own table rather than node:http's STATUS_CODES, whose
 * wording changes between Node.js versions (413 and 422 were renamed after RFC 9110), so the
 * document would differ from one Node.js version to the next.
 */

// Reason phrases of RFC 9110 section 15, plus 102 (RFC 2518), 103 (RFC 8297), 207 (RFC 4918),
// 423/424 (RFC 4918), 425 (RFC 8470), 428/429/431/511 (RFC 6585) and 451 (RFC 7725).
const REASON_PHRASES: Readonly<Record<string, string>> = {
  100: 'Continue',
  101: 'Switching Protocols',
  102: 'Processing',
  103: 'Early Hints',
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  203: 'Non-Authoritative Information',
  204: 'No Content',
  205: 'Reset Content',
  206: 'Partial Content',
  207: 'Multi-Status',
  300: 'Multiple Choices',
  301: 'Moved Permanently',
  302: 'Found',
  303: 'See Other',
  304: 'Not Modified',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  417: 'Expectation Failed',
  421: 'Misdirected Request',
  422: 'Unprocessable Content',
  423: 'Locked',
  424: 'Failed Dependency',
  425: 'Too Early',
  426: 'Upgrade Required',
  428: 'Precondition Required',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  505: 'HTTP Version Not Supported',
  507: 'Insufficient Storage',
  511: 'Network Authentication Required',
  // The status classes of RFC 9110 section 15.
  '1XX': 'Informational',
  '2XX': 'Successful',
  '3XX': 'Redirection',
  '4XX': 'Client Error',
  '5XX': 'Server Error'
}

/** The description a response gets when its schema has none. */
export const DEFAULT_RESPONSE_DESCRIPTION = 'Default Response'

/** `'404'` gives `'Not Found'`, `'2XX'` gives `'Successful'`; unknown codes and `default` give `'Default Response'`. */
export function statusDescription (status: string): string {
  return REASON_PHRASES[status] ?? DEFAULT_RESPONSE_DESCRIPTION
}
