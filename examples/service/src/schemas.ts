// The notes API's schemas: they validate requests, serialize responses, type the handlers and
// make the OpenAPI document.

export const noteSchema = {
  type: 'object',
  required: ['id', 'owner', 'title', 'body', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'integer' },
    owner: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' }
  }
} as const

export interface Note { id: number, owner: string, title: string, body: string, createdAt: string, updatedAt: string }

export const newNoteSchema = {
  type: 'object',
  required: ['title', 'body'],
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    body: { type: 'string', maxLength: 10_000 }
  }
} as const

export const notePatchSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: newNoteSchema.properties
} as const

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1 } }
} as const

export const listQuery = {
  type: 'object',
  properties: {
    owner: { type: 'string' },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    offset: { type: 'integer', minimum: 0, default: 0 }
  }
} as const

export const credentialsSchema = {
  type: 'object',
  required: ['user', 'password'],
  properties: { user: { type: 'string' }, password: { type: 'string' } }
} as const

export const tokenSchema = {
  type: 'object',
  required: ['token', 'expiresIn'],
  properties: { token: { type: 'string' }, expiresIn: { type: 'integer', description: 'seconds' } }
} as const

export const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string' } }
} as const
