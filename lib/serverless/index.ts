/**
 * `velox/serverless`: handlers that run platform events through an app's normal pipeline, without
 * a socket. See docs/serverless.md.
 *
 * @example
 * import velox from 'velox'
 * import { awsLambda } from 'velox/serverless'
 * const app = velox()
 * app.get('/', async () => ({ hello: 'world' }))
 * export const handler = awsLambda(app)
 */
export { awsLambda } from './aws-lambda.js'
export type { ApiGatewayProxyEventV1, ApiGatewayProxyEventV2, ApiGatewayProxyResultV1, ApiGatewayProxyResultV2, AwsLambdaHandler } from './aws-lambda.js'
export { fetchHandler } from './fetch.js'
export type { ServerlessApp, ServerlessOptions } from './start.js'
