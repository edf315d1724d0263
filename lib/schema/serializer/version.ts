/**
 * The version of the code the serializer compiler writes. Part of the schema-cache key, so
 * serializers stored by an older compiler are compiled again: raise it whenever the generated
 * code or the runtime helpers it calls change.
 */
export const VELOX_SERIALIZER_VERSION = '1'
