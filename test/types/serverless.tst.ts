import { expect, test } from 'tstyche'
import velox from '../../lib/index.js'
import { awsLambda, fetchHandler } from '../../lib/serverless/index.js'
import type { ApiGatewayProxyEventV1, ApiGatewayProxyEventV2, ApiGatewayProxyResultV1, ApiGatewayProxyResultV2 } from '../../lib/serverless/index.js'

test('awsLambda takes a Velox app and answers each payload version with its own result type', () => {
  const handler = awsLambda(velox(), { basePath: '/prod' })
  expect(handler({} as ApiGatewayProxyEventV2)).type.toBe<Promise<ApiGatewayProxyResultV2>>()
  expect(handler({} as ApiGatewayProxyEventV1)).type.toBe<Promise<ApiGatewayProxyResultV1>>()
  expect(awsLambda).type.not.toBeCallableWith({ get: () => {} })
})

test('fetchHandler turns a Velox app into a Fetch handler', () => {
  expect(fetchHandler(velox())).type.toBe<(request: Request) => Promise<Response>>()
})
