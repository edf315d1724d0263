import { expect, test } from 'tstyche'
import velox, { LogController } from '../../lib/index.js'
import type { FastifyReply, FastifyRequest, VeloxReply, VeloxRequest } from '../../types/index.js'

declare const request: VeloxRequest
declare const reply: VeloxReply

test('a LogController subclass types its parameters with the public request and reply types', () => {
  class AppLogs extends LogController {
    override incomingRequest (req: VeloxRequest, res?: VeloxReply): void {
      if (req.url !== '/health') super.incomingRequest(req, res)
    }

    override requestCompleted (error: unknown, req: FastifyRequest, res: FastifyReply): void {
      super.requestCompleted(error, req, res)
    }
  }
  expect(velox).type.toBeCallableWith({ logger: true, logController: new AppLogs() })
})

test('its methods take a request and a reply as routes and hooks see them, and the app logger', () => {
  const controller = new LogController()
  expect(controller.incomingRequest).type.toBeCallableWith(request, reply)
  expect(controller.requestCompleted).type.toBeCallableWith(null, request, reply)
  expect(controller.defaultErrorLog).type.toBeCallableWith(new Error('x'), request, reply)
  expect(controller.routeNotFound).type.toBeCallableWith(request)
  expect(controller.serviceUnavailable).type.toBeCallableWith(velox().log)
  expect(controller.incomingRequest).type.not.toBeCallableWith({ raw: {} })
})
